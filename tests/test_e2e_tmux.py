"""End to end: the real `postil` in a real terminal (tmux), driven like a new user would.

Skipped when tmux is not installed (.ci/run installs it when it can).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from store.db import open_db
from store.highlights import list_highlights

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

ARTICLE = """Amygdala study notes

Psilocybin changed how patients reacted to faces. More intriguingly, the scans showed heightened activity in the right amygdala after treatment, which the authors linked to emotional re-engagement. The sample was small (n = 20) and unblinded.

One participant said the world felt "in colour again".
"""


class Terminal:
    """A tmux session running one command, with helpers to type and read the screen."""

    def __init__(self, command: list[str], env: dict[str, str]) -> None:
        self.name = f"postil-{uuid.uuid4().hex[:8]}"
        env_args = [arg for key, value in env.items() for arg in ("-e", f"{key}={value}")]
        subprocess.run(
            ["tmux", "new-session", "-d", "-s", self.name, "-x", "160", "-y", "48", *env_args, *command],
            check=True,
        )

    def keys(self, *keys: str, literal: bool = False) -> None:
        flag = ["-l"] if literal else []
        subprocess.run(["tmux", "send-keys", "-t", self.name, *flag, *keys], check=True)
        time.sleep(0.3)

    def screen(self) -> str:
        return subprocess.run(
            ["tmux", "capture-pane", "-p", "-t", self.name], capture_output=True, text=True, check=True
        ).stdout

    def wait_for(self, text: str, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared; screen was:\n{self.screen()}")

    def alive(self) -> bool:
        return subprocess.run(["tmux", "has-session", "-t", self.name], capture_output=True).returncode == 0

    def wait_closed(self, timeout: float = 10) -> None:
        deadline = time.monotonic() + timeout
        while self.alive() and time.monotonic() < deadline:
            time.sleep(0.2)

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)


@pytest.fixture
def terminal_factory(tmp_path):
    terminals = []
    postil = [sys.executable, "-m", "tui"]
    env = {
        "POSTIL_DB": str(tmp_path / "e2e.db"),
        "POSTIL_AUTHOR": "e2e",
        "PYTHONPATH": str(Path(__file__).resolve().parents[1]),
        "TERM": "xterm-256color",
        "HOME": os.environ.get("HOME", str(tmp_path)),
    }

    def start(*args: str) -> Terminal:
        terminal = Terminal([*postil, *args], env)
        terminals.append(terminal)
        return terminal

    yield start, tmp_path / "e2e.db"
    for terminal in terminals:
        terminal.close()


def test_first_run_shows_the_welcome_guide(terminal_factory):
    start, _ = terminal_factory
    term = start()
    screen = term.wait_for("Welcome")
    assert "help" in screen  # the footer offers the help screen
    term.keys("?")
    term.wait_for("mechanism")
    term.keys("Escape")
    term.keys("q")
    term.wait_closed()
    assert not term.alive()


def test_find_select_sentence_tag_note_and_reopen(terminal_factory, tmp_path):
    start, db_path = terminal_factory
    article = tmp_path / "amygdala.txt"
    article.write_text(ARTICLE)
    term = start("open", str(article))
    term.wait_for("Psilocybin changed")
    term.keys("/")
    term.wait_for("find (enter accepts")
    term.keys("heightened activity", literal=True)
    term.keys("Enter")
    time.sleep(0.5)
    term.keys("s")
    term.keys("1")
    term.wait_for("mechanism 1")
    term.keys("c")
    term.wait_for("Note on")
    term.keys("Replicates the earlier reset finding.", literal=True)
    term.keys("C-s")
    term.wait_for("✎")
    term.keys("q")
    term.wait_closed()

    db = open_db(db_path)
    (highlight,) = list_highlights(db)
    assert highlight.quote == (
        "More intriguingly, the scans showed heightened activity in the right amygdala after "
        "treatment, which the authors linked to emotional re-engagement."
    )
    assert highlight.tags == ["mechanism"]
    assert highlight.note == "Replicates the earlier reset finding."
    db.conn.close()

    again = start()
    screen = again.wait_for("Psilocybin changed")
    assert "Replicates the earlier" in screen  # the note shows in the pane
    again.keys("q")


def test_corpus_amygdala_sentence_becomes_one_mechanism_highlight(terminal_factory, corpus_dir):
    """Issue 4's walk-through on the real article: `/` to the phrase, `s`, `1`."""
    start, db_path = terminal_factory
    term = start("open", str(corpus_dir / "amygdala-emotional-response.txt"))
    term.wait_for("Psychedelic therapy")
    term.keys("/")
    term.wait_for("find (enter accepts")
    term.keys("heightened activity", literal=True)
    term.keys("Enter")
    time.sleep(0.5)
    term.keys("s")
    term.keys("1")
    term.wait_for("mechanism 1")
    term.keys("q")
    term.wait_closed()
    db = open_db(db_path)
    (highlight,) = list_highlights(db)
    assert highlight.tags == ["mechanism"]
    assert highlight.quote.startswith("More intriguingly, the fMRI scans showed the drug heightened activity")
    assert highlight.quote.endswith(".") and highlight.quote.count(". ") == 0
