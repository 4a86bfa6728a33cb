"""`postil add`, `sources`, `show`, `rm`, `refresh` through the command line."""

from __future__ import annotations

import pytest
from cli_support import ARTICLE, CORPUS, NOTES, Postil


@pytest.fixture
def postil(tmp_path):
    return Postil(tmp_path)


def test_add_prints_one_line_per_source_and_again_is_unchanged(postil):
    article = postil.write("durability.txt", ARTICLE)
    notes = postil.write("notes.md", NOTES)
    first = postil.ok("add", article, notes)
    lines = first.stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("1  Durability of response  (") and lines[0].endswith("added")
    assert lines[1].startswith("2  Field notes") and "blocks) added" in lines[1]
    again = postil.ok("add", article, notes)
    assert [l.rsplit(" ", 1)[1] for l in again.stdout.splitlines()] == ["unchanged", "unchanged"]
    assert len(postil.ok("sources", "--json").json()) == 2


def test_re_adding_the_same_file_from_a_new_place_records_the_new_place(postil, tmp_path):
    old = postil.write("old/durability.txt", ARTICLE)
    postil.ok("add", old)
    new = postil.write("new/durability.txt", ARTICLE)
    old.unlink()
    run = postil.ok("add", new)
    first, moved = run.stdout.splitlines()
    assert first.endswith("unchanged")
    assert str(new.resolve()) in moved and str(old.resolve()) in moved
    [source] = postil.ok("sources", "--json").json()
    assert source["origin"] == str(new.resolve())
    # refresh reads the file where it is now, not the one that is gone.
    new.write_text(ARTICLE + "\nA new paragraph.\n", encoding="utf-8")
    assert "updated" in postil.ok("refresh", "1").stdout
    [item] = postil.ok("add", "--json", new).json()
    assert item["status"] == "unchanged" and item["previous_origin"] is None


def test_add_json_gives_objects_with_status(postil):
    article = postil.write("a.txt", ARTICLE)
    [item] = postil.ok("add", "--json", article).json()
    assert item["title"] == "Durability of response"
    assert item["status"] == "added" and item["blocks"] >= 3
    assert item["origin"] == str(article.resolve())


def test_add_folder_recursively_with_progress_on_stderr(postil, tmp_path):
    for i in range(7):
        postil.write(f"folder/sub{i % 2}/note{i}.txt", f"Note number {i}\n\nSome text {i}.\n")
    postil.write("folder/picture.png", b"\x89PNG\r\n\x1a\n\0\0\0")  # skipped: not an importable extension
    run = postil.ok("add", tmp_path / "folder")
    assert len(run.stdout.splitlines()) == 7
    assert "importing" in run.stderr
    assert len(postil.ok("sources", "--json").json()) == 7


def test_add_changed_file_updates_in_place_and_reports_reanchoring(postil):
    article = postil.write("a.txt", ARTICLE)
    postil.ok("add", article)
    postil.ok("mark", "1", "The sample was small", "--tag", "caveat")
    article.write_text("New first paragraph.\n\n" + ARTICLE, encoding="utf-8")
    run = postil.ok("add", article)
    assert run.stdout.splitlines()[0].endswith("updated")
    assert "1 moved" in run.stdout
    [h] = postil.ok("highlights", "--json").json()
    assert h["anchor_status"] == "moved" and h["quote"] == "The sample was small"


def test_one_bad_file_does_not_stop_the_others(postil, tmp_path):
    good = postil.write("good.txt", ARTICLE)
    empty = postil.write("empty.txt", "")
    run = postil.fails("add", empty, good, tmp_path / "missing.txt")
    assert "Durability of response" in run.stdout
    problems = run.stderr.strip().splitlines()
    assert len(problems) == 2
    assert any("empty.txt" in p for p in problems) and any("missing.txt" in p for p in problems)
    assert len(postil.ok("sources", "--json").json()) == 1


def test_sources_table_is_aligned_and_sanitised(postil):
    postil.write("evil.txt", "Title \x1b]52;c;aGk=\x07 here\n\nBody text.\n")
    postil.ok("add", postil.tmp_path / "evil.txt")
    postil.ok("add", postil.write("b.txt", ARTICLE))
    run = postil.ok("sources")
    assert "\x1b" not in run.stdout and "\x07" not in run.stdout
    header, *rows = run.stdout.splitlines()
    assert header.split() == ["id", "title", "format", "chars", "highlights", "origin"]
    assert len(rows) == 2
    origin_column = header.index("origin")
    assert all(row[origin_column:].startswith("/") for row in rows)


def test_show_prints_the_reading_text(postil):
    postil.ok("add", postil.write("notes.md", NOTES))
    text = postil.ok("show", "field").stdout
    assert "A bold claim" in text and "**" not in text and "|---" not in text
    assert postil.ok("show", "notes.md").stdout == text
    assert postil.ok("show", "1").stdout == text


def test_show_unknown_and_ambiguous_sources(postil):
    postil.ok("add", postil.write("alpha one.txt", "Alpha one\n\ntext\n"), postil.write("alpha two.txt", "Alpha two\n\nmore\n"))
    assert "no source matches" in postil.fails("show", "beta").stderr
    run = postil.fails("show", "alpha")
    assert "matches 2 sources" in run.stderr


def test_rm_asks_when_the_source_has_highlights(postil):
    postil.ok("add", postil.write("a.txt", ARTICLE), postil.write("b.md", NOTES))
    postil.ok("mark", "1", "small")
    refused = postil("rm", "1")  # no answer on stdin: refuse, never guess
    assert refused.exit_code == 1
    assert refused.stderr.splitlines()[-1] == "postil: source 1 was not deleted (no answer; pass --yes to skip the question)"
    said_no = postil("rm", "1", input="n\n")
    assert said_no.exit_code == 1 and said_no.stderr.strip().endswith("(you said no)")
    assert len(postil.ok("sources", "--json").json()) == 2
    postil.ok("rm", "1", input="y\n")
    postil.ok("rm", "2")  # no highlights: no question
    assert postil.ok("sources", "--json").json() == []
    assert postil.ok("highlights", "--json").json() == []


def test_rm_yes_skips_the_question(postil):
    postil.ok("add", postil.write("a.txt", ARTICLE))
    postil.ok("mark", "1", "small")
    run = postil.ok("rm", "--yes", "--json", "durability")
    assert run.json()["removed"]["highlight_count"] == 1


def test_refresh_rereads_the_origin(postil):
    article = postil.write("a.txt", ARTICLE)
    postil.ok("add", article)
    postil.ok("mark", "1", "Some relapses followed stressful events.")
    postil.ok("mark", "1", "The sample was small and the follow-up was short.")
    article.write_text(ARTICLE.replace("The sample was small and the follow-up was short.", "Gone."), encoding="utf-8")
    run = postil.ok("refresh", "1")
    assert "updated" in run.stdout and "1 anchored" in run.stdout and "1 orphaned" in run.stdout
    [orphan] = postil.ok("orphans", "--json").json()
    assert orphan["quote"].startswith("The sample was small")
    assert "unchanged" in postil.ok("refresh", "1").stdout


def test_refresh_of_a_missing_origin_leaves_the_source_usable(postil):
    article = postil.write("a.txt", ARTICLE)
    postil.ok("add", article)
    article.unlink()
    run = postil.fails("refresh", "1")
    assert "a.txt" in run.stderr and "gone" in run.stderr
    assert "Durability of response" in postil.ok("show", "1").stdout


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")
def test_corpus_imports_as_five_sources(postil):
    files = sorted(CORPUS.glob("*.txt")) + sorted(CORPUS.glob("*.md"))
    postil.ok("add", *files)
    sources = postil.ok("sources", "--json").json()
    assert len(sources) == 5
    for source in sources:
        title = source["title"]
        assert title and len(title) < 120 and "\n" not in title and not title.startswith(("#", "*"))
    postil.ok("add", *files)
    assert len(postil.ok("sources", "--json").json()) == 5
    markdown = next(s for s in sources if s["format"] == "markdown")
    text = postil.ok("show", str(markdown["id"])).stdout
    assert "|---" not in text and "**" not in text
    assert "Traditional Antidepressants" in text  # the table's header row, as readable text
