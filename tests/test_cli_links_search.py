"""`postil link`, `unlink`, `links`, `relations`, `search`, `overview` through the command line."""

from __future__ import annotations

import pytest
from cli_support import ARTICLE, Postil


@pytest.fixture
def postil(tmp_path):
    p = Postil(tmp_path)
    p.ok("add", p.write("durability.txt", ARTICLE), p.write("other.txt", "Other study\n\nNo relapse was seen in a larger trial.\n"))
    return p


def two_highlights(postil) -> tuple[str, str]:
    a = postil.ok("mark", "1", "Some relapses followed stressful events.", "--tag", "caveat").stdout.strip()
    b = postil.ok("mark", "2", "No relapse was seen", "--tag", "outcome", "--note", "bigger n").stdout.strip()
    return a, b


def test_link_with_prefixes_and_list_both_ends(postil):
    a, b = two_highlights(postil)
    link = postil.ok("link", a[:8], b[:8], "--relation", "contradicts", "--note", "different samples", "--json").json()
    assert (link["from_id"], link["to_id"], link["relation"]) == (a, b, "contradicts")
    assert link["author"] == "tester"
    [listed] = postil.ok("links", "--json").json()
    assert listed["from"]["quote"] == "Some relapses followed stressful events."
    assert listed["to"]["source_title"] == "Other study"
    text = postil.ok("links").stdout
    assert "contradicts" in text and "Other study" in text


def test_link_refusals(postil):
    a, b = two_highlights(postil)
    unknown = postil.fails("link", a, b, "--relation", "refutes").stderr
    assert "unknown relation 'refutes'" in unknown and "supports" in unknown and "see-also" in unknown
    assert "cannot link to itself" in postil.fails("link", a, a).stderr
    assert "no highlight id starts with" in postil.fails("link", a, "ffffffff").stderr
    assert "too short" in postil.fails("link", "ab", b).stderr
    postil.ok("link", a, b)
    assert "already linked" in postil.fails("link", a, b).stderr
    assert len(postil.ok("links", "--json").json()) == 1


def test_unlink_by_ends_relation_or_link_id(postil):
    a, b = two_highlights(postil)
    first = postil.ok("link", a, b, "--relation", "qualifies").stdout.strip()
    postil.ok("link", a, b, "--relation", "supports")
    postil.ok("unlink", a, b, "--relation", "supports")
    assert [l["id"] for l in postil.ok("links", "--json").json()] == [first]
    assert "no link from" in postil.fails("unlink", b, a).stderr
    postil.ok("unlink", first[:10])
    assert postil.ok("links", "--json").json() == []
    assert "no link id starts with" in postil.fails("unlink", first[:10]).stderr


def test_relations_list_and_add(postil):
    names = [r["name"] for r in postil.ok("relations", "--json").json()]
    assert names == ["supports", "contradicts", "qualifies", "elaborates", "same-finding", "see-also"]
    postil.ok("relations", "add", "replicates", "--description", "Same method, new sample.")
    assert postil.ok("relations", "--json").json()[-1]["name"] == "replicates"
    a, b = two_highlights(postil)
    postil.ok("link", a, b, "-r", "replicates")


def test_search_text_and_json(postil):
    a, b = two_highlights(postil)
    link = postil.ok("link", a, b, "--relation", "contradicts").stdout.strip()
    lines = postil.ok("search", "relapse").stdout.split("\n\n")[0].splitlines()
    assert len(lines) == 2  # stemming: "relapses" and "relapse" (then passages of the text)
    assert postil.ok("search", "tag:caveat").stdout.startswith(a[:8])
    [hit] = postil.ok("search", "rel:contradicts -tag:caveat", "--json").json()
    assert hit["id"] == b and hit["source_title"] == "Other study" and hit["note"] == "bigger n"
    [seen] = hit["links"]
    assert (seen["id"], seen["relation"], seen["direction"], seen["other_id"]) == (link, "contradicts", "in", a)
    assert set(hit) >= {"id", "source_id", "source_title", "start", "end", "quote", "tags", "note", "author", "links"}
    assert len(postil.ok("search", "", "--limit", "1", "--json").json()) == 1


def test_search_no_results_and_malformed_queries(postil):
    two_highlights(postil)
    none = postil.ok("search", "durable-nothing-like-this")
    assert none.stdout == "" and "no highlights match" in none.stderr
    for query, where in [("(tag:caveat", "column"), ('"unclosed', "column"), ("tag:nosuchtag", "nosuchtag")]:
        run = postil.fails("search", query)
        assert where in run.stderr
    # Injection attempts are text to search for, never SQL.
    for query in ["tag:x' OR 1=1 --", "NEAR(", "*", "'; DROP TABLE highlights; --"]:
        run = postil(query and "search", query)
        assert run.exit_code in (0, 1) and "Traceback" not in run.stderr
    assert len(postil.ok("highlights", "--json").json()) == 2


def test_overview_table_and_json(postil):
    two_highlights(postil)
    table = postil.ok("overview").stdout
    header = table.splitlines()[0].split()
    assert header[:6] == ["id", "source", "mechanism", "outcome", "caveat", "anecdote"]
    data = postil.ok("overview", "--json").json()
    by_title = {s["title"]: s for s in data["sources"]}
    assert by_title["Other study"]["counts"]["outcome"] == 1
    assert data["total"] == 2
    assert any("0 caveats" in w["message"] for w in data["warnings"])


@pytest.mark.parametrize("query", ["😀", "'", "*", "%", "quote:'", "😀 OR %"])
def test_search_and_export_of_nothing_to_search_for_refuse_instead_of_matching_all(postil, tmp_path, query):
    two_highlights(postil)
    run = postil.fails("search", query)
    assert "nothing to search for" in run.stderr and run.stdout == ""
    target = tmp_path / "brief.md"
    run = postil.fails("export", query, "-o", target)
    assert "nothing to search for" in run.stderr
    assert not target.exists()


def test_search_nested_500_deep_is_one_line_not_a_traceback(postil):
    two_highlights(postil)
    run = postil.process("search", "(" * 500 + "relapse" + ")" * 500)
    assert run.returncode == 1
    assert run.stderr.strip().splitlines() == [
        "postil: nested deeper than 50 groups at column 51; remove some parentheses"
    ]


def test_search_query_may_start_with_a_minus(postil):
    """The README's `-tag:T` syntax works as the first word, without `--`."""
    two_highlights(postil)
    hits = postil.ok("search", "-tag:caveat relapse", "--json").json()
    assert [h["quote"] for h in hits] == ["No relapse was seen"]
    assert len(postil.ok("search", "-n", "1", "-tag:outcome", "--json").json()) == 1
    assert len(postil.ok("search", "-n1", "-tag:mechanism").stdout.splitlines()) == 1
    # Unquoted words are one query, too.
    assert [h["quote"] for h in postil.ok("search", "-tag:outcome", "relapses", "--json").json()] == [
        "Some relapses followed stressful events."
    ]


def test_search_shows_passages_of_the_sources_text_apart_from_highlights(tmp_path):
    postil = Postil(tmp_path)
    for name, text in [("a.txt", "Alpha\n\nSerotonin rose.\n"), ("b.txt", "Beta\n\nNo serotonin change.\n"),
                       ("c.txt", "Gamma\n\nSerotonin fell.\n"), ("d.txt", "Delta\n\nNothing here.\n")]:
        postil.ok("add", postil.write(name, text))
    hid = postil.ok("mark", "1", "Serotonin rose.").stdout.strip()
    out = postil.ok("search", "serotonin").stdout.splitlines()
    assert out[0].startswith(hid[:8]) and "Serotonin rose." in out[0]
    assert out[1] == "" and out[2] == "2 passages in the sources' text (not highlighted):"
    assert out[3].split()[:2] == ["2:6", "Beta"] and "No serotonin change." in out[3]
    assert out[4].split()[:2] == ["3:7", "Gamma"]
    [passage, _] = postil.ok("search", "serotonin", "--passages", "--json").json()
    assert passage == {"source_id": 2, "source_title": "Beta", "start": 6, "end": 26,
                       "match_start": 9, "match_end": 18, "text": "No serotonin change."}
    assert postil.ok("search", "serotonin", "--json").json()[0]["id"] == hid  # highlights, as before
    # No highlight matches: the passages still show, and stderr says why the list is short.
    run = postil.ok("search", "fell")
    assert "no highlights match" in run.stderr and "3:7" in run.stdout


def test_saved_searches_are_listed_added_and_forgotten(postil):
    assert "no saved searches" in postil.ok("queries").stdout
    postil.ok("queries", "add", "No anecdotes", "-tag:anecdote", "psilocybin")
    assert postil.ok("queries", "--json").json() == [{"name": "No anecdotes", "query": "-tag:anecdote psilocybin"}]
    assert "needs a value" in postil.fails("queries", "add", "Broken", "tag:").stderr  # not saved
    assert [q["name"] for q in postil.ok("queries", "--json").json()] == ["No anecdotes"]
    assert "forgot No anecdotes" in postil.ok("queries", "rm", "No anecdotes").stdout
    assert postil.ok("queries", "--json").json() == []
    assert postil.fails("queries", "rm", "No anecdotes").stderr.strip() == "postil: no saved query named 'No anecdotes'"
