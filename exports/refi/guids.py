"""Stable GUIDs for REFI-QDA objects: uuid5 of postil's own ids and names.

Exporting the same database twice gives the same GUIDs, and a project exported, imported into
another database and exported again keeps them: highlights and links carry their own UUIDs;
tags, authors and sources are named by what survives the trip (the tag's path, the author's
name, the source's reading text).
"""

from __future__ import annotations

import hashlib
import re
import uuid

NAMESPACE = uuid.UUID("3f0c9a52-8d1e-5b7a-9c4e-7a1d2b3c4d5e")
"""postil's uuid5 namespace for REFI-QDA GUIDs (any fixed UUID; never change it)."""

_GUID = re.compile(r"\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?")


def derived(kind: str, key: str) -> str:
    """A GUID for the object of `kind` named `key`."""
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{key}"))


def text_key(text: str) -> str:
    """What names a source across databases: the sha256 of its reading text (LF line ends)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def of_id(value: str, kind: str) -> str:
    """Our UUID as a GUID; an id of another shape gets a derived one."""
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return derived(kind, value)


def source_guid(text: str) -> str:
    return derived("source", text_key(text))


def code_guid(path: str) -> str:
    return derived("code", path.casefold())


def user_guid(name: str) -> str:
    return derived("user", name)


def coding_guid(selection: str, code: str) -> str:
    return derived("coding", f"{selection}:{code}")


def normal(guid: str | None) -> str | None:
    """A GUID as we store it (lower case, no braces), or None if it is not one."""
    if not guid:
        return None
    match = _GUID.fullmatch(guid.strip())
    return match.group(1).lower() if match else None
