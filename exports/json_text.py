"""Indented JSON text, byte for byte what `json.dumps(value, ensure_ascii=False, indent=2)` writes,
about five times faster (issue 15: `postil highlights --json` of 100,000 highlights).

With `indent` set, the standard library leaves its C encoder and walks every value in Python
generators. Here the structure is walked once by one function, and every string goes through
the standard library's own C string encoder (`json.encoder.encode_basestring`), so strings,
numbers and layout come out as json writes them. Dataclasses are written as dicts of their
fields and dict keys as `str(key)`: what the command line's `plain()` makes of them first.
"""

from __future__ import annotations

import dataclasses
from json.encoder import encode_basestring
from typing import Any

INDENT = "  "
"""Two spaces a level, as `indent=2`."""

_FIELDS: dict[type, tuple[str, ...]] = {}


def indented(value: Any, level: int = 0) -> str:
    """`value` as `json.dumps(plain(value), ensure_ascii=False, indent=2)` writes it, with
    every line after the first indented by `level` more levels (an element of a list at that
    depth).

    Raises:
        TypeError: a value JSON cannot hold (as json.dumps raises it).
        ValueError: a container that holds itself.
    """
    out: list[str] = []
    _write(value, level, out, set())
    return "".join(out)


def record(value: Any) -> dict[str, Any]:
    """A dataclass instance's fields as a dict, in their order (shallow: nested values are
    written by `indented` as they are)."""
    return {name: getattr(value, name) for name in _field_names(type(value))}


def _field_names(kind: type) -> tuple[str, ...]:
    names = _FIELDS.get(kind)
    if names is None:
        names = _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(kind))
    return names


def _write(value: Any, level: int, out: list[str], active: set[int]) -> None:
    kind = type(value)
    # The common exact types first: is_dataclass and the isinstance chain cost more than the
    # encoding itself for a highlight's dozen small fields.
    if kind is str:
        out.append(encode_basestring(value))
        return
    if kind is int:
        out.append(int.__repr__(value))
        return
    if kind is list or kind is dict:
        _container(value, level, out, active)
        return
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = record(value)
    if isinstance(value, str):
        out.append(encode_basestring(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, float):
        out.append(_float(value))
    elif isinstance(value, (list, tuple, dict)):
        _container(value, level, out, active)
    else:
        raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _container(value: list | tuple | dict, level: int, out: list[str], active: set[int]) -> None:
    if not value:
        out.append("{}" if isinstance(value, dict) else "[]")
        return
    if id(value) in active:
        raise ValueError("Circular reference detected")
    marker = id(value)
    active.add(marker)
    inner = "\n" + INDENT * (level + 1)
    if isinstance(value, dict):
        out.append("{")
        separator = inner
        if not all(type(key) is str for key in value):
            # As plain() does: keys that read the same once str()-ed (1 and "1") become one,
            # the last value kept in the first one's place.
            value = {str(key): item for key, item in value.items()}
        for key, item in value.items():
            out.append(separator)
            out.append(encode_basestring(str(key)))
            out.append(": ")
            _write(item, level + 1, out, active)
            separator = "," + inner
        out.append("\n" + INDENT * level + "}")
    else:
        out.append("[")
        separator = inner
        for item in value:
            out.append(separator)
            _write(item, level + 1, out, active)
            separator = "," + inner
        out.append("\n" + INDENT * level + "]")
    active.discard(marker)


def _float(value: float) -> str:
    # json's floatstr with allow_nan=True (its default).
    if value != value:
        return "NaN"
    if value == float("inf"):
        return "Infinity"
    if value == float("-inf"):
        return "-Infinity"
    return float.__repr__(value)
