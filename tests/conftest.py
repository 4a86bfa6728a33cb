"""Fixtures shared by the whole suite (add yours below; keep the ones already here)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from app_support import SAMPLE, add_text, make_app

pytest_plugins = ["tmux_support"]
"""tmux_support's `terminal_factory` fixture, for the end-to-end tests in a real terminal."""

SHARED = Path(__file__).resolve().parents[2] / "shared"
"""The project's shared folder (corpus, style notes); absent on a fresh clone."""


@pytest.fixture
def shared_dir() -> Path:
    """The shared folder; the test is skipped when it is not there."""
    if not SHARED.is_dir():
        pytest.skip("../shared is not present")
    return SHARED


@pytest.fixture
def corpus_dir(shared_dir: Path) -> Path:
    """The sample corpus (five real articles); skipped when absent."""
    corpus = shared_dir / "corpus"
    if not corpus.is_dir():
        pytest.skip("../shared/corpus is not present")
    return corpus


@pytest.fixture
def app_settings(tmp_path: Path):
    """Settings for an app test: a fresh database file in tmp_path, author "tester"."""
    from postil.tui.settings import Settings

    return Settings(tmp_path / "postil.db", "tester", False)


@pytest.fixture
def app_db(app_settings):
    """The open database behind `app_settings` (created and migrated)."""
    return app_settings.open()


@pytest.fixture(autouse=False)
def fixed_clock(monkeypatch):
    """A fixed clock (POSTIL_NOW) so that stored and shown times do not change between runs."""
    monkeypatch.setenv("POSTIL_NOW", "2025-01-02T03:04:05.000Z")


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    """Run `async def` tests with asyncio.run (the suite needs no async plugin for Pilot tests)."""
    import asyncio
    import inspect

    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    arguments = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
    asyncio.run(pyfuncitem.obj(**arguments))
    return True


@pytest.fixture
def lock(app_settings, app_db):
    """Holds the write lock on the app's file from another connection until released."""

    class Lock:
        def __init__(self) -> None:
            self.conn = sqlite3.connect(app_settings.db_path, isolation_level=None, check_same_thread=False)

        def take(self) -> None:
            self.conn.execute("BEGIN IMMEDIATE")

        def release(self) -> None:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")

    held = Lock()
    yield held
    held.release()
    held.conn.close()


@pytest.fixture
def sample(app_settings, app_db):
    """The app on a short sample text, opened at its top: (app, source id)."""
    source_id = add_text(app_db, SAMPLE)
    return make_app(app_settings, app_db, source_id, at_top=True), source_id
