"""Writing exports: safe names, atomic writes, no overwrite without --force, planted symlinks,
CSV/JSON content, and the `export` / `import` commands as a user runs them."""

from __future__ import annotations

import csv
import io
import json
import os

import pytest
from click.testing import CliRunner
from export_fixtures import MECHANISM_TEXT, OUTCOME_TEXT, add_text_source, two_source_db

from postil.exports.collect import collect
from postil.exports.tabular import to_csv, to_json
from postil.exports.writing import ExportPathError, default_path, slugify, write_text_atomic
from postil.store.db import open_db
from postil.tui.cli import cli


@pytest.fixture
def db_path(tmp_path):
    path = tmp_path / "postil.db"
    two_source_db(open_db(path))
    return path


@pytest.mark.parametrize(
    "title, slug",
    [
        ("Caveats: durability (2026)", "caveats-durability-2026"),
        ("../../etc/passwd", "etc-passwd"),
        ("-rf --no-preserve-root", "rf-no-preserve-root"),
        (".hidden", "hidden"),
        ("", "brief"),
        ("<>|:*?\"", "brief"),
        ("Ünïcödé ✓ 日本語 Ⅻ", "ünïcödé-日本語-xii"),
        ("a\u202eb\u0000c", "a-b-c"),
    ],
)
def test_slugs_are_plain_names(title, slug):
    assert slugify(title) == slug


def test_a_name_from_a_title_stays_in_the_folder(tmp_path):
    path = default_path(tmp_path, "../../../tmp/evil", "md")
    assert path.parent == tmp_path and path.name == "tmp-evil.md"


def test_existing_file_is_kept_without_force(tmp_path):
    target = tmp_path / "brief.md"
    target.write_text("mine")
    with pytest.raises(ExportPathError, match="--force"):
        write_text_atomic(target, "new")
    assert target.read_text() == "mine"
    write_text_atomic(target, "new", force=True)
    assert target.read_text() == "new"
    assert os.listdir(tmp_path) == ["brief.md"]  # no temporary file left behind


def test_a_planted_symlink_is_never_followed(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("do not touch")
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "brief.md").symlink_to(secret)
    (folder / "dangling.md").symlink_to(tmp_path / "nowhere.txt")
    with pytest.raises(ExportPathError):
        write_text_atomic(folder / "brief.md", "x")
    with pytest.raises(ExportPathError):
        write_text_atomic(folder / "dangling.md", "x")
    assert not (tmp_path / "nowhere.txt").exists()
    write_text_atomic(folder / "brief.md", "x", force=True)
    assert secret.read_text() == "do not touch"
    assert not (folder / "brief.md").is_symlink() and (folder / "brief.md").read_text() == "x"


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(ExportPathError, match="no such folder"):
        write_text_atomic(tmp_path / "nope" / "b.md", "x")


def test_csv_has_one_row_per_highlight_with_every_field(db_path):
    data = collect(open_db(db_path))
    rows = list(csv.DictReader(io.StringIO(to_csv(data))))
    assert len(rows) == 5
    caveat = next(r for r in rows if r["quote"] == "the sample was small")
    assert caveat["tags"] == "outcome, caveat" or caveat["tags"] == "caveat, outcome"
    assert caveat["note"] == "Only *20* people." and caveat["source_title"] == "Trial report"
    assert caveat["links"].startswith("qualifies>") and caveat["quote_matches_source"] == "True"


def test_csv_guards_spreadsheet_formulas(tmp_path):
    db = open_db(tmp_path / "f.db")
    source = add_text_source(db, "=HYPERLINK(\"http://x\") rest", "@risk", "/f.txt")
    from postil.store.highlights import create_highlight

    create_highlight(db, source.id, 0, 20)
    row = next(csv.DictReader(io.StringIO(to_csv(collect(db)))))
    assert row["quote"].startswith("'=HYPERLINK") and row["source_title"] == "'@risk"


def test_json_is_exact(db_path):
    records = json.loads(to_json(collect(open_db(db_path))))
    assert {r["quote"] for r in records} >= {"the sample was small", "binds 5-HT2A receptors"}
    outcome = next(r for r in records if r["quote"].startswith("Sixty-one"))
    assert outcome["links"][0]["direction"] == "in" and outcome["links"][0]["relation"] == "qualifies"
    assert outcome["headings"] == ["Results"] and outcome["paragraph"] == 1


def run(db_path, *args, cwd=None):
    runner = CliRunner()
    old = os.getcwd()
    try:
        if cwd:
            os.chdir(cwd)
        return runner.invoke(cli, ["--db", str(db_path), *args], catch_exceptions=False)
    finally:
        os.chdir(old)


def test_export_writes_a_brief_named_after_its_title(db_path, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    result = run(db_path, "export", "tag:caveat", "--title", "Caveats / durability", cwd=out)
    assert result.exit_code == 0, result.output
    assert (out / "caveats-durability.md").read_text().startswith("---\ntitle: \"Caveats / durability\"")
    again = run(db_path, "export", "tag:caveat", "--title", "Caveats / durability", cwd=out)
    assert again.exit_code == 1 and "--force" in again.output
    assert run(db_path, "export", "--title", "Caveats / durability", "--force", cwd=out).exit_code == 0


def test_the_cli_titles_the_brief_in_words_like_the_dialog(db_path, tmp_path):
    """Issue 17: `postil export tag:caveat` titled its brief "Evidence brief: tag:caveat"."""
    out = tmp_path / "out"
    out.mkdir()
    result = run(db_path, "export", "tag:caveat", "-tag:anecdote", cwd=out)
    assert result.exit_code == 0, result.output
    brief = out / "evidence-brief-caveat-highlights-without-anecdote.md"
    assert brief.read_text().startswith('---\ntitle: "Evidence brief: caveat highlights, without anecdote"')
    rows = json.loads(run(db_path, "export", "placebo", "--format", "json", "-o", "-").output)
    assert isinstance(rows, list)
    csv_run = run(db_path, "export", "tag:caveat", "--format", "csv", cwd=out)
    assert csv_run.exit_code == 0 and (out / "evidence-brief-caveat-highlights.csv").exists()


def test_export_to_stdout_and_to_a_name_starting_with_a_dash(db_path, tmp_path):
    result = run(db_path, "export", "--format", "json", "-o", "-")
    assert len(json.loads(result.output)) == 5
    result = run(db_path, "export", "--format", "csv", "-o", "-odd ✓.csv", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "-odd ✓.csv").read_text().startswith("id,source_id")


def test_export_reports_a_mismatched_quote_on_stderr(db_path, tmp_path):
    db = open_db(db_path)
    from postil.store.highlights import delete_highlight, list_highlights, restore_highlight

    h = list_highlights(db)[0]
    saved = delete_highlight(db, h.id)
    saved.highlight.quote = "something else entirely"
    restore_highlight(db, saved)
    result = CliRunner().invoke(cli, ["--db", str(db_path), "export", "-o", str(tmp_path / "b.md")])
    assert result.exit_code == 0
    assert f"highlight {h.id[:8]}" in result.stderr and "no longer matches" in result.stderr
    assert "⚠ quote no longer matches the source" in (tmp_path / "b.md").read_text()


def test_export_rejects_a_malformed_query_cleanly(db_path):
    result = CliRunner().invoke(cli, ["--db", str(db_path), "export", "tag:"])
    assert result.exit_code != 0 and "Traceback" not in result.output


def test_import_command_reports_what_it_did(db_path, tmp_path):
    w3c = tmp_path / "anno.jsonld"
    assert run(db_path, "export", "--format", "w3c", "-o", str(w3c)).exit_code == 0
    fresh = tmp_path / "fresh.db"
    add_text_source(open_db(fresh), OUTCOME_TEXT, "Trial report", "/data/trial.txt")
    result = CliRunner().invoke(cli, ["--db", str(fresh), "import", str(w3c)])
    assert result.exit_code == 0
    assert "2 added" in result.stdout and "1 link added" in result.stdout
    assert "skipped 3 annotation(s) of a source not in the database: /data/mech.txt" in result.stderr
    add_text_source(open_db(fresh), MECHANISM_TEXT, "Mechanisms", "/data/mech.txt")
    result = CliRunner().invoke(cli, ["--db", str(fresh), "import", str(w3c)])
    assert "3 added" in result.stdout and "2 unchanged" in result.stdout


def test_import_that_matches_no_source_fails_and_names_what_to_add(db_path, tmp_path):
    w3c = tmp_path / "anno.jsonld"
    assert run(db_path, "export", "--format", "w3c", "-o", str(w3c)).exit_code == 0
    empty = tmp_path / "empty.db"
    open_db(empty).close()
    result = CliRunner().invoke(cli, ["--db", str(empty), "import", str(w3c)])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert all(line.startswith("postil: ") for line in lines), result.stderr
    assert "none of its 5 annotations matched a source" in lines[-1] and "anno.jsonld" in lines[-1]
    assert "postil add /data/mech.txt /data/trial.txt" in lines[-1] or "postil add /data/trial.txt /data/mech.txt" in lines[-1]
    assert "Traceback" not in result.output


def test_import_of_a_non_json_file_is_one_line(db_path, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{nope")
    result = CliRunner().invoke(cli, ["--db", str(db_path), "import", str(bad)])
    assert result.exit_code == 1 and "not JSON" in result.stderr


def test_a_source_edited_on_disk_then_refreshed_is_flagged_in_the_brief_and_on_stderr(tmp_path):
    """As a user: add a file, mark two quotes, change the file, refresh, export."""
    article = tmp_path / "trial.txt"
    article.write_text("Ketamine notes\n\nResponse at week four was 64% (n = 20).\n\n"
                       "The trial was open-label and had no active control.\n")
    db = str(tmp_path / "p.db")

    def postil(*args):
        return CliRunner().invoke(cli, ["--db", db, *args])

    assert postil("add", str(article)).exit_code == 0
    assert postil("mark", "1", "Response at week four was 64% (n = 20)", "-t", "outcome").exit_code == 0
    assert postil("mark", "1", "open-label and had no active control", "-t", "caveat").exit_code == 0
    article.write_text("Ketamine notes\n\nResponse at week four was 58% (n = 22).\n\n"
                       "The trial was open-label.\n")
    assert postil("refresh", "1").exit_code == 0
    result = postil("export", "-o", str(tmp_path / "b.md"))
    assert result.exit_code == 0
    assert result.stderr.count("no longer matches") == 2
    assert "wrote 2 highlights from 1 source to" in result.stdout
    text = (tmp_path / "b.md").read_text()
    assert "**⚠ quote no longer matches the source: 2 highlights**" in text
    assert "**⚠ quote no longer matches the source** (anchor: fuzzy)" in text
    assert "*The source now reads there:* “Response at week four was 58% (n = 22)”" in text
    assert "**⚠ quote no longer matches the source** (anchor: orphaned)" in text
