"""Ids for highlights and links: random UUIDs, stable across exports and merges."""

from __future__ import annotations

import uuid


def new_id() -> str:
    """A fresh id (a UUID4 in its usual text form)."""
    return str(uuid.uuid4())
