"""`postil open PATH|SOURCE`: import when new, then start the app at the top of that source.

The app itself is replaced by a recorder here (its own tests drive it with run_test); what
is checked is which source the command hands to it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cli_support import ARTICLE, NOTES, Postil

import postil.tui.launch


@pytest.fixture
def launched(monkeypatch):
    calls: list[tuple[int | None, bool]] = []

    def fake_run_app(settings, source_id=None, at_top=False, db=None):
        calls.append((source_id, at_top))
        db.close()  # the connection that found the source is handed to the app, which closes it

    monkeypatch.setattr(postil.tui.launch, "run_app", fake_run_app)
    return calls


def test_open_imports_a_new_file_once_and_opens_it_at_the_top(tmp_path, launched):
    postil = Postil(tmp_path)
    postil.ok("add", postil.write("notes.md", NOTES))
    article = postil.write("durability.txt", ARTICLE)
    postil.ok("open", article)
    postil.ok("open", article)
    assert launched == [(2, True), (2, True)]
    assert len(postil.ok("sources", "--json").json()) == 2


def test_open_a_source_by_title_or_id(tmp_path, launched):
    postil = Postil(tmp_path)
    postil.ok("add", postil.write("durability.txt", ARTICLE), postil.write("notes.md", NOTES))
    postil.ok("open", "field")
    postil.ok("open", "1")
    assert launched == [(2, True), (1, True)]


def test_open_unknown_is_one_line(tmp_path, launched):
    postil = Postil(tmp_path)
    assert "no source matches" in postil.fails("open", "nothing-like-this").stderr
    bad = postil.write("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(300))
    assert "image.txt" in postil.fails("open", bad).stderr
    missing = postil.fails("open", str(tmp_path / "missing.md")).stderr
    assert "missing.md" in missing and "no such file" in missing
    assert launched == []


def test_console_script_help_lists_the_commands(tmp_path):
    # The script pip installed beside the interpreter running the tests (the README's venv).
    script = Path(sys.executable).parent / "postil"
    exe = str(script) if script.exists() else shutil.which("postil")
    if exe is None:
        pytest.skip("the postil console script is not installed")
    done = subprocess.run([exe, "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    for name in ("add", "show", "mark", "link", "search", "overview", "backup", "check"):
        assert f"  {name} " in done.stdout or f"  {name}\n" in done.stdout


def test_no_command_listing_is_cut_short_at_80_columns(tmp_path):
    # click cuts a command's one-line help with "..." where it does not fit the listing.
    postil = Postil(tmp_path)
    listings = [postil.ok("--help").stdout]
    for group in ("cite", "highlight", "reconcile", "tag", "team", "blind", "memo", "relations", "queries"):
        run = postil(group, "--help")
        if run.exit_code == 0:
            listings.append(run.stdout)
    commands = [listing.split("Commands:", 1)[1] for listing in listings if "Commands:" in listing]
    assert len(commands) >= 6
    cut = [line for part in commands for line in part.splitlines() if line.rstrip().endswith("...")]
    assert cut == []
