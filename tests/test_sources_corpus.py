"""The sample corpus (../shared/corpus) loads the way a reviewer expects; skipped when absent."""

from __future__ import annotations

from pathlib import Path

from postil.sources.document import CELL_GAP
from postil.sources.load import collect_paths, load_path


def test_all_five_articles_load_with_sensible_titles(corpus_dir: Path):
    files, errors = collect_paths([corpus_dir])
    assert errors == [] and len(files) == 5
    titles = {path.name: load_path(path).document.title for path in files}
    assert titles["treating-depression-station.md"] == "Treating Depression"
    assert titles["psychedelic-therapy-chronic-trauma.txt"] == "How Psychedelic Therapy Heals Chronic Trauma"
    for title in titles.values():
        assert 3 <= len(title) <= 150 and "\n" not in title


def test_markdown_article_table_reads_as_rows_without_syntax(corpus_dir: Path):
    doc = load_path(corpus_dir / "treating-depression-station.md").document
    rows = [doc.text[b.start : b.end] for b in doc.blocks if b.kind == "table_row"]
    assert rows == [
        "Feature  |  Traditional Antidepressants  |  Psilocybin-Assisted Therapy",
        "Frequency  |  Daily consistent dose  |  Occasional guided session",
        "Primary Goal  |  Symptom suppression  |  Neural network resetting",
        "Setting  |  Self-administered at home  |  Supervised clinical environment",
    ]
    assert "|" not in doc.text.replace(CELL_GAP, "\t") and "---" not in doc.text and "**" not in doc.text
    # The line right after the table is prose, not a table row.
    assert "\n\nThis comparison shows that the two models" in doc.text
    items = [b for b in doc.blocks if b.kind == "list_item"]
    assert len(items) == 3 and all(doc.text[b.start : b.end].startswith("• ") for b in items)
    # Lines after the list are paragraphs of their own, not swallowed by the last item.
    last_item = doc.text[items[-1].start : items[-1].end]
    assert "These points highlight" not in last_item


def test_forum_article_keeps_its_text(corpus_dir: Path):
    path = corpus_dir / "forum-psilocybin-neuroplasticity.txt"
    doc = load_path(path).document
    source_words = path.read_text(encoding="utf-8").split()
    # Bullets are normalised, nothing else: every word survives, in order.
    assert [w for w in doc.text.split()] == source_words
    bullets = [b for b in doc.blocks if b.kind == "list_item" and b.meta["marker"] == "•"]
    assert len(bullets) >= 8
    headings = [doc.text[b.start : b.end] for b in doc.blocks if b.kind == "heading"]
    assert "Animal Studies: Mushrooms That Change Neurons" in headings


def test_bracketed_quotes_stay_literal(corpus_dir: Path):
    doc = load_path(corpus_dir / "amygdala-emotional-response.txt").document
    assert '"[T]his is unlike SSRI antidepressants' in doc.text
    assert doc.blocks and all(b.kind == "paragraph" for b in doc.blocks)


def test_every_corpus_text_keeps_every_word(corpus_dir: Path):
    bullets = {"-": "•", "*": "•", "+": "•"}  # list markers are normalised to "•"
    for path in sorted(corpus_dir.glob("*.txt")):
        doc = load_path(path).document
        expected = [bullets.get(w, w) for w in path.read_text(encoding="utf-8").split()]
        assert [w for w in doc.text.split()] == expected, path.name
