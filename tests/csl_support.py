"""Checking CSL-JSON against the CSL data schema (tests/fixtures/csl-schema, MIT)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import jsonschema

SCHEMA = Path(__file__).parent / "fixtures" / "csl-schema" / "csl-data.json"


@lru_cache(maxsize=1)
def _validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema)


def assert_valid_csl(items: list[dict]) -> None:
    """Fail with the first schema error when `items` is not valid CSL-JSON."""
    errors = sorted(_validator().iter_errors(items), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
