"""`postil cite`, `cite import`, `cite export`, `rename`, `memo(s)` and briefs that cite."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from cli_support import Postil
from csl_support import assert_valid_csl

from postil.sources.bibliography import parse_bibliography

TRIAL = (
    "Psilocybin trial\n\n"
    "Sixty-one percent of patients responded at week six.\n\n"
    "Relapse was common by month six, and the sample was small.\n"
)
FORUM = "Forum thread\n\nOne member said it was like a reset button for the brain.\n"


@pytest.fixture
def postil(tmp_path) -> Postil:
    p = Postil(tmp_path)
    p.ok("add", p.write("trial.txt", TRIAL), p.write("forum.txt", FORUM))
    p.ok("mark", "trial", "Sixty-one percent of patients responded", "-t", "outcome")
    p.ok("mark", "trial", "the sample was small", "-t", "caveat")
    p.ok("mark", "forum", "like a reset button", "-t", "anecdote")
    return p


def test_cite_sets_and_shows_a_record(postil):
    run = postil.ok("cite", "trial", "--title", "Psilocybin for treatment-resistant depression",
                    "--author", "Carhart-Harris, Robin L.", "--author", "Roseman, Leor",
                    "--year", "2017", "--journal", "Scientific Reports", "--volume", "7",
                    "--doi", "https://doi.org/10.1038/s41598-017-13282-7")
    assert "carhartharris2017" in run.stdout
    assert "Carhart-Harris, Robin L.; Roseman, Leor" in run.stdout and "manual" in run.stdout
    shown = postil.ok("cite", "1", "--json").json()
    assert shown["citation_key"] == "carhartharris2017"
    assert shown["csl"]["type"] == "article-journal"
    assert shown["csl"]["DOI"] == "10.1038/s41598-017-13282-7"
    assert shown["provenance"]["author"] == "manual"
    assert_valid_csl([shown["csl"]])
    postil.ok("cite", "trial", "--key", "trial2017", "--clear", "volume")
    again = postil.ok("cite", "trial", "--json").json()
    assert again["citation_key"] == "trial2017" and "volume" not in again["csl"]


def test_cite_errors_are_one_line(postil):
    assert "no source matches" in postil.fails("cite", "nothing-like-it").stderr
    postil.ok("cite", "trial", "--key", "same")
    assert "already source" in postil.fails("cite", "forum", "--key", "SAME").stderr
    assert "not a citation key" in postil.fails("cite", "forum", "--key", "bad key").stderr
    bad = postil.write("refs.json", "{broken")
    assert "refs.json: not valid JSON" in postil.fails("cite", "import", bad).stderr
    # Nothing readable is an error, not "0 of 0 entries matched" and exit 0.
    unclosed = postil.write("refs.bib", "@article{x, title={Unclosed")
    assert postil.fails("cite", "import", unclosed).stderr.strip() == \
        "postil: " + str(unclosed) + ": no bibliography entry in it (1 could not be read)"
    prose = postil.write("notes.bib", "A paragraph of notes, not BibTeX.")
    assert "notes.bib: no bibliography entry in it" in postil.fails("cite", "import", prose).stderr


def test_cite_import_reports_matches_by_doi_url_and_title(postil, tmp_path):
    postil.ok("cite", "trial", "--doi", "10.1038/s41598-017-13282-7")
    bib = postil.write("refs.bib", """
@article{carhart2017, title={Psilocybin for treatment-resistant depression}, author={Carhart-Harris, Robin L.},
  year={2017}, journal={Scientific Reports}, doi={10.1038/S41598-017-13282-7}}
@misc{forum2020, title={Forum thread}, author={{Psychedelic Forum}}, year={2020}}
@book{missing, title={A book nobody added}, year={1999}}
""")
    run = postil.ok("cite", "import", bib)
    assert "matched   carhart2017  -> 1 Psilocybin trial  by DOI" in run.stdout
    assert "matched   forum2020  -> 2 Forum thread  by title 100%" in run.stdout
    assert "no match  missing  A book nobody added" in run.stdout
    assert "2 of 3 entries matched" in run.stdout
    record = postil.ok("cite", "trial", "--json").json()
    assert record["citation_key"] == "carhart2017" and record["provenance"]["title"] == "import:refs.bib"
    ris = postil.write("refs.ris", "TY  - ELEC\nTI  - Forum thread\nUR  - https://forum.example.org/t/1\nER  -\n")
    report = postil.ok("cite", "import", ris, "--dry-run", "--json").json()
    assert report["matches"][0]["source_id"] == 2 and report["matches"][0]["by"] == "title"
    assert "URL" not in postil.ok("cite", "forum", "--json").json()["csl"]  # a dry run writes nothing
    csl = postil.write("refs.json", json.dumps([{"id": "x", "type": "webpage", "title": "Forum thread",
                                                 "URL": "https://forum.example.org/t/1"}]))
    postil.ok("cite", "import", csl)
    assert postil.ok("cite", "forum", "--json").json()["csl"]["URL"] == "https://forum.example.org/t/1"


def test_cite_export_writes_valid_csl_json_and_bibtex(postil, tmp_path):
    postil.ok("cite", "trial", "--author", "Nutt, David", "--year", "2019", "--title", "50% & {more}")
    items = postil.ok("cite", "export").json()
    assert [i["id"] for i in items] == ["nutt2019", "source2"]
    assert_valid_csl(items)
    bibtex = postil.ok("cite", "export", "--format", "bibtex").stdout
    back = parse_bibliography(bibtex, "bibtex")
    assert [e.key for e in back.entries] == ["nutt2019", "source2"]
    assert back.entries[0].csl["title"] == "50% & more"
    out = tmp_path / "lib.bib"
    postil.ok("cite", "export", "--format", "bibtex", "-o", out)
    assert "exists" in postil.fails("cite", "export", "-o", out).stderr


def test_rename(postil):
    run = postil.ok("rename", "trial", "  The   2017 trial ")
    assert "renamed 1: Psilocybin trial -> The 2017 trial" in run.stdout
    assert postil.ok("sources", "--json").json()[0]["title"] == "The 2017 trial"
    assert "cannot be empty" in postil.fails("rename", "1", "  ").stderr


def test_memo_commands(postil):
    postil.ok("memo", "trial", "Open-label trial, n = 20.\nAppraisal: no control group.")
    shown = postil.ok("memo", "trial").stdout
    assert "Open-label trial, n = 20." in shown and "Appraisal: no control group." in shown
    postil.ok("memo", "forum", "-", input="Anecdotes only \x1b[31m.\n")
    assert "\x1b" not in postil.ok("memo", "forum").stdout
    assert postil.ok("memo", "forum", "--json").json()["memo"]["memo"] == "Anecdotes only \x1b[31m.\n"
    assert [m["source_id"] for m in postil.ok("memos", "control", "--json").json()] == [1]
    assert "no memos match" in postil.ok("memos", "nothingatall").stdout
    assert len(postil.ok("search", "has:memo", "--json").json()) == 3
    postil.ok("memo", "forum", "--clear")
    assert "no memo" in postil.ok("memo", "forum").stdout


def _give_records(postil):
    postil.ok("cite", "trial", "--title", "Psilocybin for treatment-resistant depression",
              "--author", "Carhart-Harris, Robin L.", "--author", "Roseman, Leor", "--author", "Nutt, David",
              "--year", "2017", "--journal", "Scientific Reports", "--volume", "7", "--pages", "13187",
              "--doi", "10.1038/s41598-017-13282-7")
    postil.ok("memo", "trial", "Open-label; n = 20.")


def test_brief_with_apa_citations(postil):
    _give_records(postil)
    brief = postil.ok("export", "--cite", "apa", "-o", "-").stdout
    assert "— (Carhart-Harris et al., 2017, para. 1)" in brief
    assert "— (Carhart-Harris et al., 2017, para. 2)" in brief
    assert "— (Forum Thread, n.d., para. 1)" in brief  # no record: cited by its title (in APA's title case)
    assert "*Forum thread* has no author or date on record and is cited by title" in brief
    references = brief.split("## References", 1)[1]
    assert ("- Carhart-Harris, R. L., Roseman, L., & Nutt, D. (2017). Psilocybin for treatment-resistant depression. "
            "Scientific Reports, 7, 13187. https://doi.org/10.1038/s41598-017-13282-7") in references
    sources = brief.split("## Sources", 1)[1]
    assert "**Memo** (tester):" in sources and "Open-label; n = 20." in sources


def test_brief_with_vancouver_citations_numbers_sources_in_order_of_citation(postil):
    _give_records(postil)
    brief = postil.ok("export", "--cite", "vancouver", "--by", "source", "-o", "-").stdout
    assert "— (2, para. 1)" in brief and "— (1, para. 1)" in brief
    # Sections by source go in title order: the forum thread is cited first, so it is 1.
    assert brief.index("— (1, para. 1)") < brief.index("— (2, para. 1)")
    references = brief.split("## References", 1)[1].strip().splitlines()
    assert references[0].startswith("1. Forum thread")
    assert references[1].startswith("2. Carhart-Harris RL, Roseman L, Nutt D. Psilocybin for treatment-resistant depression.")


def test_a_plain_brief_keeps_its_citations_and_gains_memos(postil):
    _give_records(postil)
    brief = postil.ok("export", "-o", "-").stdout
    assert "— *Psilocybin trial*, ¶ 1" in brief
    assert "## References" not in brief and "Open-label; n = 20." in brief


def test_pandoc_export_writes_citations_and_references(postil, tmp_path):
    _give_records(postil)
    out = tmp_path / "brief.md"
    postil.ok("export", "--format", "pandoc", "-o", out)
    brief = out.read_text()
    assert "— [@carhartharris2017, para. 1]" in brief and "— [@source2, para. 1]" in brief
    assert 'bibliography: "references.json"' in brief and "::: {#refs}" in brief
    items = json.loads((tmp_path / "references.json").read_text())
    assert_valid_csl(items)
    assert {i["id"] for i in items} == {"carhartharris2017", "source2"}
    assert "exists" in postil.fails("export", "--format", "pandoc", "-o", tmp_path / "other.md").stderr
    assert "give -o FILE" in postil.fails("export", "--format", "pandoc", "-o", "-").stderr
    assert "--cite applies to briefs" in postil.fails("export", "--format", "csv", "--cite", "apa").stderr


def test_pandoc_renders_the_pandoc_export(postil, tmp_path):
    if shutil.which("pandoc") is None:
        pytest.skip("pandoc is not installed")
    _give_records(postil)
    out = tmp_path / "brief.md"
    postil.ok("export", "--format", "pandoc", "-o", out)
    rendered = subprocess.run(["pandoc", "--citeproc", "-t", "plain", "--wrap=none", out.name], cwd=tmp_path,
                              capture_output=True, text=True, timeout=60)
    assert rendered.returncode == 0, rendered.stderr
    assert "(Carhart-Harris, Roseman, and Nutt 2017, para. 1)" in rendered.stdout
    assert "Carhart-Harris, Robin L., Leor Roseman, and David Nutt. 2017." in rendered.stdout
    assert "“Forum Thread.” n.d." in rendered.stdout


def test_a_paged_source_is_cited_by_its_page_label(postil):
    from postil.store.db import open_db
    from postil.store.pages import Page, save_pages

    _give_records(postil)
    db = open_db(postil.db_path)
    split = TRIAL.index("Relapse")
    save_pages(db, 1, [Page(0, "iii", 0, split), Page(1, "iv", split, len(TRIAL))])
    db.close()
    apa = postil.ok("export", "--cite", "apa", "-o", "-").stdout
    assert "— (Carhart-Harris et al., 2017, p. iii)" in apa and "— (Carhart-Harris et al., 2017, p. iv)" in apa
    assert "— (Forum Thread, n.d., para. 1)" in apa  # no page map: its paragraph
    vancouver = postil.ok("export", "--cite", "vancouver", "-o", "-").stdout
    assert ", p. iv" in vancouver
    postil.ok("export", "--format", "pandoc", "-o", postil.tmp_path / "b.md")
    assert "[@carhartharris2017, p. iv]" in (postil.tmp_path / "b.md").read_text()


def test_blind_mode_hides_another_reviewers_memo_until_the_source_is_done(postil):
    from click.testing import CliRunner

    from postil.tui.cli import cli

    postil.ok("memo", "trial", "tester's appraisal: weak blinding.")
    postil.ok("blind", "on")

    def as_other(*args):
        return CliRunner().invoke(cli, ["--db", str(postil.db_path), "--author", "other", *args])

    assert "hidden in blind mode" in as_other("memo", "trial").stderr
    assert as_other("memos", "--json").stdout.strip() == "[]"
    brief = as_other("export", "-o", "-").stdout
    assert "weak blinding" not in brief
    as_other("done", "trial")
    assert "weak blinding" in as_other("memo", "trial").stdout
    assert "weak blinding" in postil.ok("export", "-o", "-").stdout  # the memo's own author sees it
