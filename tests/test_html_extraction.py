"""Web pages read as their article: chrome left out, formulas and loose prose kept, the page's
own article element trusted when the extractor misses it (issue 16)."""

from __future__ import annotations

import lxml.html

from postil.sources.article import article_container, flatten_math, missed_article
from postil.sources.html import load_html

SENTENCES = " ".join(f"Sentence {i} of the report says something about whales and the open sea." for i in range(6))


def _page(article: str) -> str:
    return (
        "<html><head><title>Whales in the News</title></head><body>"
        '<nav><a href="/">Home</a> <a href="/news">News</a></nav>'
        f"{article}<footer>Copyright 2024</footer></body></html>"
    )


def test_chrome_blocks_inside_the_article_are_left_out():
    page = _page(
        "<article><h1>Whales Sing Longer Songs</h1><p>Today on WebMD</p>"
        f"<p>{SENTENCES}</p><p>Please wait...</p>"
        '<div class="newsletter"><p>Now check your email to confirm your subscription.</p></div>'
        f"<p>{SENTENCES.replace('report', 'study')}</p><p>Share this article</p></article>"
    )
    doc = load_html(page, "whales.html")
    for chrome in ("Today on WebMD", "Please wait", "check your email", "Share this"):
        assert chrome not in doc.text
    assert SENTENCES in doc.text and "Sentence 5 of the study" in doc.text


def test_a_paragraph_that_only_begins_like_chrome_is_kept():
    long = "Share this with your doctor: " + SENTENCES
    doc = load_html(_page(f"<article><h1>Whales</h1><p>{long}</p><p>{SENTENCES}</p></article>"), "w.html")
    assert long in doc.text


def test_a_formula_inside_a_sentence_keeps_the_sentence_whole():
    page = _page(
        "<article><h1>Quadratics</h1><p>When <math><mi>a</mi><mo>≠</mo><mn>0</mn></math>, there are two "
        f"solutions to the equation.</p><p>{SENTENCES}</p></article>"
    )
    doc = load_html(page, "q.html")
    assert "When a ≠ 0, there are two solutions to the equation." in doc.text


def test_mathml_alttext_is_preferred_and_mathjax_drawings_are_read_as_their_formula():
    assert flatten_math('<math alttext="x^2"><mi>x</mi></math>') == "<span>x^2</span>"
    drawn = (
        "<mjx-container><mjx-math><mjx-c></mjx-c></mjx-math><mjx-assistive-mml>"
        "<math><mi>k</mi></math></mjx-assistive-mml></mjx-container> heads"
    )
    assert flatten_math(drawn) == "<span>k</span> heads"


def test_prose_loose_between_blocks_is_not_dropped():
    # MathJax pages and hand-written HTML leave text outside any <p>: trafilatura keeps it as
    # a tail in its XML, and so must the loader.
    page = _page(
        f"<div><h1>Loose</h1><p>{SENTENCES}</p>Loose prose between two paragraphs that belongs to the "
        f"article all the same, as the page shows it.<p>{SENTENCES.replace('report', 'study')}</p></div>"
    )
    doc = load_html(page, "loose.html")
    assert "Loose prose between two paragraphs that belongs to the article all the same" in doc.text


def test_the_page_s_own_article_body_wins_when_the_extraction_missed_most_of_it():
    paragraphs = "".join(f"<p>{SENTENCES}</p>" for _ in range(4))
    root = lxml.html.document_fromstring(_page(
        f"<main><p>Front matter of the site with a few words.</p>"
        f'<div itemprop="articleBody">{paragraphs}</div></main>'
    ))
    body = article_container(root)
    assert body is not None and body.get("itemprop") == "articleBody"
    assert missed_article("Sentence 0 of the report says something.", root) is body
    assert missed_article(SENTENCES * 4, root) is None


def test_several_teasers_of_equal_size_are_no_article_but_main_is():
    teasers = "".join(f"<article><p>{SENTENCES}</p></article>" for _ in range(3))
    root = lxml.html.document_fromstring(_page(f"<main>{teasers}</main>"))
    assert article_container(root).tag == "main"


def test_a_page_with_no_article_element_has_no_container():
    root = lxml.html.document_fromstring(_page(f"<div><p>{SENTENCES}</p></div>"))
    assert article_container(root) is None


def test_citation_and_open_graph_meta_tags_become_the_page_s_metadata():
    page = _page(f"<article><h1>Whales</h1><p>{SENTENCES}</p></article>").replace(
        "<head>",
        '<head><meta name="citation_title" content="Whale Song Length">'
        '<meta name="citation_author" content="Payne, Roger"><meta name="citation_author" content="McVay, Scott">'
        '<meta name="citation_publication_date" content="1971/08/13"><meta property="og:site_name" content="Sea News">'
        '<meta name="viewport" content="width=device-width">',
    )
    doc = load_html(page, "w.html")
    assert doc.metadata["title"] == "Whale Song Length"
    assert doc.metadata["author"] == ["Payne, Roger", "McVay, Scott"]
    assert doc.metadata["date"] == "1971/08/13"
    assert doc.metadata["meta"]["og:site_name"] == ["Sea News"]
    assert "viewport" not in doc.metadata["meta"]
