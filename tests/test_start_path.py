"""Opening the app loads only what the app needs: not click and the command modules, not
sqlite-utils (a current database needs no migration), not the HTML and Markdown parsers.
bench/bench_tmux.py measures what this keeps fast."""

from __future__ import annotations

import subprocess
import sys

from postil.store.db import open_db

PROBE = """
import sys
from postil.tui.startup import app_start
from postil.tui.launch import run_app  # what opening the app imports
import postil.tui.open_target
print(" ".join(sorted(m for m in sys.modules if m.split(".")[0] in
      ("click", "sqlite_utils", "trafilatura", "lxml", "markdown_it", "pypdfium2", "pypdf", "postil"))))
"""


def loaded_modules() -> set[str]:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return set(done.stdout.split())


def test_the_app_path_skips_the_command_line_and_the_parsers():
    loaded = loaded_modules()
    assert "postil.tui.app" in loaded
    assert not {m for m in loaded if m.split(".")[0] in ("click", "sqlite_utils", "trafilatura", "lxml", "markdown_it",
                                                       "pypdfium2", "pypdf")}
    assert "postil.tui.cli" not in loaded
    assert not {m for m in loaded if m.startswith("postil.tui.commands.")}


def test_startup_parses_the_forms_that_open_the_app():
    from postil.tui.startup import app_start

    assert app_start([]) is not None
    assert app_start(["--db", "x.db"]).db_path == "x.db"
    assert app_start(["--db=x.db", "--author", "ann", "open", "paper.md"]).target == "paper.md"
    assert app_start(["open", "3"]).target == "3"
    for other in (["sources"], ["--help"], ["open"], ["--db"], ["open", "a", "b"], ["--debug"], ["open", "--json"]):
        assert app_start(other) is None, other


def test_a_current_database_opens_without_sqlite_utils(tmp_path):
    open_db(tmp_path / "p.db").close()
    probe = f"""
import sys
from postil.store.db import open_db
open_db({str(tmp_path / "p.db")!r}).close()
print("sqlite_utils" in sys.modules)
"""
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "False", done.stderr
