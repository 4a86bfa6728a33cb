"""Fixtures shared by the whole suite (add yours below; keep the ones already here)."""

from __future__ import annotations

from pathlib import Path

import pytest

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
