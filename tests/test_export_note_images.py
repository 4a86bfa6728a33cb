"""Images in notes: a remote one would phone home when the brief is opened, so by default it
is written as a plain link; `--keep-images` keeps it. Checked by rendering the brief."""

from __future__ import annotations

from cli_support import ARTICLE, Postil
from markdown_it import MarkdownIt

from postil.exports.escape import confine_note

NOTE = (
    "See ![chart](https://tracker.example/pixel.png?who=me) and ![local](figures/a.png)\n"
    "- also ![ref image][r] and ![][r]\n"
    "\n"
    "[r]: //cdn.example/p.gif\n"
    "`![code](https://in.code.example/x.png)` stays code; so does \\![escaped](https://e.example/x)"
)

MD = MarkdownIt("commonmark")


def images(markdown: str) -> list[str]:
    found = []
    for token in MD.parse(markdown):
        for child in token.children or []:
            if child.type == "image":
                found.append(child.attrGet("src"))
    return found


def brief(tmp_path, *extra: str) -> str:
    postil = Postil(tmp_path)
    postil.ok("add", postil.write("a.txt", ARTICLE))
    postil.ok("mark", "1", "The sample was small", "--note", NOTE)
    target = tmp_path / f"brief{len(extra)}.md"
    postil.ok("export", "-o", target, *extra)
    return target.read_text(encoding="utf-8")


def test_remote_images_in_notes_become_plain_links_by_default(tmp_path):
    text = brief(tmp_path)
    assert images(text) == ["figures/a.png"]
    rendered = MD.render(text)
    assert '<a href="https://tracker.example/pixel.png?who=me">chart</a>' in rendered
    assert "<code>![code](https://in.code.example/x.png)</code>" in rendered
    assert "tracker.example" in rendered and "cdn.example" in rendered  # the links are still there


def test_keep_images_keeps_them(tmp_path):
    text = brief(tmp_path, "--keep-images")
    assert images(text) == ["https://tracker.example/pixel.png?who=me", "figures/a.png", "//cdn.example/p.gif", "//cdn.example/p.gif"]


def test_confine_note_keeps_relative_images_and_the_alt_text():
    lines = confine_note("![a [nested] alt](https://x.example/i.png) ![rel](./i.png)")
    assert images("\n".join(lines)) == ["./i.png"]
    assert "a [nested] alt" in MD.render("\n".join(lines))
