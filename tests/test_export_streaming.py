"""Streamed exports (CSV, JSON, W3C, `highlights --json`): the same bytes as the collected
ones, written while the highlights are still being read."""

from __future__ import annotations

import io
import json
import sys

import pytest
from cli_support import Postil
from export_fixtures import add_text_source, two_source_db

from postil.exports.brief import render_brief, write_brief
from postil.exports.brief_input import StoreInput
from postil.exports.brief_plan import BriefPlan
from postil.exports.citations import Citer, gather
from postil.exports.collect import collect
from postil.exports.stream import StreamedExport, write_export
from postil.exports.tabular import to_csv, to_json
from postil.exports.w3c import dumps
from postil.store.db import open_db, write
from postil.store.highlights import create_highlight, get_highlights, list_highlights
from postil.store.links import create_link
from postil.store.models import Highlight
from postil.store.reviewers import blind_view, set_blind_mode
from postil.store.streaming import search_batches
from postil.tui.commands import searching
from postil.tui.commands.common import dumps as json_text
from postil.tui.commands.common import echo_json_list
from postil.tui.commands.highlight_json import HighlightJson

COLLECTED = {"csv": to_csv, "json": to_json, "w3c": dumps}


@pytest.fixture
def db(tmp_path):
    """Two sources, links across them, a quote that no longer matches, an odd title."""
    db = open_db(tmp_path / "postil.db")
    marks = two_source_db(db)
    text = "\n\n".join(f"Para {i}: =SUM(A1) \u202e bidi and \u2028 line {i}." for i in range(30))
    third = add_text_source(db, text, "=Third \"source\" \u0007", "/data/third.txt")
    made = [create_highlight(db, third.id, text.index(f"Para {i}:"), text.index(f"Para {i}:") + 12,
                             tags=["caveat"] if i % 3 else [], note="-note" if i % 4 == 0 else "")
            for i in range(30)]
    create_link(db, made[0].id, marks["outcome"].id, relation="contradicts")
    create_link(db, made[5].id, made[25].id, relation="supports")
    with write(db):
        db.execute("UPDATE highlights SET quote = 'changed' WHERE id = ?", [made[7].id])
    return db


def streamed(db, fmt: str, query: str = "", batch: int = 4) -> str:
    out = io.StringIO(newline="")
    write_export(StreamedExport(db, query, "A title", batch=batch), fmt, out)
    return out.getvalue()


@pytest.mark.parametrize("fmt", COLLECTED)
@pytest.mark.parametrize("query", ["", "tag:caveat", "has:link", "nothing-matches-this"])
def test_a_streamed_export_is_byte_identical_to_the_collected_one(db, fmt, query, monkeypatch):
    monkeypatch.setenv("POSTIL_NOW", "2026-01-02T03:04:05.000Z")
    # Batches of 4 split sources and links between batches.
    assert streamed(db, fmt, query) == COLLECTED[fmt](collect(db, query, "A title"))


def test_rows_are_written_before_the_last_is_read(db):
    export = StreamedExport(db, "", "A title", batch=4)
    read_when_written: list[int] = []

    class Watch(io.StringIO):
        def write(self, text: str) -> int:
            read_when_written.append(export.written)
            return super().write(text)

    write_export(export, "json", Watch())
    total = len(list_highlights(db))
    assert export.written == total == 35
    # The first record went out after the first batch, long before the last was read.
    assert read_when_written[1] == 4
    assert json.loads(streamed(db, "json"))[0]["id"]


@pytest.mark.parametrize("sizes", [[], [[]], [[1, {"a": "x\ny"}]], [[{"b": [1, 2]}, "\u202e"], [], [None]]])
def test_a_json_list_printed_in_pieces_is_what_echo_json_prints(sizes, capsys):
    echo_json_list(sizes)
    whole = [value for batch in sizes for value in batch]
    assert capsys.readouterr().out == json_text(whole) + "\n"


def test_highlights_json_lists_every_highlight_with_its_source_title(tmp_path):
    postil = Postil(tmp_path)
    db = open_db(postil.db_path)
    two_source_db(db)
    listed = postil.ok("highlights", "--json")
    # Streamed batch by batch, it is the one JSON text of the whole list (test_cli_json checks
    # the objects' keys and values).
    expected = HighlightJson(db).objects(list_highlights(db))
    assert {e["source_title"] for e in expected} == {"Trial report", "Mechanisms"}
    assert listed.stdout == json_text(expected) + "\n"
    assert postil.ok("highlights", "2", "--json").json() == [e for e in expected if e["source_id"] == 2]


def test_a_streamed_export_to_a_file_appears_whole_and_says_what_it_wrote(tmp_path):
    postil = Postil(tmp_path)
    two_source_db(open_db(postil.db_path))
    target = tmp_path / "out.csv"
    run = postil.ok("export", "--format", "csv", "-o", str(target))
    assert run.stdout.startswith("wrote 5 highlights from 2 sources to ")
    assert target.read_bytes().count(b"\r\n") == 6
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".postil-")] == []
    assert "already exists" in postil.fails("export", "--format", "csv", "-o", str(target)).stderr


def streamed_brief(db, query: str, by: str, batch: int = 4, out: io.StringIO | None = None,
                   **options) -> tuple[str, list, StoreInput]:
    source = StoreInput(db, query, "A title", batch=batch)
    plan = BriefPlan.read(source, by)
    out = out if out is not None else io.StringIO(newline="")
    mismatches = write_brief(plan, source, out, by, **options)
    return out.getvalue(), mismatches, source


@pytest.mark.parametrize("by", ["tag", "source", "order"])
@pytest.mark.parametrize("query", ["", "tag:caveat", "has:link", "nothing-matches-this"])
def test_a_brief_read_from_the_store_in_batches_is_the_collected_brief(db, by, query, monkeypatch):
    monkeypatch.setenv("POSTIL_NOW", "2026-01-02T03:04:05.000Z")
    # Batches of 4 split sources, sections and both ends of links between batches.
    text, mismatches, _source = streamed_brief(db, query, by)
    brief = render_brief(collect(db, query, "A title"), by)
    assert text == brief.text
    assert [h.id for h in mismatches] == [h.id for h in brief.mismatches]


@pytest.mark.parametrize("style", ["apa", "vancouver", None])
def test_a_cited_brief_read_in_batches_is_the_collected_one(db, style, monkeypatch):
    monkeypatch.setenv("POSTIL_NOW", "2026-01-02T03:04:05.000Z")
    source = StoreInput(db, "", "A title", batch=4)
    plan = BriefPlan.read(source, "tag")
    out = io.StringIO(newline="")
    write_brief(plan, source, out, "tag", citer=Citer(plan.sources, gather(db, plan.sources), style,
                                                        pandoc=style is None))
    data = collect(db, "", "A title")
    brief = render_brief(data, "tag", citer=Citer(data.sources, gather(db, data.sources), style,
                                                   pandoc=style is None))
    assert out.getvalue() == brief.text
    assert "## References" in brief.text


@pytest.mark.parametrize("by", ["tag", "source", "order"])
def test_a_brief_writes_its_first_highlight_before_its_last_is_read(db, by):
    source = StoreInput(db, "", "A title", batch=4)
    plan = BriefPlan.read(source, by)
    read_when_quoted: list[int] = []

    class Watch(io.StringIO):
        def write(self, text: str) -> int:
            if "\n> " in text or text.startswith("> "):  # a highlight's quote
                read_when_quoted.append(source.read)
            return super().write(text)

    write_brief(plan, source, Watch(), by)
    assert source.read == len(read_when_quoted) == 35
    # The first quote went out with the first batch (of 4) read, long before the last was.
    assert read_when_quoted[0] <= 4


def test_a_brief_counts_links_once_however_many_batches_it_reads(db):
    """Each batch of either pass counted its highlights' links, and its far ends' (~2.4 s of
    CPU at 100,000 highlights): the counts are read once, and are the same numbers."""
    statements: list[str] = []
    db.set_trace_callback(statements.append)
    source = StoreInput(db, "", "A title", batch=4)
    write_brief(BriefPlan.read(source, "tag"), source, io.StringIO(), "tag")
    db.set_trace_callback(None)
    counting = [sql for sql in statements if "UNION ALL SELECT to_id FROM links" in sql]
    assert len(counting) == 1
    batches = [h for batch in source.glimpses(list(range(1, 40))) for h in batch]
    assert len(batches) == 35 and any(h.link_count for h in batches)
    assert [(h.id, h.link_count) for h in batches] == [(h.id, h.link_count) for h in get_highlights(db, [h.id for h in batches])]


def test_a_brief_reads_each_sources_blocks_once_however_many_sections_visit_it(db):
    """Each section by tag walks the sources again: their blocks were read and prepared for
    each batch that met them (~1,700 times for 200 sources at 100,000 highlights)."""
    statements: list[str] = []
    source = StoreInput(db, "", "A title", batch=4)
    plan = BriefPlan.read(source, "tag")
    db.set_trace_callback(statements.append)
    write_brief(plan, source, io.StringIO(), "tag")
    db.set_trace_callback(None)
    blocks = [sql for sql in statements if "FROM blocks WHERE source_id" in sql]
    assert len(plan.sections) > 1 and len(blocks) == len(plan.sources) == 3


def test_the_first_pass_keeps_counts_and_keys_not_highlights(db):
    plan = BriefPlan.read(StoreInput(db, "", "A title", batch=4), "tag")
    # What stays between the passes: row keys per section (the quote that no longer
    # matches is kept to be reported), never the other highlights.
    kept = [value for value in vars(plan).values() if isinstance(value, list)]
    held = [item for value in kept for item in value if isinstance(item, Highlight)]
    assert [h.quote for h in held] == ["changed"]
    assert sum(len(section.printed) for section in plan.sections) == plan.total == 35


def half_bos_in_blind_mode(db, monkeypatch):
    """Half the highlights made bo's (links then cross between reviewers and sources), blind
    mode on, and ann's view of it; the clock fixed so exports compare byte for byte."""
    monkeypatch.setenv("POSTIL_NOW", "2026-01-02T03:04:05.000Z")
    with write(db):
        db.execute("UPDATE highlights SET author = 'bo' WHERE pk % 2 = 0")
    set_blind_mode(db, True)
    return blind_view(db, "ann")


@pytest.mark.parametrize("fmt", COLLECTED)
def test_blind_mode_and_one_reviewer_stream_what_collect_gives(db, fmt, monkeypatch):
    view = half_bos_in_blind_mode(db, monkeypatch)
    for reviewer in (None, "bo"):
        out = io.StringIO(newline="")
        write_export(StreamedExport(db, "", "A title", batch=4, view=view, reviewer=reviewer), fmt, out)
        expected = COLLECTED[fmt](collect(db, "", "A title", view=view, reviewer=reviewer))
        assert out.getvalue() == expected
    # ann sees none of bo's highlights (no source is marked done), not even as a link's end.
    out = io.StringIO(newline="")
    write_export(StreamedExport(db, "", "A title", batch=4, view=view), fmt, out)
    hidden = [row[0] for row in db.execute("SELECT id FROM highlights WHERE author = 'bo'")]
    assert hidden and not any(hid in out.getvalue() for hid in hidden)


@pytest.mark.parametrize("by", ["tag", "source"])
def test_a_blind_brief_read_in_batches_is_the_collected_one(db, by, monkeypatch):
    view = half_bos_in_blind_mode(db, monkeypatch)
    for reviewer in (None, "bo"):
        source = StoreInput(db, "", "A title", batch=4, view=view, reviewer=reviewer)
        out = io.StringIO(newline="")
        write_brief(BriefPlan.read(source, by), source, out, by)
        assert out.getvalue() == render_brief(collect(db, "", "A title", view=view, reviewer=reviewer), by).text


def test_a_section_spread_over_many_sources_holds_a_few_of_their_texts_at_a_time(tmp_path, monkeypatch):
    monkeypatch.setenv("POSTIL_NOW", "2026-01-02T03:04:05.000Z")
    db = open_db(tmp_path / "many.db")
    rare = []
    for n in range(10):
        text = f"Study {n} found a rare effect.\n\nIt held in every arm."
        source = add_text_source(db, text, f"Study {n}", f"/data/study-{n}.txt")
        rare.append(create_highlight(db, source.id, 0, 10, tags=["rare"]))
        create_highlight(db, source.id, text.index("It held"), len(text), tags=["outcome"])
    # Links between highlights rendered in different parts of one batch.
    create_link(db, rare[0].id, rare[9].id, relation="contradicts")
    create_link(db, rare[5].id, rare[1].id, relation="supports")
    source = StoreInput(db, "", "A title", batch=500)
    plan = BriefPlan.read(source, "tag")
    rare = next(section for section in plan.sections if section.heading == "Rare")
    held = [sorted(data.sources) for data in source.render_keys(rare.printed)]
    # Ten highlights in ten sources, read in one batch, rendered four sources at a time.
    assert [len(ids) for ids in held] == [4, 4, 2]
    out = io.StringIO(newline="")
    write_brief(plan, source, out, "tag")
    assert out.getvalue() == render_brief(collect(db, "", "A title"), "tag").text


def test_search_json_writes_each_batch_before_reading_the_next(tmp_path, monkeypatch):
    postil = Postil(tmp_path)
    db = open_db(postil.db_path)
    two_source_db(db)
    expected = postil.ok("search", "--json").stdout
    written_when_read: list[int] = []

    def small_batches(*args, **kwargs):
        for batch in search_batches(*args, **kwargs, size=2):
            sys.stdout.flush()
            written_when_read.append(len(sys.stdout.buffer.getvalue()))
            yield batch

    monkeypatch.setattr(searching, "search_batches", small_batches)
    assert postil.ok("search", "--json").stdout == expected
    # Five highlights in batches of two: the first two objects were out before the third was read.
    assert len(written_when_read) == 3
    assert written_when_read[0] == 0 < written_when_read[1] < written_when_read[2]
    assert postil.ok("search", "--json", "-n", "3").json() == json.loads(expected)[:3]
    assert postil.ok("search", "tag:caveat", "--json").json() == [
        h for h in json.loads(expected) if "caveat" in h["tags"]]
