"""The brief's YAML front matter with hostile titles: data to a YAML reader, inert to a renderer.

A brief is opened in Obsidian, on GitHub, in a static site generator: some read the front
matter as YAML (a front-matter plugin), some render it as Markdown like the rest. Titles
come from web pages and from `--title`; in neither reading may they become HTML, links,
images or emphasis, and a YAML reader must get back exactly the title that went in.
"""

from __future__ import annotations

import html

import pytest
import yaml
from cli_support import Postil
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from mdit_py_plugins.front_matter import front_matter_plugin

from postil.exports.brief import front_matter
from postil.exports.brief_plan import Anchors, BriefPlan

IMG = "<img src=x onerror=alert(1)>"
SCRIPT = '<script>alert("t")</script> [click](javascript:alert(1)) ![i](https://evil.example/p.png) *em* `c` <https://x.example>'

LIVE = ("<img", "<script", "<a ", "<em>", "<code>", "<strong>", "href=", "src=")
"""What the titles must not become where they stand (the brief's own markup is elsewhere)."""
EXECUTES = ("<img", "<script", 'href="javascript', 'src="https://evil')


def brief_with_hostile_titles(tmp_path) -> str:
    postil = Postil(tmp_path)
    page = f"<html><head><title>{html.escape(IMG)}</title></head><body><p>The sample was small.</p></body></html>"
    postil.ok("add", postil.write("page.html", page))
    postil.ok("mark", "1", "The sample was small")
    postil.ok("export", "--title", SCRIPT, "-o", tmp_path / "brief.md")
    return (tmp_path / "brief.md").read_text(encoding="utf-8")


def split_front_matter(text: str) -> tuple[str, str]:
    assert text.startswith("---\n")
    end = text.index("\n---\n", 4)
    return text[4:end], text[end + 5 :]


def test_a_front_matter_reader_gets_the_titles_back_exactly(tmp_path):
    text = brief_with_hostile_titles(tmp_path)
    md = MarkdownIt("commonmark").use(front_matter_plugin)
    tokens = md.parse(text)
    assert tokens[0].type == "front_matter"
    meta = yaml.safe_load(tokens[0].content)
    assert meta["title"] == SCRIPT
    assert meta["sources"] == [IMG]
    body = md.render(text)
    assert not [piece for piece in EXECUTES if piece in body], body


def test_a_renderer_without_front_matter_support_shows_it_as_inert_text(tmp_path):
    text = brief_with_hostile_titles(tmp_path)
    head, _ = split_front_matter(text)
    rendered = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(text)
    front = rendered.split("<h1")[0] if "<h1" in rendered else rendered
    assert not [piece for piece in LIVE if piece in front], front
    assert not [piece for piece in EXECUTES if piece in rendered], rendered
    # Still readable by eye: the words of the title are there.
    assert "alert" in front and "click" in front


_TITLE = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60)


@settings(max_examples=100, deadline=None)
@given(title=_TITLE, source_title=_TITLE)
def test_any_title_is_inert_markdown_and_exact_yaml(title: str, source_title: str):
    plan = BriefPlan(title, title, "2026-12-03T06:00:00Z", Anchors([]),
                     sources={1: type("S", (), {"title": source_title})()})
    lines = front_matter(plan)
    meta = yaml.safe_load("\n".join(lines[1:-2]))
    assert meta["title"] == title and meta["query"] == title and meta["sources"] == [source_title]
    tokens = MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse("\n".join(lines[1:-2]))
    kinds = {child.type for token in tokens for child in token.children or []}
    assert kinds <= {"text", "softbreak"}, kinds


@pytest.mark.parametrize("title", [IMG, SCRIPT, "a: b # c", "---", "x\ny", "\u202egnp.exe", "%%hidden%% ==mark== $x$"])
def test_front_matter_lines_are_one_key_each(title: str):
    lines = front_matter(BriefPlan(title, "", "2026-12-03T06:00:00Z", Anchors([])))
    assert lines[0] == "---" and lines[-2] == "---"
    assert all(": " in line and line.split(": ")[0].isalpha() for line in lines[1:-2])
    assert yaml.safe_load("\n".join(lines[1:-2]))["title"] == title
