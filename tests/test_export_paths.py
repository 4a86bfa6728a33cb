"""Export file names as `postil export` makes them: hostile titles stay one plain file in the
current folder, planted symlinks are never written through, and odd `-o` names just work.

(tests/test_export_files.py covers slugify and write_text_atomic directly; these go through
the command a user types.)
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from export_fixtures import two_source_db

from postil.exports.writing import slugify
from postil.store.db import open_db
from postil.tui.cli import cli

WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])$", re.IGNORECASE)
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@pytest.fixture
def workspace(tmp_path):
    """(db path, the folder the user exports from); the database sits outside that folder."""
    db_path = tmp_path / "db" / "postil.db"
    db_path.parent.mkdir()
    two_source_db(open_db(db_path))
    out = tmp_path / "deep" / "er" / "out"
    out.mkdir(parents=True)
    return db_path, out


def run(db_path: Path, *args: str, cwd: Path):
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(cli, ["--db", str(db_path), *args], catch_exceptions=False)
    finally:
        os.chdir(old)


def tree(root: Path) -> set[str]:
    """Every path under root but the database folder (SQLite's -wal and -shm files come and
    go with connections, which made the count of created files flaky)."""
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.relative_to(root).parts[0] != "db"}


HOSTILE_TITLES = [
    "../../etc/passwd",
    "../../../../../../tmp/evil",
    "/abs/olute/path",
    "/",
    "..",
    ".",
    "...",
    "a/b",
    "a\\b\\..\\c",
    "C:\\Windows\\System32\\x",
    "~/notes",
    "-rf --no-preserve-root",
    "--force",
    ".bashrc",
    "con",
    "NUL",
    "com1",
    "lpt9",
    "\x1b[31mred\x1b]52;c;eA==\x07",
    "line\nbreak\rreturn",
    "right\u202eto\u2066left",
    "zero\u200bwidth\ufeff",
    "𠀀" * 100,  # 4-byte letters: 100 characters are 400 bytes, over a file name's 255
    "ﬁ Ⅻ ｆｕｌｌ",
    "",
    "   ",
]


@pytest.mark.parametrize("title", HOSTILE_TITLES, ids=lambda t: repr(t)[:30])
def test_a_title_becomes_one_plain_file_in_the_current_folder(workspace, title):
    db_path, out = workspace
    root = out.parents[2]
    before = tree(root)
    result = run(db_path, "export", "--title", title, cwd=out)
    assert result.exit_code == 0, result.output
    assert not CONTROL.search(result.output.replace("\n", ""))
    created = tree(root) - before
    assert len(created) == 1, created
    [name] = created
    path = root / name
    assert path.parent == out and path.is_file() and not path.is_symlink()
    assert not name.split("/")[-1].startswith(("-", "."))
    stem = path.name.rsplit(".", 1)[0]
    assert not WINDOWS_RESERVED.match(stem), f"{path.name} is a device name on Windows"
    assert len(path.name.encode()) <= 255
    assert not CONTROL.search(path.name) and "\u202e" not in path.name


@pytest.mark.parametrize("fmt, ext", [("md", ".md"), ("csv", ".csv"), ("json", ".json"), ("w3c", ".jsonld")])
def test_each_format_confines_its_name_too(workspace, fmt, ext):
    db_path, out = workspace
    result = run(db_path, "export", "--format", fmt, "--title", "../../x", cwd=out)
    assert result.exit_code == 0, result.output
    assert os.listdir(out) == ["x" + ext]


def test_slugs_are_short_enough_in_bytes_for_any_file_system():
    for title in ("𠀀" * 200, "é" * 300, "a" * 1000, "文字" * 200):
        assert len((slugify(title) + ".jsonld").encode()) <= 255


# --- planted symlinks --------------------------------------------------------------------


def test_a_symlink_planted_at_the_default_name_is_not_written_through(workspace):
    db_path, out = workspace
    secret = out.parents[2] / "secret.txt"
    secret.write_text("precious")
    planted = out / "caveats.md"
    planted.symlink_to(secret)
    result = run(db_path, "export", "--title", "Caveats", cwd=out)
    assert result.exit_code == 1 and "already exists" in result.output and "--force" in result.output
    assert secret.read_text() == "precious" and planted.is_symlink()
    result = run(db_path, "export", "--title", "Caveats", "--force", cwd=out)
    assert result.exit_code == 0, result.output
    assert secret.read_text() == "precious"
    assert not planted.is_symlink() and planted.read_text().startswith("---\n")


def test_a_dangling_symlink_cannot_create_a_file_elsewhere(workspace):
    db_path, out = workspace
    elsewhere = out.parents[2] / "created-by-export.md"
    (out / "caveats.md").symlink_to(elsewhere)
    for extra in ([], ["--force"]):
        run(db_path, "export", "--title", "Caveats", *extra, cwd=out)
        assert not elsewhere.exists()


def test_a_symlink_given_with_o_is_replaced_not_followed(workspace):
    db_path, out = workspace
    secret = out.parents[2] / "secret.csv"
    secret.write_text("precious")
    (out / "mine.csv").symlink_to(secret)
    assert run(db_path, "export", "--format", "csv", "-o", "mine.csv", cwd=out).exit_code == 1
    assert run(db_path, "export", "--format", "csv", "-o", "mine.csv", "--force", cwd=out).exit_code == 0
    assert secret.read_text() == "precious"
    assert (out / "mine.csv").read_text().startswith("id,")


# --- -o names a user chose -----------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "-notes.md",
        "--force",
        "-",  # stdout, not a file named "-"
        " leading space.md",
        "Cafe\u0301 naïve.md",  # NFD, kept as given
        "שלום עולם.md",
        "📝 notes ✓.md",
        "文字.md",
        "tab\there.md",
        "new\nline.md",
        "esc\x1b[31m.md",
    ],
    ids=lambda n: repr(n),
)
def test_o_takes_any_name_the_user_gives(workspace, name):
    db_path, out = workspace
    result = run(db_path, "export", "-o", name, cwd=out)
    assert result.exit_code == 0, result.output
    if name == "-":
        assert result.output.startswith("---\n") and os.listdir(out) == []
        return
    assert os.listdir(out) == [name]
    assert (out / name).read_text(encoding="utf-8").startswith("---\n")
    assert not CONTROL.search(result.output.rstrip("\n"))  # the "wrote ... to NAME" line


def test_o_into_a_folder_or_a_missing_one_is_one_line(workspace):
    db_path, out = workspace
    (out / "sub").mkdir()
    result = run(db_path, "export", "-o", "sub", cwd=out)
    assert result.exit_code == 1 and "is a folder" in result.output
    result = run(db_path, "export", "-o", "missing/x.md", cwd=out)
    assert result.exit_code == 1 and "no such folder" in result.output
    assert sorted(os.listdir(out)) == ["sub"] and os.listdir(out / "sub") == []
