"""Running `postil` commands in tests: in-process with CliRunner, or as a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

from postil.tui.cli import cli

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus"


@dataclass
class Run:
    """What a command did, as a user sees it."""

    exit_code: int
    stdout: str
    stderr: str

    def json(self):
        return json.loads(self.stdout)


class Postil:
    """`postil --db <tmp>/p.db ...` against one fresh database file."""

    def __init__(self, tmp_path: Path, author: str = "tester") -> None:
        self.db_path = tmp_path / "p.db"
        self.tmp_path = tmp_path
        self.author = author

    def __call__(self, *args: str, input: str | None = None) -> Run:
        runner = CliRunner()
        result = runner.invoke(
            cli, ["--db", str(self.db_path), "--author", self.author, *map(str, args)], input=input
        )
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception  # a bug in a command: show its traceback in the test
        return Run(result.exit_code, result.stdout, result.stderr)

    def ok(self, *args: str, input: str | None = None) -> Run:
        """Run and require success."""
        run = self(*args, input=input)
        assert run.exit_code == 0, (run.exit_code, run.stderr, run.stdout)
        return run

    def fails(self, *args: str, input: str | None = None) -> Run:
        """Run and require the one-line failure the CLI promises: exit 1, "postil: ..." on stderr."""
        run = self(*args, input=input)
        assert run.exit_code == 1, (run.exit_code, run.stderr, run.stdout)
        lines = run.stderr.strip().splitlines()
        assert lines and all(l.startswith("postil: ") for l in lines), run.stderr
        assert "Traceback" not in run.stderr
        return run

    def command(self, *args: str) -> list[str]:
        """The argv of `python -m postil` on this database."""
        return [sys.executable, "-m", "postil", "--db", str(self.db_path), *map(str, args)]

    def process(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
        """Run `python -m postil` as a separate process (what a user's shell does)."""
        env = {**os.environ, "POSTIL_AUTHOR": "tester"}
        env.pop("POSTIL_DB", None)
        return subprocess.run(
            [sys.executable, "-m", "postil", "--db", str(self.db_path), *map(str, args)],
            capture_output=True, text=True, timeout=timeout, env=env, stdin=subprocess.DEVNULL,
        )

    def write(self, name: str, content: str | bytes) -> Path:
        path = self.tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path


ARTICLE = """Durability of response

Patients who responded at six weeks mostly kept the response at twelve months.
Some relapses followed stressful events.

Limits

The sample was small and the follow-up was short. The sample was small.
"""

NOTES = """# Field notes

A **bold** claim about the amygdala and heightened activity.

| a | b |
|---|---|
| one | two |
"""
