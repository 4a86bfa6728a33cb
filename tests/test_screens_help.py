"""The `?` help screen at 160x48, 80x24 and 60x24 (issue 17: "a wrap glitch in `?`")."""

from __future__ import annotations

import pytest
from screen_host import Host, drawn

from postil.tui import keymap
from postil.tui.screens.help import HelpScreen

HEADINGS = {"postil — keys", keymap.GLOBAL, keymap.ANNOTATE, keymap.READER, keymap.REVIEW}


def rows_inside_the_box(app) -> list[str]:
    """The help box's rows, without its border and padding."""
    lines = drawn(app).splitlines()
    top = next(i for i, l in enumerate(lines) if "postil — keys" in l)
    left = lines[top].index("postil — keys")
    rows = []
    for line in lines[top:]:
        if "▄▄▄" in line:
            break
        rows.append(line[left:].rstrip(" █"))
    return rows


@pytest.mark.parametrize("size", [(160, 48), (80, 24), (60, 24)])
async def test_a_long_description_wraps_under_itself_not_under_the_keys(size):
    """The orphans and source-record lines wrapped back to the box's edge ("place" under "O")."""
    app = Host(HelpScreen({1: "mechanism", 2: "outcome"}))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        rows = rows_inside_the_box(app)
        assert len(rows) >= 10
        column = rows[rows.index(next(r for r in rows if r.lstrip().startswith("ctrl+p")))].index("command")
        for row in rows:
            text = row.strip()
            if not text or text in HEADINGS:
                continue
            # A key row has its key at the indent of two; every other row continues a description.
            assert row.startswith("  ") and (row[2] != " " or row[:column].strip() == ""), rows
        shown = " ".join(" ".join(r[column:].split()) for r in rows)
        # Nothing runs off a narrow screen: each description is whole, across its lines.
        for whole in ("focus the annotation pane (shift+tab back)", "show or hide the library of sources"):
            assert whole in shown, rows
