"""As a new user would: the five corpus articles get records by hand and from a .bib file, and a
brief exported for Pandoc renders with its citations (skips without ../shared or pandoc)."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from cli_support import Postil
from csl_support import assert_valid_csl

BIB = r"""
@misc{apprentice2025, title = {Magic Mushrooms and Mental Health: Can Psilocybin Heal the Depressed Brain?},
  author = {Ahd303}, year = {2025}, howpublished = {The Apprentice Doctor forum}}
@online{trauma2024, title = {How psychedelic therapy heals chronic trauma}, author = {Doe, Jane}, year = {2024},
  url = {https://example.org/trauma}}
@online{station2023, title = {Treating Depression}, author = {{Station Clinic}}, year = {2023}}
@article{unrelated1999, title = {Something else entirely}, year = {1999}}
"""


def test_corpus_records_by_hand_and_by_bib_then_a_pandoc_brief(corpus_dir, tmp_path):
    postil = Postil(tmp_path)
    postil.ok("add", corpus_dir)
    postil.ok("cite", "amygdala", "--title", "Psilocybin changes the amygdala's response to emotion",
              "--author", "Roseman, Leor", "--year", "2017", "--journal", "Neuropharmacology",
              "--doi", "10.1016/j.neuropharm.2017.10.012")
    postil.ok("rename", "psychedelic-research-mechanisms", "Research on psychedelic mechanisms")
    postil.ok("cite", "Research on psychedelic", "--author", "Smith, Ann", "--year", "2020")
    report = postil.ok("cite", "import", postil.write("refs.bib", BIB), "--json").json()
    matched = {m["entry"]: m["by"] for m in report["matches"] if m["source_id"]}
    assert matched == {"apprentice2025": "title", "trauma2024": "title", "station2023": "title"}
    assert [m["entry"] for m in report["matches"] if not m["source_id"]] == ["unrelated1999"]
    assert report["sources_without_entry"] and all(s["id"] in (1, 3) for s in report["sources_without_entry"])

    for source, words in (("amygdala", "amygdala"), ("forum", "psilocybin"), ("How Psychedelic", "depression"),
                          ("Research on psychedelic", "psychedelic"), ("treating", "depression")):
        hit = postil.ok("show", source).stdout.split(words, 1)
        assert len(hit) == 2, (source, words)
        postil.ok("mark", source, words, "-t", "outcome")
    postil.ok("memo", "amygdala", "fMRI study, n = 19; open label.")
    out = tmp_path / "brief.md"
    postil.ok("export", "--format", "pandoc", "-o", out)
    items = json.loads((tmp_path / "references.json").read_text())
    assert_valid_csl(items)
    assert {i["id"] for i in items} == {"roseman2017", "apprentice2025", "trauma2024", "smith2020", "station2023"}
    brief = out.read_text()
    assert "[@roseman2017, para." in brief and "fMRI study, n = 19; open label." in brief
    apa = postil.ok("export", "--cite", "apa", "-o", "-").stdout
    assert "(Roseman, 2017, para." in apa and "(Station Clinic, 2023, para." in apa
    if shutil.which("pandoc") is None:
        pytest.skip("pandoc is not installed")
    rendered = subprocess.run(["pandoc", "--citeproc", "-t", "plain", "--wrap=none", out.name], cwd=tmp_path,
                              capture_output=True, text=True, timeout=60)
    assert rendered.returncode == 0, rendered.stderr
    assert "(Roseman 2017, para." in rendered.stdout
    assert "Roseman, Leor. 2017. “Psilocybin Changes the Amygdala’s Response to Emotion.” Neuropharmacology." \
        in rendered.stdout
