"""Timestamps as stored: ISO 8601 in UTC, sortable as text."""

from __future__ import annotations

import os
from datetime import datetime, timezone


def now() -> str:
    """The current time, e.g. "2026-11-25T12:00:00.123Z".

    `POSTIL_NOW` fixes the clock (snapshot tests and reproducible examples need it).
    """
    fixed = os.environ.get("POSTIL_NOW")
    if fixed:
        return fixed
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
