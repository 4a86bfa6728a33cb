"""Rough edges found trying postil in tmux as a new user (issue 17, item 5)."""

from __future__ import annotations

from screen_host import Host, drawn

from postil.sources.load import SUPPORTED_EXTENSIONS
from postil.store.db import open_db
from postil.tui.screens.add_source import AddSourceScreen


async def test_the_add_dialog_names_every_kind_of_file_it_imports(tmp_path):
    """`A` said "(.txt .md .markdown .html .htm)": PDFs import too, from the app as from `postil add`."""
    app = Host(AddSourceScreen(open_db(tmp_path / "p.db")))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        heading = next(line for line in drawn(app).splitlines() if "Add a file" in line)
        for extension in SUPPORTED_EXTENSIONS:
            assert extension + " " in heading or extension + ")" in heading, heading
