"""What a web page itself says its article is, to check and complete trafilatura's reading.

trafilatura scores blocks of text; on some pages it keeps one teaser of a front page, or
stops a paragraph at the first formula. The page often says where its article is:
schema.org's `itemprop="articleBody"`, a lone `<article>`, `<main>` or `role="main"`. When
such a container holds far more prose than trafilatura returned, the container is read
instead (`article_container`). Inline MathML is reduced to its text before extraction, so
a sentence with a formula in it is not cut at the formula (`flatten_math`). Short blocks
that are a page's furniture rather than its text ("Please wait...", "Share this article",
"Now check your email") are left out (`is_chrome`).
"""

from __future__ import annotations

import html as html_lib
import re

_MATH = re.compile(r"<math\b([^>]*)>(.*?)</math\s*>", re.IGNORECASE | re.DOTALL)
_ALTTEXT = re.compile(r"""\balttext\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
# MathJax 3 draws a formula as empty glyph elements and keeps the formula itself, for screen
# readers, as MathML in <mjx-assistive-mml>: read that and drop the drawing.
_MATHJAX = re.compile(
    r"<mjx-container\b[^>]*>.*?<mjx-assistive-mml\b[^>]*>(.*?)</mjx-assistive-mml\s*>\s*</mjx-container\s*>",
    re.IGNORECASE | re.DOTALL,
)
_ANNOTATION = re.compile(r"<annotation\b.*?</annotation\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
_FURNITURE = ("nav", "aside", "form", "footer", "script", "style", "noscript", "template",
              "svg", "button", "select", "iframe", "object", "figure", "dialog")

MIN_CONTAINER_WORDS = 150
"""A container with fewer words than this says nothing about where the article is."""

SHORTFALL = 0.5
"""trafilatura's text under this share of the container's words means it missed the article."""

_CHROME = re.compile(
    r"^(?:please wait|loading|advertisement|skip to (?:main )?content|share (?:this|on|via)\b|"
    r"(?:now )?check your (?:e-?mail|inbox)|sign up for (?:our|the|free)|subscribe to (?:our|the)|"
    r"thanks? (?:you )?for (?:signing up|subscribing)|today on \w+|follow us\b|print this\b|"
    r"email this\b|you (?:might|may) also like|recommended for you|related (?:stories|articles)\b)",
    re.IGNORECASE,
)
CHROME_MAX = 120
"""Only short blocks can be furniture: a paragraph that begins "Share this" and goes on is text."""


def flatten_math(page: str) -> str:
    """Each `<math>` element as plain text: its `alttext` when given, else its tokens."""
    if "<math" not in page and "<MATH" not in page:
        return page
    if "<mjx-container" in page:
        page = _MATHJAX.sub(r"\1", page)

    def text(match: re.Match) -> str:
        alt = _ALTTEXT.search(match.group(1))
        if alt:
            return f"<span>{alt.group(1) or alt.group(2)}</span>"
        body = _TAG.sub(" ", _ANNOTATION.sub(" ", match.group(2)))
        return f"<span>{' '.join(html_lib.unescape(body).split())}</span>"

    return _MATH.sub(text, page)


def is_chrome(text: str) -> bool:
    """A short block that is page furniture, not article text."""
    text = text.strip()
    return len(text) <= CHROME_MAX and bool(_CHROME.match(text))


def words(text: str) -> int:
    """A rough word count, good for comparing two readings of one page."""
    return len(re.findall(r"\w+", text))


def missed_article(extracted: str, root):
    """The page's article container when `extracted` holds under SHORTFALL of its prose
    (trafilatura kept a teaser, or the first paragraph only), else None."""
    container = article_container(root)
    if container is not None and words(extracted) < SHORTFALL * prose_words(container):
        return container
    return None


def article_container(root):
    """The element the page marks as its article, or None.

    In order: `itemprop="articleBody"` or `name="articleBody"`; the page's one `<article>`
    (of several, the one holding most of their text); `<main>`; `role="main"`. The first with
    at least MIN_CONTAINER_WORDS words of prose outside its navigation and forms wins.
    """
    candidates = list(root.xpath('//*[@itemprop="articleBody" or @name="articleBody"]'))
    articles = root.xpath("//article[not(ancestor::article)]")
    if articles:
        sizes = [(words(a.text_content()), a) for a in articles]
        total = sum(size for size, _ in sizes)
        size, biggest = max(sizes, key=lambda pair: pair[0])
        if size * 2 > total:
            candidates.append(biggest)
    candidates += root.xpath("//main") + root.xpath('//*[@role="main"]')
    for candidate in candidates:
        if prose_words(candidate) >= MIN_CONTAINER_WORDS:
            return candidate
    return None


def prose_words(element) -> int:
    """Words in an element outside its furniture (navigation, forms, figures, scripts)."""
    furniture = sum(words(e.text_content()) for e in element.iter(*_FURNITURE)
                    if not any(a.tag in _FURNITURE for a in e.iterancestors()))
    return words(element.text_content()) - furniture


FURNITURE = _FURNITURE
"""Tags whose contents are never article text when a container is read."""
