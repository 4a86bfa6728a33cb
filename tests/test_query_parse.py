"""The query parser: what each piece of the language becomes, and where errors point."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from postil.store.query import (
    MAX_DEPTH,
    And,
    Not,
    Or,
    Phrase,
    QueryError,
    Term,
    Words,
    parse,
    quote_value,
)


def test_empty_and_blank_queries_mean_everything():
    assert parse("") == And(())
    assert parse("   \t ") == And(())


def test_free_words_and_phrase():
    assert parse('relapse "six weeks"') == And((Words("relapse"), Phrase("six weeks")))


def test_fields_with_lists_and_negation():
    assert parse("tag:caveat,outcome -tag:anecdote") == And((
        Term("tag", ("caveat", "outcome")),
        Term("tag", ("anecdote",), negated=True),
    ))


def test_field_names_are_case_insensitive_and_values_may_be_quoted():
    assert parse('SOURCE:"amygdala study"') == Term("source", ("amygdala study",))
    assert parse('tag:"say ""hi""",b') == Term("tag", ('say "hi"', "b"))


@pytest.mark.parametrize("text, expected", [
    ("a OR b", Or((Words("a"), Words("b")))),
    ("a b OR c", Or((And((Words("a"), Words("b"))), Words("c")))),
    ("(a OR b) c", And((Or((Words("a"), Words("b"))), Words("c")))),
    ("a AND b", And((Words("a"), Words("b")))),
    ("-(a OR b)", Not(Or((Words("a"), Words("b"))))),
    ("NOT tag:x", Term("tag", ("x",), negated=True)),
    ("NOT -tag:x", Term("tag", ("x",))),
    ('-"a b"', Not(Phrase("a b"))),
    ("-word", Not(Words("word"))),
    ("a or b", And((Words("a"), Words("or"), Words("b")))),  # only upper-case OR is an operator
    ("((a))", Words("a")),
])
def test_boolean_structure(text, expected):
    assert parse(text) == expected


def test_every_field_parses():
    node = parse(
        "tag:a source:3 author:ana has:note,link rel:contradicts before:2026-12-01 "
        "after:2026-11-01 status:fuzzy quote:x note:\"y z\" id:3f2a"
    )
    assert [type(c).__name__ for c in node.children] == [
        "Term", "Term", "Term", "Term", "Term", "Term", "Term", "Term", "Words", "Phrase", "Term",
    ]
    assert node.children[8] == Words("x", "quote")
    assert node.children[9] == Phrase("y z", "note")


def test_dates_are_normalised_to_utc_stamps():
    assert parse("before:2026-12-01") == Term("before", ("2026-12-01",))
    assert parse("after:2026-11-01T12:00+02:00") == Term("after", ("2026-11-01T10:00:00.000Z",))
    assert parse("after:2026-11-01T12:00:00Z") == Term("after", ("2026-11-01T12:00:00.000Z",))


def test_punctuation_only_words_are_dropped():
    assert parse("relapse * --") == Words("relapse")
    assert parse("relap*") == Words("relap")
    assert parse("😀 OR relapse") == Words("relapse")
    assert parse("relapse (😀)") == Words("relapse")


@pytest.mark.parametrize("text", ["😀", "'", "*", "%", '""', "(😀)", "-😀", "😀 OR '", "quote:'", "note:*", "-(😀 %)"])
def test_a_query_with_nothing_to_search_for_is_an_error_not_everything(text):
    # It used to parse as the empty query, so `postil export '😀'` exported every highlight.
    with pytest.raises(QueryError) as caught:
        parse(text)
    assert "nothing to search for" in caught.value.message
    assert "letter or digit" in str(caught.value)


@pytest.mark.parametrize("depth", [450, 5000])
@pytest.mark.parametrize("shape", ["(", "-(", "NOT (", "( a OR "])
def test_nesting_is_bounded_with_a_clear_message(depth, shape):
    # 450 "(" typed into the app's search bar used to end the app with a RecursionError.
    text = shape * depth + "x" + ")" * depth
    with pytest.raises(QueryError) as caught:
        parse(text)
    assert caught.value.message == f"nested deeper than {MAX_DEPTH} groups"
    assert 0 < caught.value.position < len(shape) * depth


def test_nesting_up_to_the_bound_parses():
    text = "(" * MAX_DEPTH + "relapse" + ")" * MAX_DEPTH
    assert parse(text) == Words("relapse")
    pairs = MAX_DEPTH // 2  # each "-(" is two levels: the negation and the group
    negated = parse("-(" * pairs + "relapse" + ")" * pairs)
    assert negated == (Not(Words("relapse")) if pairs % 2 else Words("relapse"))


@pytest.mark.parametrize("text, message, position", [
    ("(a", "unclosed parenthesis", 0),
    ("a (b OR c", "unclosed parenthesis", 2),
    ("a)", "unmatched ')'", 1),
    ("()", "empty parentheses", 0),
    ('"open', "unclosed quote", 0),
    ('tag:"open', "unclosed quote", 4),
    ("foo:bar", "unknown field 'foo:'", 0),
    ("a http://x", "unknown field 'http:'", 2),
    ("tag:", "tag: needs a value", 0),
    ("x tag:,", "tag: needs a value", 2),
    ("OR a", "OR needs a term before it", 0),
    ("a OR", "OR needs a term after it", 2),
    ("a OR OR b", "OR needs a term after it", 2),
    ("a AND", "AND needs a term on both sides", 2),
    ("AND a", "AND needs a term on both sides", 0),
    ("NOT", "nothing to negate", 0),
    ("has:everything", "has:everything is not known", 0),
    ("status:lost", "status:lost is not known", 0),
    ("before:2026-02-30", "not a real date", 0),
    ("after:yesterday", "expects a date like 2026-12-01", 0),
    ("before:2026-01-01,2026-02-01", "before: takes one date", 0),
    ("NEAR(", "unclosed parenthesis", 4),
    ('"', "unclosed quote", 0),
])
def test_malformed_queries_say_what_and_where(text, message, position):
    with pytest.raises(QueryError) as caught:
        parse(text)
    assert message in caught.value.message
    assert caught.value.position == position
    assert f"at column {position + 1}" in str(caught.value)


def test_unknown_field_lists_the_known_ones():
    with pytest.raises(QueryError) as caught:
        parse("foo:bar")
    assert str(caught.value).startswith("unknown field 'foo:' at column 1; known: tag, source,")


def test_injection_text_is_only_ever_values():
    node = parse("tag:x' OR 1=1 --")
    assert node == Or((Term("tag", ("x'",)), Words("1=1")))
    assert parse("'; DROP TABLE highlights; --") == And((
        Words("DROP"), Words("TABLE"), Words("highlights;"),  # "';" is punctuation: dropped
    ))


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('abc -"(),:*ORANDNOT tag:has:note 1\x00é')) , max_size=40))
def test_parse_raises_only_query_error_on_query_like_text(text):
    try:
        parse(text)
    except QueryError as error:
        assert 0 <= error.position <= len(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_parse_raises_only_query_error_on_any_text(text):
    try:
        parse(text)
    except QueryError as error:
        assert 0 <= error.position <= len(text)


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=1, max_size=30))
def test_quote_value_round_trips_any_value(value):
    assert parse(f"tag:{quote_value(value)}") == Term("tag", (value,))
    assert parse(f"-source:{quote_value(value)},x") == Term("source", (value, "x"), negated=True)
