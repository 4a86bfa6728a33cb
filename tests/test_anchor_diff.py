"""The pane's word diff of a fuzzy anchor (tui/widgets/anchor_diff.py)."""

from textual.content import Content

from postil.tui.widgets.anchor_diff import anchor_parts, diff_parts, word_diff


def test_words_removed_and_added_are_runs_of_their_own():
    assert word_diff("rapid and robust reductions", "rapid and robst\nreductions") == [
        ("same", "rapid and"), ("removed", "robust"), ("added", "robst"), ("same", "reductions"),
    ]
    assert word_diff("a b", "a  b") == [("same", "a b")]


def test_the_diff_is_marked_without_colour_and_long_unchanged_runs_are_cut():
    old = " ".join(f"w{i}" for i in range(30)) + " robust end"
    new = " ".join(f"w{i}" for i in range(30)) + " robst end"
    text = Content.assemble(*diff_parts(old, new)).plain
    assert text == "… w25 w26 w27 w28 w29 [-robust-] {+robst+} end"


def test_quotes_are_drawn_literally():
    parts = anchor_parts("fuzzy", "[red]old\x1b[31m", "[bold]new\x1b[2J")
    text = Content.assemble(*parts).plain
    assert "[-[red]old" in text and "{+[bold]new" in text
    assert "\x1b" not in text
    orphan = Content.assemble(*anchor_parts("orphaned", "[/]gone\x07", "")).plain
    assert "[/]gone" in orphan and "\x07" not in orphan
    assert anchor_parts("anchored", "x", "x") == []
