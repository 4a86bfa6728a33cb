"""The fast indented JSON writer (exports/json_text.py) against json.dumps(indent=2).

`postil highlights --json` and every command's JSON go through `indented`; it must give the
standard library's bytes exactly, on the hard cases: non-ASCII and control characters,
surrogates, floats at their edges, empty and nested containers, non-string keys, dataclasses.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from postil.exports.json_text import indented, record
from postil.tui.commands.common import dumps, plain


@dataclass
class Inner:
    name: str
    weights: list[float] = field(default_factory=list)


@dataclass
class Outer:
    id: str
    inner: Inner
    tags: tuple[str, ...] = ()
    extra: dict = field(default_factory=dict)


def reference(value, level: int = 0) -> str:
    text = json.dumps(plain(value), ensure_ascii=False, indent=2)
    return text.replace("\n", "\n" + "  " * level)


SCALARS = (
    st.none() | st.booleans() | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=20)
    | st.sampled_from(["\x00\x1f\x7f\x85\u2028\u202e\ufeff", "\"\\/\b\f\n\r\t", "\ud800", "é🎉"])
)
KEYS = st.text(max_size=8) | st.integers(-5, 5) | st.booleans() | st.none() | st.floats(allow_nan=False)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
    | st.dictionaries(KEYS, inner, max_size=4)
    | st.builds(Inner, st.text(max_size=6), st.lists(st.floats(), max_size=3)),
    max_leaves=25,
)


@settings(max_examples=500, deadline=None)
@given(value=VALUES, level=st.integers(0, 3))
def test_indented_is_json_dumps_indent_2(value, level):
    assert indented(value, level) == reference(value, level)


@pytest.mark.parametrize("value", [
    [], {}, [[]], [{}], {"a": []}, {"": {"": [None]}}, 0.0, -0.0, 1e300, 5e-324, math.inf, -math.inf,
    math.nan, 2**64, True, "\u0000\u001b[31m", [1, [2, [3, [4]]]],
    Outer("x", Inner("é", [0.1, 1e16]), ("a", "b"), {1: Inner("n"), None: ()}),
])
def test_hard_cases(value):
    assert indented(value) == reference(value)
    assert indented([value, value], 2) == reference([value, value], 2)


def test_record_keeps_field_order_and_nested_values():
    value = Outer("x", Inner("y"))
    assert list(record(value)) == ["id", "inner", "tags", "extra"]
    assert record(value)["inner"] is value.inner


def test_what_json_cannot_hold_raises_as_json_does():
    with pytest.raises(TypeError, match="not JSON serializable"):
        indented({"a": object()})
    looped: list = []
    looped.append(looped)
    with pytest.raises(ValueError):
        indented(looped)


def test_dumps_escapes_what_a_terminal_would_act_on():
    assert dumps({"q": "a\u202eb\x85"}) == '{\n  "q": "a\\u202eb\\u0085"\n}'
