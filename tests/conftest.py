"""Fixtures shared by the whole suite (add yours below; keep the ones already here)."""

from __future__ import annotations

from pathlib import Path

import pytest

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
