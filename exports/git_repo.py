"""The git command line, as team exchange uses it: one function per thing it asks of git.

postil uses the `git` program users already have rather than a library: every git host and
credential helper works with it, and what postil did can be read with `git log` in the clone.
Errors become TeamError with one line naming the repository and what went wrong.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

GIT_TIMEOUT_SECONDS = 120


class TeamError(Exception):
    """Something about the team repository failed; the message is one line for the user."""


class Unreachable(TeamError):
    """The remote could not be reached (offline, wrong address, no permission)."""


def git_program() -> str:
    found = shutil.which("git")
    if not found:
        raise TeamError("git is not installed: install git to share a review with a team")
    return found


def run_git(folder: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Run `git args...` in `folder`, without prompts, as postil's own identity if none is set."""
    env = {
        **os.environ,
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_AUTHOR_NAME": os.environ.get("GIT_AUTHOR_NAME", "postil"),
        "GIT_AUTHOR_EMAIL": os.environ.get("GIT_AUTHOR_EMAIL", "postil@localhost"),
        "GIT_COMMITTER_NAME": os.environ.get("GIT_COMMITTER_NAME", "postil"),
        "GIT_COMMITTER_EMAIL": os.environ.get("GIT_COMMITTER_EMAIL", "postil@localhost"),
    }
    try:
        done = subprocess.run(
            [git_program(), *args], cwd=folder, capture_output=True, text=True, env=env,
            timeout=GIT_TIMEOUT_SECONDS, stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired as error:
        raise Unreachable(f"{folder}: git {args[0]} took longer than {GIT_TIMEOUT_SECONDS} s") from error
    if check and done.returncode != 0:
        raise TeamError(f"{folder}: git {args[0]} failed: {last_line(done.stderr or done.stdout)}")
    return done


def last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else "no message"


def clone(remote: str, folder: Path) -> None:
    """Clone `remote` into `folder` (an empty remote gives an empty clone)."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    done = run_git(folder.parent, "clone", "--quiet", remote, str(folder), check=False)
    if done.returncode != 0:
        raise Unreachable(f"{remote}: cannot clone the team repository: {last_line(done.stderr)}")
    run_git(folder, "config", "core.autocrlf", "false")


def fetch(folder: Path) -> bool:
    """Fetch from origin; False when it cannot be reached (work goes on offline)."""
    return run_git(folder, "fetch", "--quiet", "origin", check=False).returncode == 0


def remote_head(folder: Path) -> str | None:
    """The remote branch to follow ("origin/main" or whatever it has), None if it is empty."""
    for branch in dict.fromkeys((local_branch(folder), "main", "master")):
        if run_git(folder, "rev-parse", "--verify", "--quiet", f"refs/remotes/origin/{branch}", check=False).returncode == 0:
            return f"origin/{branch}"
    return None


def local_branch(folder: Path) -> str:
    """The clone's branch (for an empty remote, the one its HEAD names, as git set it at clone)."""
    done = run_git(folder, "symbolic-ref", "--short", "HEAD", check=False)
    return done.stdout.strip() or "main"


def reset_to(folder: Path, ref: str) -> None:
    """Make the clone exactly `ref` (the clone's files are all written from the database)."""
    run_git(folder, "reset", "--quiet", "--hard", ref)
    run_git(folder, "clean", "--quiet", "-fd")


def commit_all(folder: Path, message: str) -> bool:
    """Commit every change in the clone; False when there was nothing to commit."""
    run_git(folder, "add", "--all")
    if run_git(folder, "diff", "--cached", "--quiet", check=False).returncode == 0:
        return False
    run_git(folder, "commit", "--quiet", "--no-verify", "-m", message)
    return True


def push(folder: Path, branch: str) -> str:
    """Push HEAD to origin's `branch`: "pushed", "rejected" (the remote moved on) or "unreachable"."""
    done = run_git(folder, "push", "--quiet", "origin", f"HEAD:refs/heads/{branch}", check=False)
    if done.returncode == 0:
        return "pushed"
    message = done.stderr.lower()
    if "rejected" in message or "fetch first" in message or "non-fast-forward" in message:
        return "rejected"
    return "unreachable"


def unpushed_commits(folder: Path, upstream: str | None) -> int:
    """How many commits the clone holds that the remote does not (all of them if it is empty)."""
    if run_git(folder, "rev-parse", "--verify", "--quiet", "HEAD", check=False).returncode != 0:
        return 0
    spec = f"{upstream}..HEAD" if upstream else "HEAD"
    done = run_git(folder, "rev-list", "--count", spec, check=False)
    return int(done.stdout.strip() or 0) if done.returncode == 0 else 0
