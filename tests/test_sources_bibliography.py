"""Bibliography files: BibTeX, CSL-JSON and RIS read into CSL records; BibTeX written back."""

from __future__ import annotations

import json
import unicodedata

import pytest
from csl_support import assert_valid_csl
from hypothesis import given, settings
from hypothesis import strategies as st

from postil.sources.bibliography import MAX_BYTES, parse_bibliography, read_bibliography, to_bibtex
from postil.sources.errors import SourceError

BIB = r"""
% a comment line
@article{carhart2017,
  title   = {Psilocybin for treatment-resistant depression: {fMRI}-measured brain mechanisms},
  author  = {Carhart-Harris, Robin L. and Roseman, Leor and {Imperial College Psychedelic Group}},
  journal = {Scientific Reports},
  year    = {2017},
  month   = oct,
  volume  = {7},
  pages   = {13187--13198},
  doi     = {10.1038/s41598-017-13282-7},
}

@misc{broken, title = "never closed
@book{james1902,
  title = {The Varieties of Religious Experience},
  author = {James, William},
  publisher = {Longmans, Green \& Co.},
  year = 1902,
}
@online{station, title = {Treating Depression}, url = {https://example.org/station}, author = {M{\"u}ller, J{\"o}rg}}
"""

RIS = """TY  - JOUR
ID  - roseman2018
TI  - Quality of acute psychedelic experience predicts therapeutic efficacy
AU  - Roseman, Leor
AU  - Nutt, David J.
PY  - 2018/01/15
T2  - Frontiers in Pharmacology
VL  - 8
SP  - 974
DO  - 10.3389/fphar.2017.00974
UR  - https://www.frontiersin.org/articles/10.3389/fphar.2017.00974
ER  -

TY  - ELEC
TI  - Magic mushrooms and mental health
UR  - https://forum.example.org/thread/42
ER  -
"""


def test_bibtex_entries_become_csl_records_and_broken_ones_are_counted():
    bibliography = parse_bibliography(BIB, "bibtex")
    by_key = {e.key: e.csl for e in bibliography.entries}
    assert bibliography.skipped == 1
    assert set(by_key) == {"carhart2017", "james1902", "station"}
    article = by_key["carhart2017"]
    assert article["type"] == "article-journal"
    assert article["title"] == "Psilocybin for treatment-resistant depression: fMRI-measured brain mechanisms"
    assert article["author"] == [
        {"family": "Carhart-Harris", "given": "Robin L."},
        {"family": "Roseman", "given": "Leor"},
        {"literal": "Imperial College Psychedelic Group"},
    ]
    assert article["issued"] == {"date-parts": [[2017, 10]]}
    assert article["page"] == "13187–13198"
    assert article["DOI"] == "10.1038/s41598-017-13282-7"
    assert by_key["james1902"]["publisher"] == "Longmans, Green & Co."
    assert by_key["james1902"]["issued"] == {"date-parts": [[1902]]}
    assert by_key["station"] == {"type": "webpage", "author": [{"family": "Müller", "given": "Jörg"}],
                                 "title": "Treating Depression", "URL": "https://example.org/station"}
    assert_valid_csl([{"id": e.key, **e.csl} for e in bibliography.entries])


def test_ris_entries():
    entries = parse_bibliography(RIS, "ris").entries
    assert [e.key for e in entries] == ["roseman2018", ""]
    first = entries[0].csl
    assert first["type"] == "article-journal"
    assert first["author"] == [{"family": "Roseman", "given": "Leor"}, {"family": "Nutt", "given": "David J."}]
    assert first["issued"] == {"date-parts": [[2018, 1, 15]]}
    assert first["container-title"] == "Frontiers in Pharmacology"
    assert first["page"] == "974"
    assert entries[1].csl == {"type": "webpage", "URL": "https://forum.example.org/thread/42",
                              "title": "Magic mushrooms and mental health"}


def test_csl_json_keeps_schema_fields_only():
    items = [{"id": "a1", "type": "article-journal", "title": "T", "author": [{"family": "F", "given": "G"}],
              "issued": {"date-parts": [[2020, 5]]}, "unknown-field": 1, "DOI": "https://doi.org/10.1234/x"},
             "not an object",
             {"id": "b", "type": "no-such-type", "title": "U"}]
    bibliography = parse_bibliography(json.dumps(items), "csl-json")
    assert bibliography.skipped == 1
    assert bibliography.entries[0].csl == {"type": "article-journal", "title": "T", "author": [{"family": "F", "given": "G"}],
                                           "issued": {"date-parts": [[2020, 5]]}, "DOI": "10.1234/x"}
    assert bibliography.entries[1].csl["type"] == "document"


def test_bad_files_are_one_line_errors_naming_the_file(tmp_path):
    cases = {"refs.json": "{not json", "refs.ris": "", "refs.docx": "x"}
    for name, content in cases.items():
        path = tmp_path / name
        path.write_text(content)
        with pytest.raises(SourceError) as caught:
            read_bibliography(path)
        assert str(caught.value).startswith(str(path)) and "\n" not in str(caught.value)
    big = tmp_path / "big.bib"
    with big.open("wb") as handle:
        handle.truncate(MAX_BYTES + 1)
    with pytest.raises(SourceError, match="too large"):
        read_bibliography(big)
    with pytest.raises(SourceError, match="no such file|cannot read"):
        read_bibliography(tmp_path / "missing.bib")


def test_deep_nesting_in_json_is_an_error_not_a_crash():
    with pytest.raises(SourceError):
        parse_bibliography("[" * 100_000, "csl-json", "deep.json")


def test_bibtex_written_reads_back_the_same():
    items = [{"id": "carhart2017", "type": "article-journal", "title": "50% of {patients} & more_things #1",
              "author": [{"family": "Carhart-Harris", "given": "Robin"}, {"literal": "WHO"}],
              "issued": {"date-parts": [[2017, 10]]}, "container-title": "Sci. Rep.", "DOI": "10.1038/s4",
              "URL": "https://x.org/a_b%20c", "page": "4-12"}]
    text = to_bibtex(items)
    back = parse_bibliography(text, "bibtex")
    assert back.skipped == 0
    entry = back.entries[0]
    assert entry.key == "carhart2017"
    assert entry.csl["title"] == "50% of patients & more_things #1"
    assert entry.csl["author"] == [{"family": "Carhart-Harris", "given": "Robin"}, {"literal": "WHO"}]
    assert (entry.csl["DOI"], entry.csl["URL"], entry.csl["issued"]) == ("10.1038/s4", "https://x.org/a_b%20c",
                                                                        {"date-parts": [[2017, 10]]})


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40).filter(
    lambda t: t.strip() and t == " ".join(t.split())))
def test_any_title_survives_a_bibtex_round_trip(title):
    text = to_bibtex([{"id": "k", "type": "book", "title": title}])
    back = parse_bibliography(text, "bibtex")
    # Braces are BibTeX markup (case protection), so they do not come back; all else does,
    # in NFC as all of postil's text.
    expected = unicodedata.normalize("NFC", " ".join(title.replace("{", "").replace("}", "").split()))
    assert [e.csl.get("title") for e in back.entries] == ([expected] if expected else [None])
