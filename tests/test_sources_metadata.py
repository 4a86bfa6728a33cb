"""Records from what a source says about itself: meta tags, JSON-LD, front matter, Gutenberg, PDF info."""

from __future__ import annotations

import json

from csl_support import assert_valid_csl
from hypothesis import given, settings
from hypothesis import strategies as st

from postil.sources.csl import normalise, parse_date, parse_doi, parse_name
from postil.sources.load import load_bytes
from postil.sources.metadata import record_from_front_matter, record_from_gutenberg, record_from_pdf
from postil.sources.metadata_html import MAX_HEAD, record_from_html

HIGHWIRE = """<!doctype html><html><head>
<title>Psilocybin for TRD | Scientific Reports</title>
<meta name="citation_title" content="Psilocybin for treatment-resistant depression: fMRI-measured brain mechanisms">
<meta name="citation_author" content="Carhart-Harris, Robin L.">
<meta name="citation_author" content="Roseman, Leor">
<meta name="citation_author" content="Nutt, David J.">
<meta name="citation_publication_date" content="2017/10/13">
<meta name="citation_journal_title" content="Scientific Reports">
<meta name="citation_volume" content="7"><meta name="citation_issue" content="1">
<meta name="citation_firstpage" content="13187">
<meta name="citation_doi" content="10.1038/s41598-017-13282-7">
<meta property="og:title" content="Not this title">
<meta name="dc.title" content="Nor this one">
</head><body><article><h1>Psilocybin</h1><p>The text of the article, long enough to be read as one.</p></article></body></html>"""

DUBLIN_CORE = """<html><head>
<meta name="DC.title" content="Amygdala and emotional response after psilocybin">
<meta name="DC.creator" content="Mertens, Lea J.">
<meta name="DC.creator" content="Wall, Matthew B.">
<meta name="DC.date" content="2020-03-02">
<meta name="DC.identifier" content="doi:10.1177/0269881120914255">
<meta name="DC.publisher" content="SAGE">
</head><body><p>Body text.</p></body></html>"""

JSON_LD = """<html><head><title>Site</title>
<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
  {"@type": "WebSite", "name": "Journal site"},
  {"@type": "ScholarlyArticle", "headline": "Psilocybin with psychological support for depression",
   "author": [{"@type": "Person", "familyName": "Carhart-Harris", "givenName": "Robin"},
              {"@type": "Organization", "name": "Imperial College Psychedelic Group"}],
   "datePublished": "2016-05-17",
   "isPartOf": {"@type": "PublicationIssue", "issueNumber": "7",
                "isPartOf": {"@type": "Periodical", "name": "The Lancet Psychiatry"}},
   "sameAs": "https://doi.org/10.1016/S2215-0366(16)30065-7"}
]}</script></head><body><p>Text.</p></body></html>"""

OPEN_GRAPH = """<html><head><title>Fallback title</title>
<meta property="og:title" content="How psychedelic therapy heals chronic trauma">
<meta property="og:site_name" content="Wellness Weekly">
<meta property="og:url" content="https://example.org/trauma">
<meta property="article:published_time" content="2023-06-01T10:00:00Z">
</head><body><p>Text.</p></body></html>"""


def test_highwire_tags_give_a_journal_article_and_win_over_other_tags():
    record = record_from_html(HIGHWIRE)
    assert record["type"] == "article-journal"
    assert record["title"].startswith("Psilocybin for treatment-resistant depression")
    assert record["author"] == [
        {"family": "Carhart-Harris", "given": "Robin L."},
        {"family": "Roseman", "given": "Leor"},
        {"family": "Nutt", "given": "David J."},
    ]
    assert record["issued"] == {"date-parts": [[2017, 10, 13]]}
    assert (record["container-title"], record["volume"], record["issue"], record["page"]) == ("Scientific Reports", "7", "1", "13187")
    assert record["DOI"] == "10.1038/s41598-017-13282-7"
    assert_valid_csl([{"id": "x", **record}])


def test_dublin_core_tags():
    record = record_from_html(DUBLIN_CORE)
    assert record["title"] == "Amygdala and emotional response after psilocybin"
    assert [a["family"] for a in record["author"]] == ["Mertens", "Wall"]
    assert record["issued"] == {"date-parts": [[2020, 3, 2]]}
    assert record["DOI"] == "10.1177/0269881120914255"
    assert record["publisher"] == "SAGE"


def test_json_ld_scholarly_article_in_a_graph():
    record = record_from_html(JSON_LD)
    assert record["type"] == "article-journal"
    assert record["title"] == "Psilocybin with psychological support for depression"
    assert record["author"] == [{"family": "Carhart-Harris", "given": "Robin"}, {"literal": "Imperial College Psychedelic Group"}]
    assert record["container-title"] == "The Lancet Psychiatry"
    assert record["issue"] == "7"
    assert record["DOI"] == "10.1016/S2215-0366(16)30065-7"
    assert record["issued"] == {"date-parts": [[2016, 5, 17]]}


def test_open_graph_gives_a_web_page():
    record = record_from_html(OPEN_GRAPH)
    assert record == {
        "title": "How psychedelic therapy heals chronic trauma",
        "container-title": "Wellness Weekly",
        "URL": "https://example.org/trauma",
        "issued": {"date-parts": [[2023, 6, 1]]},
        "type": "webpage",
    }


def test_a_page_that_says_nothing_has_its_title_only_and_a_fragment_nothing():
    assert record_from_html("<html><head><title>Just a page</title></head><body>x</body></html>") == {
        "title": "Just a page", "type": "webpage"}
    assert record_from_html("<p>no head at all</p>") == {}
    assert record_from_html("") == {}


def test_hostile_meta_tags_are_cleaned_and_bounded():
    page = ('<html><head><meta name="citation_title" content="Evil\x1b[31m title\x07 [/]">'
            '<meta name="citation_author" content="' + "A" * 10_000 + '">'
            '<script type="application/ld+json">{"@type": ' + "[" * 5000 + '</script>'
            '<meta name="citation_publication_date" content="not a date"></head><body>x</body></html>')
    record = record_from_html(page)
    assert "\x1b" not in record["title"] and "\x07" not in record["title"]
    assert record["title"].startswith("Evil") and record["title"].endswith("[/]")
    assert len(record["author"][0]["literal"]) <= 200
    assert record["issued"] == {"raw": "not a date"}
    assert_valid_csl([{"id": "x", **record}])


def test_only_the_head_of_a_huge_page_is_read():
    page = "<html><head><title>T</title></head><body>" + "<p>x</p>" * (MAX_HEAD // 4) + '<meta name="citation_doi" content="10.1/late"></body></html>'
    assert "DOI" not in record_from_html(page)


FRONT_MATTER = """---
title: "Treating depression: what the station found"
author:
  - Doe, Jane
  - John Smith
date: 2024-02-29
doi: https://doi.org/10.5555/abc.123
journal: Station Reports
tags: [a, b]
---

# Treating depression

Body text here.
"""


def test_front_matter_record():
    record = record_from_front_matter(FRONT_MATTER)
    assert record == {
        "title": "Treating depression: what the station found",
        "author": [{"family": "Doe", "given": "Jane"}, {"family": "Smith", "given": "John"}],
        "issued": {"date-parts": [[2024, 2, 29]]},
        "DOI": "10.5555/abc.123",
        "container-title": "Station Reports",
        "type": "article-journal",
    }
    assert record_from_front_matter("# No front matter\n\ntitle: not this\n") == {}


def test_front_matter_with_a_flow_list_of_quoted_names():
    record = record_from_front_matter('---\nauthors: ["Doe, Jane", "Roe, Rick"]\nyear: 2001\n---\nx')
    assert record["author"] == [{"family": "Doe", "given": "Jane"}, {"family": "Roe", "given": "Rick"}]
    assert record["issued"] == {"date-parts": [[2001]]}


GUTENBERG = """The Project Gutenberg eBook of The Varieties of Religious Experience

This ebook is for the use of anyone anywhere in the United States...

Title: The Varieties of Religious Experience

Author: William James

Release date: July 1, 2014 [eBook #621]

Language: English

*** START OF THE PROJECT GUTENBERG EBOOK THE VARIETIES OF RELIGIOUS EXPERIENCE ***

Lecture I
"""


def test_gutenberg_header():
    record = record_from_gutenberg(GUTENBERG)
    assert record["type"] == "book"
    assert record["title"] == "The Varieties of Religious Experience"
    assert record["author"] == [{"family": "James", "given": "William"}]
    assert record["URL"] == "https://www.gutenberg.org/ebooks/621"
    assert record["publisher"] == "Project Gutenberg"
    assert record["issued"] == {"date-parts": [[2014]]}
    assert record_from_gutenberg("Title: a plain text that is not from Gutenberg\n") == {}


def test_pdf_info_and_a_doi_on_the_first_page():
    info = {"/Title": "Psilocybin and the amygdala", "/Author": "Roseman, Leor; Nutt, David",
            "/CreationDate": "D:20180115093000Z", "/Producer": "LaTeX"}
    first_page = "Journal of Psychopharmacology\nhttps://doi.org/10.1177/0269881117748902\nAbstract ..."
    record = record_from_pdf(info, first_page)
    assert record == {
        "title": "Psilocybin and the amygdala",
        "author": [{"family": "Roseman", "given": "Leor"}, {"family": "Nutt", "given": "David"}],
        "issued": {"date-parts": [[2018, 1, 15]]},
        "DOI": "10.1177/0269881117748902",
        "type": "article-journal",
    }
    assert record_from_pdf({"/Title": "Microsoft Word - draft3.docx"}) == {}


def test_loading_a_file_carries_its_record():
    loaded = load_bytes(HIGHWIRE.encode(), "article.html")
    assert loaded.document.record["DOI"] == "10.1038/s41598-017-13282-7"
    assert load_bytes(FRONT_MATTER.encode(), "note.md").document.record["container-title"] == "Station Reports"
    assert load_bytes(b"Plain text says nothing about itself.\n", "plain.txt").document.record == {}


def test_parsers_of_single_values():
    assert parse_doi("doi:10.1038/S41598-017-13282-7.") == "10.1038/S41598-017-13282-7"
    assert parse_doi("https://dx.doi.org/10.1016/S2215-0366(16)30065-7") == "10.1016/S2215-0366(16)30065-7"
    assert parse_doi("no doi") == ""
    assert parse_name("World Health Organization") == {"family": "Organization", "given": "World Health"}
    assert parse_name("{World Health Organization}") == {"literal": "World Health Organization"}
    assert parse_name("Plato") == {"literal": "Plato"}
    assert parse_date("2017-13-40") == {"date-parts": [[2017]]}
    assert parse_date("Spring 1999") == {"date-parts": [[1999]]}
    assert parse_date({"date-parts": [["2001", "2"]]}) == {"date-parts": [[2001, 2]]}


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12,
)
field_names = st.sampled_from(["title", "author", "issued", "DOI", "type", "page", "volume", "URL", "editor",
                               "accessed", "id", "container-title", "nonsense", "custom", "citation-key"])


@settings(max_examples=40, deadline=None)
@given(st.dictionaries(field_names, json_values, max_size=8))
def test_normalised_records_always_validate_against_the_csl_schema(raw):
    record = normalise(raw)
    assert_valid_csl([{"id": "k", "type": "document", **record}])
    assert json.loads(json.dumps(record)) == record
