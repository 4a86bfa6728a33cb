"""Searching the fixture database: every operator, combinations, errors and injection attempts."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from search_fixture import build

from postil.store.errors import NotFound, StoreError
from postil.store.query import QueryError, parse
from postil.store.search import count, search, search_hits
from postil.store.search_saved import delete_saved_query, history, record_history, save_query, saved_queries
from postil.store.search_terms import emphasis_spans, match_terms


@pytest.fixture(scope="module")
def fx(tmp_path_factory):
    """One read-only fixture database for the module (tests that write build their own)."""
    return build(tmp_path_factory.mktemp("search") / "postil.db")


def names(fx, query, **kwargs):
    return sorted(fx.names(search(fx.db, query, **kwargs)))


ALL = ["a1", "a2", "a3", "f1", "f2", "f3", "t1", "t2", "t3", "t4"]


@pytest.mark.parametrize("query, expected", [
    ("", ALL),
    ("   ", ALL),
    # free words: stemmed, prefix for 3+ characters, quote and note both searched
    ("relapse", ["f2", "t2"]),
    ("relapses", ["f2", "t2"]),
    ("neuroplast", ["f1", "t4"]),
    ("neuroplast*", ["f1", "t4"]),
    ("durability", ["t1"]),  # in a note only
    ("FMRI", ["a1"]),
    ("psilocybin neuroplasticity", ["t4"]),
    ('"prefrontal cortex"', ["t4"]),
    ('"cortex prefrontal"', []),
    ('"fell after treatment"', ["a1"]),
    ("quote:durability", []),
    ("note:durability", ["t1"]),
    ('note:"forum post"', ["f1"]),
    # tags
    ("tag:caveat", ["a2", "t2"]),
    ("tag:CAVEAT", ["a2", "t2"]),
    ("tag:caveat,anecdote", ["a2", "f1", "f2", "t2", "t3"]),
    ("tag:cav", ["a2", "t2"]),  # a unique prefix while typing
    ("-tag:anecdote", ["a1", "a2", "a3", "f3", "t1", "t2", "t4"]),
    ("tag:outcome -tag:anecdote", ["a1", "t1", "t2"]),
    ("tag:mechanism tag:outcome", ["a1"]),
    # sources
    ("source:1", ["t1", "t2", "t3", "t4"]),
    ("source:amygdala", ["a1", "a2", "a3"]),
    ("source:AMYGDALA", ["a1", "a2", "a3"]),
    ('source:"chronic trauma"', ["t1", "t2", "t3", "t4"]),
    ("source:neuroplasticity", ["f1", "f2", "f3"]),  # a word of the origin file name only
    ("source:3,2", ["a1", "a2", "a3", "f1", "f2", "f3"]),
    ("source:nosuchsource", []),
    ("source:99", []),
    ("-source:1 -source:2", ["f1", "f2", "f3"]),
    # authors, notes, links, relations
    ("author:ana", ["a2", "f1", "t1", "t3", "t4"]),
    ("author:BEN", ["a1", "f2", "f3", "t2"]),
    ("author:ana,ben", ["a1", "a2", "f1", "f2", "f3", "t1", "t2", "t3", "t4"]),
    ("has:note", ["a1", "f1", "t1", "t3"]),  # a3's note is only spaces
    ("-has:note", ["a2", "a3", "f2", "f3", "t2", "t4"]),
    ("has:link", ["a1", "a2", "f1", "f2", "f3", "t2", "t4"]),
    ("-has:link", ["a3", "t1", "t3"]),
    ("has:tag", [n for n in ALL if n != "a3"]),
    ("-has:tag", ["a3"]),
    ("rel:contradicts", ["f2", "t2"]),
    ("rel:supports", ["a1", "f1", "f3", "t4"]),
    ("rel:qualifies,contradicts", ["a1", "a2", "f2", "t2"]),
    ("rel:see-also", []),
    # dates: before and after are strict, a bare date is a whole day
    ("before:2026-11-15", ["f1", "f2", "f3", "t1"]),
    ("after:2026-11-22", ["t3", "t4"]),
    ("after:2026-12-01", ["t4"]),
    ("before:2026-12-02", [n for n in ALL if n != "t4"]),
    ("after:2026-11-15T08:30:00Z", ["a1", "a2", "a3", "t3", "t4"]),
    ("after:2026-11-15T08:29:59Z before:2026-11-15T08:30:01Z", ["t2"]),
    ("after:2026-11-15T09:30+01:00 before:2026-11-16", []),
    # anchor status and ids
    ("status:fuzzy,orphaned", ["a3", "f2"]),
    ("status:moved", ["t4"]),
    ("id:00000001", ["t1"]),
    ("id:00000001-0000-4000-8000-000000000001,0000000A", ["f3", "t1"]),
    # combinations
    ("tag:outcome relapse", ["f2", "t2"]),
    ("tag:outcome OR tag:caveat", ["a1", "a2", "f2", "t1", "t2"]),
    ("(tag:mechanism OR tag:caveat) -source:1", ["a1", "a2", "f3"]),
    ("-(tag:mechanism OR tag:caveat) source:2", ["a3"]),
    ("tag:anecdote -relapse", ["f1", "t3"]),
    ('tag:mechanism -"prefrontal cortex"', ["a1", "f3"]),
    ("psilocybin OR amygdala", ["a1", "f3", "t4"]),
    ("(psilocybin OR amygdala) tag:outcome", ["a1"]),
    ("relapse OR has:note tag:anecdote", ["f1", "f2", "t2", "t3"]),
    ("NOT source:1 AND tag:anecdote", ["f1", "f2"]),
    ("source:forum rel:supports has:note", ["f1"]),
])
def test_queries_find_exactly_these(fx, query, expected):
    assert names(fx, query) == expected
    assert count(fx.db, query) == len(expected)


def test_results_are_in_source_title_then_document_order_with_tags_and_links(fx):
    results = search(fx.db, "")
    assert fx.names(results) == ["a1", "a2", "a3", "f1", "f2", "f3", "t1", "t2", "t3", "t4"]
    assert [h.source_id for h in results] == [2, 2, 2, 3, 3, 3, 1, 1, 1, 1]
    starts = [h.start for h in results if h.source_id == 1]
    assert starts == sorted(starts)
    first = results[0]
    assert first.quote == "Amygdala reactivity fell after treatment."
    assert first.tags == ["mechanism", "outcome"]  # tag id order
    assert first.link_count == 2
    t1 = results[6]
    assert t1.tags == ["outcome", "durability"]
    assert t1.link_count == 0


def test_limit_and_offset_page_through_the_same_order(fx):
    everything = fx.names(search(fx.db, ""))
    assert fx.names(search(fx.db, "", limit=3)) == everything[:3]
    assert fx.names(search(fx.db, "", limit=3, offset=3)) == everything[3:6]
    assert search(fx.db, "", limit=0) == []
    assert fx.names(search(fx.db, "", offset=8)) == everything[8:]


def test_everything_read_in_one_pass_equals_the_paged_plan(fx):
    # An empty query without a limit reads rows in index order with grouped tag and link
    # queries; a limit goes through the key list. Both must give the same highlights.
    whole = search_hits(fx.db, "")
    paged = search_hits(fx.db, "", limit=1000)
    assert whole == paged
    assert search_hits(fx.db, " ", offset=4) == paged[4:]
    assert search_hits(fx.db, "", offset=100) == []


def test_hits_carry_source_titles_and_parsed_queries_are_accepted(fx):
    hits = search_hits(fx.db, parse("tag:caveat"))
    assert [(fx.names([h.highlight])[0], h.source_title) for h in hits] == [
        ("a2", "Amygdala and emotional response"),
        ("t2", "Psychedelic therapy for chronic trauma"),
    ]


@pytest.mark.parametrize("query, message", [
    ("tag:nosuchtag", "unknown tag 'nosuchtag' at column 1; known: mechanism, outcome, caveat, anecdote, durability"),
    ("relapse -tag:zzz", "unknown tag 'zzz' at column 9"),
    ("rel:refutes", "unknown relation 'refutes' at column 1; known: supports, contradicts,"),
    ("(tag:caveat", "unclosed parenthesis at column 1"),
])
def test_names_that_do_not_exist_are_clean_errors(fx, query, message):
    with pytest.raises(QueryError) as caught:
        search(fx.db, query)
    assert str(caught.value).startswith(message)
    with pytest.raises(QueryError):
        count(fx.db, query)


INJECTIONS = [
    "tag:x' OR 1=1 --",
    "source:x' OR 1=1 --",
    "author:x' OR '1'='1",
    "'; DROP TABLE highlights; --",
    '"',
    '""',
    '"a" "',
    "*",
    "* *",
    "NEAR(",
    "NEAR(a b)",
    'NEAR "a"',
    '"relapse" NOT',
    "relapse NOT",
    "quote:*",
    "note:\"\"\"\"",
    "relapse^",
    "{quote}: relapse",
    "-",
    "--",
    "- relapse",
    ")",
    "(((",
    "a:b:c",
    "author:%",
    "author:_",
    "id:%",
    "id:_",
    "source:%",
    "relapse\x00",
    "\x00",
    "tag:caveat\u202e",
    "😀",
    "ＡＮＤ",
]


@pytest.mark.parametrize("query", INJECTIONS)
def test_injection_attempts_give_clean_errors_or_correct_results(fx, query):
    try:
        results = search(fx.db, query)
    except QueryError as error:
        assert "sqlite" not in str(error).lower() and "fts5" not in str(error).lower()
    else:
        assert len(results) == count(fx.db, query)
    assert count(fx.db, "") == 10  # nothing was changed or dropped


@pytest.mark.parametrize("query, expected", [
    ("author:%", []),  # LIKE wildcards are literal
    ("id:%", []),
    ("id:_", []),
    ("source:%", []),
    ("NEAR(a b)", []),  # NEAR is just a word; parentheses group
    ("relapse ^", ["f2", "t2"]),
])
def test_special_characters_are_literal(fx, query, expected):
    assert names(fx, query) == expected


@pytest.mark.parametrize("query", ["*", "😀", "'", "%", "quote:'", "(😀) OR *"])
def test_a_query_that_reduces_to_nothing_matches_nothing_it_is_an_error(fx, query):
    with pytest.raises(QueryError, match="nothing to search for"):
        search(fx.db, query)
    with pytest.raises(QueryError, match="nothing to search for"):
        count(fx.db, query)


def test_a_quote_inside_a_phrase_is_text(fx):
    assert names(fx, '"the ""fMRI"" study"') == ["a1"]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=50))
def test_search_of_any_text_raises_only_query_error(fx, text):
    try:
        search(fx.db, text, limit=5)
        count(fx.db, text)
    except QueryError:
        pass


QUERYISH = st.lists(
    st.sampled_from([
        "tag:caveat", "-tag:anecdote", "tag:out,cav", "source:1", "source:amyg", "has:link",
        "has:note", "rel:supports", "before:2026-11-20", "after:2026-11-01", "status:fuzzy",
        "author:ana", "relapse", '"six weeks"', "OR", "AND", "NOT", "(", ")", "-", '"', "*",
        "NEAR(", "quote:x", "id:0", "psilocybin", "-(", "tag:", ",",
    ]),
    max_size=8,
).map(" ".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(QUERYISH)
def test_search_of_query_like_text_raises_only_query_error(fx, text):
    try:
        results = search(fx.db, text)
    except QueryError:
        return
    assert len(results) == count(fx.db, text)
    # a successful query negated as a group finds exactly the rest
    if parse(text) != parse(""):
        rest = search(fx.db, f"-({text})")
        assert {h.id for h in results} | {h.id for h in rest} == set(fx.ids.values())
        assert not {h.id for h in results} & {h.id for h in rest}


def test_match_terms_and_emphasis(fx):
    assert match_terms('relapse tag:caveat "six weeks" -durability (fmri OR x)') == [
        "relapse", "six weeks", "fmri", "x",
    ]
    assert match_terms("(unclosed") == []
    text = "Relapses were common; relapsing was rare at six weeks, not six months."
    spans = emphasis_spans(text, ["relapse", "six weeks"])
    assert [text[a:b] for a, b in spans] == ["Relapses", "relapsing", "six weeks"]


def test_saved_queries(tmp_path):
    db = build(tmp_path / "p.db").db
    save_query(db, "caveats", "tag:caveat")
    save_query(db, "Anecdotes", "tag:anecdote")
    save_query(db, "caveats", "tag:caveat -source:1")  # same name replaces
    assert saved_queries(db) == [("Anecdotes", "tag:anecdote"), ("caveats", "tag:caveat -source:1")]
    with pytest.raises(QueryError):
        save_query(db, "broken", "(tag:caveat")
    with pytest.raises(StoreError):
        save_query(db, "  ", "tag:caveat")
    delete_saved_query(db, "Anecdotes")
    assert saved_queries(db) == [("caveats", "tag:caveat -source:1")]
    with pytest.raises(NotFound):
        delete_saved_query(db, "Anecdotes")


def test_history_is_newest_first_without_consecutive_repeats_and_bounded(tmp_path):
    db = build(tmp_path / "p.db").db
    for query in ["tag:caveat", "tag:caveat", "relapse", "  ", "tag:caveat"]:
        record_history(db, query)
    assert history(db) == ["tag:caveat", "relapse", "tag:caveat"]
    for number in range(250):
        record_history(db, f"q{number}")
    recent = history(db)
    assert len(recent) == 200
    assert recent[0] == "q249" and recent[-1] == "q50"


def test_history_survives_reopening(tmp_path):
    from postil.store.db import open_db

    path = tmp_path / "p.db"
    db = build(path).db
    record_history(db, "tag:caveat")
    db.close()
    assert history(open_db(path)) == ["tag:caveat"]


def test_no_sqlite_error_escapes_for_a_closed_fts_shape(fx):
    # every free-text form goes through FTS as quoted strings; sanity check the raw engine
    for text in ["NEAR(", '"', "*", "AND", "OR", "NOT", "^", ":"]:
        try:
            search(fx.db, text)
        except QueryError:
            pass
        except sqlite3.Error as error:  # pragma: no cover - the failure we guard against
            pytest.fail(f"{text!r} reached SQLite as syntax: {error}")


def test_a_page_walked_in_order_equals_the_page_of_the_sorted_plan(tmp_path):
    """Paged searches may walk highlights in result order and stop early; the page must be
    exactly what sorting every match would give, whichever plan runs."""
    import hashlib

    from postil.sources.blocks import Block
    from postil.sources.document import Document, LoadedSource
    from postil.store import search as store_search
    from postil.store.db import open_db, write
    from postil.store.highlights import create_highlight
    from postil.store.links import create_link
    from postil.store.source_add import add_source

    db = open_db(tmp_path / "walk.db")
    ids = []
    with write(db):
        for n, title in enumerate(["beta", "Alpha", "gamma"]):
            text = " ".join(f"word{i} relapse note" for i in range(300))
            doc = Document(title, text, [Block("paragraph", 0, len(text))], "text")
            source = add_source(db, LoadedSource(doc, f"/{title}", hashlib.sha256(text.encode()).hexdigest(), 1)).source
            for i in range(0, 240, 3):
                tag = ["caveat", "outcome", "anecdote"][(i + n) % 3]
                ids.append(create_highlight(db, source.id, i * 10, i * 10 + 8, tags=[tag], note="n" if i % 2 else "").id)
        for a, b in zip(ids[::7], ids[3::7]):
            create_link(db, a, b, relation="qualifies")
    queries = ["", "tag:caveat", "has:link", "-has:link", "has:note tag:outcome", "relapse tag:anecdote", "rel:qualifies"]
    for query in queries:
        everything = [h.id for h in store_search.search(db, query)]
        for budget in (0, 10_000):
            store_search.WALK_BUDGET = budget
            try:
                for offset in (0, 5, 50):
                    page = [h.id for h in store_search.search(db, query, limit=10, offset=offset)]
                    assert page == everything[offset:offset + 10], (query, budget, offset)
            finally:
                store_search.WALK_BUDGET = 40
