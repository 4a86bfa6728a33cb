"""Issue 17: one JSON object for a highlight, whichever command prints it.

`search --json` named links `from`/`to` and left out `prefix`, `suffix` and `version`;
`highlights`, `mark` and `highlight edit` printed `link_count` and no links or page; `mark`
and `highlight edit|rm` had no `source_title`. Every command that prints highlights is run
here over the same highlights, and each object must have exactly the same keys and values.
"""

from __future__ import annotations

import csv
import io

from cli_support import ARTICLE, Postil
from pdf_fixtures import Paper, filler

from postil.exports.highlight_json import FIELDS, LINK_FIELDS


def paper(path):
    """A PDF whose pages are labelled "ii" and "1": the page a highlight is on is in its object."""
    pdf = Paper()
    pdf.new_page(label_style="r", label_start=2)
    pdf.paragraph("A preface that explains the review. " + filler(1))
    pdf.new_page(label_style="D", label_start=1)
    pdf.paragraph("The first body page holds the method. " + filler(2))
    return pdf.save(path)


def test_every_command_prints_a_highlight_with_the_same_keys_and_values(tmp_path):
    postil = Postil(tmp_path)
    postil.ok("add", postil.write("durability.txt", ARTICLE), paper(tmp_path / "paper.pdf"))
    made = postil.ok("mark", "1", "Some relapses followed stressful events.", "--tag", "caveat", "--json").json()
    other = postil.ok("mark", "2", "holds the method", "--tag", "outcome", "--note", "n", "--json").json()
    postil.ok("link", made["id"], other["id"], "--relation", "qualifies")
    edited = postil.ok("highlight", "edit", made["id"], "--note", "stress", "--json").json()

    listed = {h["id"]: h for h in postil.ok("highlights", "--json").json()}
    of_source = postil.ok("highlights", "2", "--json").json()
    searched = {h["id"]: h for h in postil.ok("search", "--json").json()}
    exported = {h["id"]: h for h in postil.ok("export", "--format", "json", "-o", "-").json()}

    for objects in (listed.values(), of_source, searched.values(), [made, other, edited]):
        for h in objects:
            assert tuple(h) == FIELDS
            assert all(tuple(link) == LINK_FIELDS for link in h["links"])
    for h in exported.values():
        assert set(h) > set(FIELDS)  # the export adds what only it computes (file offsets, headings)
    for hid in (made["id"], other["id"]):
        assert listed[hid] == searched[hid] == {k: exported[hid][k] for k in FIELDS}
    assert of_source == [listed[other["id"]]]
    assert listed[other["id"]]["page"] == "1" and listed[made["id"]]["page"] is None
    assert listed[other["id"]]["source_title"] and made["source_title"] == listed[made["id"]]["source_title"]
    [link] = listed[made["id"]]["links"]
    assert (link["relation"], link["direction"], link["other_id"]) == ("qualifies", "out", other["id"])
    assert listed[other["id"]]["links"][0]["direction"] == "in"
    assert {**made, "note": "stress", "links": [link]} == {**edited, "updated_at": made["updated_at"],
                                                           "version": made["version"]}

    removed = postil.ok("highlight", "rm", other["id"], "--json").json()
    assert removed == listed[other["id"]]  # what was deleted, links and all


def test_orphans_and_disagreements_print_the_same_highlight_objects(tmp_path):
    postil = Postil(tmp_path)
    article = postil.write("a.txt", ARTICLE)
    postil.ok("add", article)
    kept = postil.ok("--author", "ana", "mark", "1", "Some relapses followed stressful events.", "--json").json()
    lost = postil.ok("--author", "ben", "mark", "1", "The sample was small and the follow-up was short.").stdout.strip()
    before = {h["id"]: h for h in postil.ok("highlights", "--json").json()}
    versions = [v for place in postil.ok("disagreements", "--json").json() for v in place["versions"]]
    assert {v["id"] for v in versions} == {kept["id"], lost}
    assert all(v == before[v["id"]] for v in versions)
    article.write_text(ARTICLE.replace("The sample was small and the follow-up was short.", "Gone."), encoding="utf-8")
    postil.ok("refresh", "1")

    [orphan] = postil.ok("orphans", "--json").json()
    assert tuple(orphan) == FIELDS and orphan["id"] == lost and orphan["anchor_status"] == "orphaned"
    assert orphan["page"] is None and orphan["quote"] == before[lost]["quote"]
    assert all(tuple(h) == FIELDS for h in before.values())


def test_the_streamed_json_and_csv_exports_give_a_pdf_highlights_page(tmp_path):
    """Found with the test above: `export --format json|csv` (streamed) always wrote page null."""
    postil = Postil(tmp_path)
    postil.ok("add", paper(tmp_path / "paper.pdf"))
    postil.ok("mark", "1", "holds the method")
    [row] = postil.ok("export", "--format", "json", "-o", "-").json()
    assert (row["page"], row["page_end"]) == ("1", "1")
    [csv_row] = csv.DictReader(io.StringIO(postil.ok("export", "--format", "csv", "-o", "-").stdout))
    assert csv_row["page"] == "1"
