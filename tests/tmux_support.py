"""A real terminal for end-to-end tests: `postil` running in a tmux session, typed at and read.

Tests import `Terminal` and the `terminal_factory` fixture from here (pytest finds a fixture
imported into a test module). Every test using it should skip when tmux is missing:
`pytestmark = TMUX_MARKS`.
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

TMUX_MARKS = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]
"""Marks for a module of tmux tests: slow, and skipped without tmux."""


SOCKET = "postil-tests"


def _tmux(*args: str, **kwargs) -> subprocess.CompletedProcess:
    """Run a tmux client with Python's view of the environment.

    GNU readline (which pytest loads through pdb) writes COLUMNS=80 and LINES=24 into the C-level
    environment without touching `os.environ`. A tmux server started with those copies them into
    every pane, and `shutil.get_terminal_size()` (Textual's size source) trusts them over the tty,
    so the app drew at 80x24 inside a 160x48 window. Passing `os.environ` explicitly drops them.
    """
    # A server of our own (-L): a `tmux kill-server` elsewhere on the machine, or a user's own
    # sessions, can neither end a test's session nor clash with its names.
    return subprocess.run(["tmux", "-L", SOCKET, *args], env=dict(os.environ), **kwargs)


class Terminal:
    """A tmux session running one command, with helpers to type and read the screen."""

    def __init__(self, command: list[str], env: dict[str, str], size: tuple[int, int] = (160, 48)) -> None:
        # A unique name: other sessions (people, other test runs) share the tmux server.
        self.name = f"postil-{uuid.uuid4().hex[:8]}"
        env_args = [arg for key, value in env.items() for arg in ("-e", f"{key}={value}")]
        width, height = size
        # `env -u` too, for a tmux server someone else started with those variables set.
        unset_size = ["env", "-u", "COLUMNS", "-u", "LINES"]
        _tmux(
            "new-session", "-d", "-s", self.name, "-x", str(width), "-y", str(height), *env_args,
            *unset_size, *command,
            check=True,
        )

    def keys(self, *keys: str, literal: bool = False) -> None:
        flag = ["-l"] if literal else []
        _tmux("send-keys", "-t", self.name, *flag, *keys, check=True)
        time.sleep(0.3)

    def screen(self) -> str:
        return _tmux("capture-pane", "-p", "-t", self.name, capture_output=True, text=True, check=True).stdout

    def wait_for(self, text: str, timeout: float = 20) -> str:
        """The screen once `text` shows on it (AssertionError with the screen after `timeout`)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared; screen was:\n{self.screen()}")

    def alive(self) -> bool:
        return _tmux("has-session", "-t", self.name, capture_output=True).returncode == 0

    def wait_closed(self, timeout: float = 10) -> None:
        deadline = time.monotonic() + timeout
        while self.alive() and time.monotonic() < deadline:
            time.sleep(0.2)

    def close(self) -> None:
        _tmux("kill-session", "-t", self.name, capture_output=True)


@pytest.fixture
def terminal_factory(tmp_path):
    """(start, db_path): start(*args) runs `postil *args` in a new tmux session on a fresh database."""
    terminals = []
    postil = [sys.executable, "-m", "postil"]
    env = {
        "POSTIL_DB": str(tmp_path / "e2e.db"),
        "POSTIL_AUTHOR": "e2e",
        "PYTHONPATH": str(Path(__file__).resolve().parents[1]),
        "TERM": "xterm-256color",
        "HOME": os.environ.get("HOME", str(tmp_path)),
    }

    def start(*args: str, size: tuple[int, int] = (160, 48)) -> Terminal:
        terminal = Terminal([*postil, *args], env, size)
        terminals.append(terminal)
        return terminal

    yield start, tmp_path / "e2e.db"
    for terminal in terminals:
        terminal.close()
