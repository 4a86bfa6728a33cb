"""`postil mark`, `highlights`, `tags`, `tag ...` through the command line."""

from __future__ import annotations

import json

import pytest
from cli_support import ARTICLE, Postil


@pytest.fixture
def postil(tmp_path):
    p = Postil(tmp_path)
    p.ok("add", p.write("durability.txt", ARTICLE))
    return p


def test_mark_prints_the_id_and_stores_the_exact_quote(postil):
    hid = postil.ok("mark", "durability", "Some relapses followed stressful events.", "--tag", "caveat").stdout.strip()
    [h] = postil.ok("highlights", "--json").json()
    assert h["id"] == hid
    assert h["quote"] == "Some relapses followed stressful events."
    text = postil.ok("show", "1").stdout
    assert text[h["start"] : h["end"]] == h["quote"]
    assert h["tags"] == ["caveat"] and h["author"] == "tester" and h["anchor_status"] == "anchored"
    assert h["source_title"] == "Durability of response"


def test_mark_nth_occurrence_tags_note_and_json(postil):
    first = postil.ok("mark", "1", "The sample was small", "--json").json()
    second = postil.ok(
        "mark", "1", "The sample was small", "--nth", "2", "--tag", "caveat", "--tag", "Sample size",
        "--note", "n is 12", "--json",
    ).json()
    assert second["start"] > first["start"]
    assert second["tags"] == ["caveat", "Sample size"] and second["note"] == "n is 12"
    names = [t["name"] for t in postil.ok("tags", "--json").json()]
    assert "Sample size" in names  # unknown tag created


def test_mark_errors_are_one_line(postil):
    assert "not found in source 1" in postil.fails("mark", "1", "not in the text").stderr
    assert "occurs only 2 time(s)" in postil.fails("mark", "1", "The sample was small", "--nth", "3").stderr
    assert "no source matches" in postil.fails("mark", "nope", "small").stderr
    assert "longer than 60" in postil.fails("mark", "1", "small", "--tag", "t" * 61).stderr
    assert postil.ok("highlights", "--json").json() == []


def test_highlights_table_is_sanitised(postil):
    postil.ok("mark", "1", "small", "--note", "evil \x1b[31mred\x1b[0m\nsecond line")
    run = postil.ok("highlights")
    assert "\x1b" not in run.stdout
    assert len(run.stdout.splitlines()) == 2  # header + one row: the note's newline is shown, not obeyed
    [h] = postil.ok("highlights", "--json").json()
    assert h["note"] == "evil \x1b[31mred\x1b[0m\nsecond line"  # JSON keeps it exact...
    assert "\x1b" not in postil.ok("highlights", "--json").stdout  # ...escaped


def test_json_escapes_c1_and_bidi_but_round_trips(postil):
    note = "a\u202eb\u009bc\u200bd\u2028e"
    postil.ok("mark", "1", "small", "--note", note)
    raw = postil.ok("highlights", "--json").stdout
    assert not any(c in raw for c in "\u202e\u009b\u200b\u2028")
    assert json.loads(raw)[0]["note"] == note


def test_highlights_of_one_source(postil):
    postil.ok("add", postil.write("other.txt", "Other\n\nsmall things\n"))
    postil.ok("mark", "1", "small")
    postil.ok("mark", "2", "small things")
    assert len(postil.ok("highlights", "--json").json()) == 2
    [only] = postil.ok("highlights", "other", "--json").json()
    assert only["quote"] == "small things"


def test_tags_with_counts_per_source(postil):
    postil.ok("mark", "1", "small", "--tag", "caveat")
    postil.ok("mark", "1", "short", "--tag", "caveat")
    tags = {t["name"]: t for t in postil.ok("tags", "--json").json()}
    assert list(tags)[:4] == ["mechanism", "outcome", "caveat", "anecdote"]
    assert tags["caveat"]["count"] == 2
    assert tags["caveat"]["per_source"] == [{"source_id": 1, "source_title": "Durability of response", "count": 2}]
    text = postil.ok("tags").stdout
    assert text.splitlines()[0].split() == ["key", "tag", "colour", "highlights", "description"]


def test_tag_subcommands(postil):
    postil.ok("mark", "1", "small", "--tag", "caveat", "--tag", "limits")
    postil.ok("tag", "rename", "limits", "limitation")
    postil.ok("tag", "describe", "limitation", "Anything that limits the claim.")
    assert postil.ok("tag", "color", "limitation", "cyan", "--json").json()["color"] == "#00ffff"
    assert "not a colour" in postil.fails("tag", "color", "limitation", "no-such-colour").stderr
    added = postil.ok("tag", "add", "durability", "--color", "#123456", "--description", "How long it lasts", "--json").json()
    assert added["color"] == "#123456"
    postil.ok("tag", "merge", "limitation", "caveat")
    tags = {t["name"]: t for t in postil.ok("tags", "--json").json()}
    assert "limitation" not in tags and tags["caveat"]["count"] == 1
    assert "no tag named" in postil.fails("tag", "rename", "nope", "other").stderr
    assert "exists already" in postil.fails("tag", "rename", "durability", "caveat").stderr


def test_tag_delete_asks_when_in_use(postil):
    postil.ok("mark", "1", "small", "--tag", "caveat")
    refused = postil("tag", "delete", "caveat")
    assert refused.exit_code == 1 and "was not deleted" in refused.stderr
    postil.ok("tag", "delete", "outcome")  # unused: no question
    postil.ok("tag", "delete", "caveat", "--yes")
    names = [t["name"] for t in postil.ok("tags", "--json").json()]
    assert "caveat" not in names and "outcome" not in names
    [h] = postil.ok("highlights", "--json").json()
    assert h["tags"] == []  # the highlight stays, without the tag


def test_highlight_edit_and_rm_from_the_command_line(tmp_path):
    postil = Postil(tmp_path)
    postil.ok("add", postil.write("a.txt", ARTICLE))
    hid = postil.ok("mark", "1", "Some relapses followed stressful events.", "--tag", "caveat").stdout.strip()
    edited = postil.ok("highlight", "edit", hid[:8], "--note", "**n=20**", "--tag", "outcome",
                       "--untag", "caveat", "--json").json()
    assert (edited["id"], edited["note"], edited["tags"]) == (hid, "**n=20**", ["outcome"])
    [listed] = postil.ok("highlights", "--json").json()
    assert listed["note"] == "**n=20**" and listed["tags"] == ["outcome"]
    assert "no change asked" in postil.fails("highlight", "edit", hid).stderr
    assert "not on highlight" in postil.fails("highlight", "edit", hid, "--untag", "anecdote").stderr
    assert postil.ok("highlights", "--json").json()[0]["tags"] == ["outcome"]  # the failed edit changed nothing
    removed = postil.ok("highlight", "rm", hid[:8]).stdout
    assert hid[:8] in removed and "Some relapses" in removed
    assert postil.ok("highlights", "--json").json() == []
    assert "no highlight id starts with" in postil.fails("highlight", "rm", hid[:8]).stderr
