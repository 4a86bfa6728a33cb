"""Snapshot tests of the main screen (pytest-textual-snapshot).

Update deliberately with `pytest tests/test_snapshots.py --snapshot-update` and look at the
SVGs under tests/__snapshots__ before committing them.
"""

from __future__ import annotations

from app_support import SIZE, add_text, make_app

from postil.store import highlights as store_highlights
from postil.store.source_add import add_source
from postil.store.sources import source_text
from postil.tui.launch import seed_welcome

SENTENCES = {
    "mechanism": "the drug helps to revive emotional responsiveness in the brain",
    "outcome": "the majority of patients reported that the psilocybin had eased their depressive symptoms",
    "caveat": "The researchers don't know for sure why that is",
    "anecdote": "I felt so much lighter, like something had been released",
}

# Our own short article for the narrow screen, so it runs without ../shared.
ARTICLE = (
    "# Amygdala study\n\n"
    "Patients with depression who took psilocybin showed more activity in the amygdala "
    "when they saw faces. The authors suggest that the drug helps to revive emotional "
    "responsiveness in the brain, where antidepressants blunt it.\n\n"
    "The sample was small and the study was not blinded, so the finding needs a trial.\n"
)


class TestMainScreen:
    """The main screen as a new user first sees it, and with an annotated article."""

    def test_welcome_guide(self, snap_compare, app_settings, app_db, fixed_clock):
        """First run: the welcome guide is seeded and opened at its top."""
        seed_welcome(app_db)
        assert snap_compare(make_app(app_settings, app_db), terminal_size=SIZE)

    def test_article_with_all_four_tags(self, snap_compare, app_settings, app_db, corpus_dir, fixed_clock):
        """A corpus article with one highlight per default tag, the cursor on the mechanism one."""
        from postil.sources.load import load_path

        source_id = add_source(app_db, load_path(corpus_dir / "amygdala-emotional-response.txt")).source.id
        text = source_text(app_db, source_id)
        for tag, sentence in SENTENCES.items():
            start = text.index(sentence)
            store_highlights.create_highlight(
                app_db, source_id, start, start + len(sentence), tags=[tag], author="tester",
                note="Reverses the SSRI story." if tag == "mechanism" else "",
            )
        cursor = text.index(SENTENCES["mechanism"]) + 4

        async def place_cursor(pilot) -> None:
            await pilot.pause()  # the main screen is mounted and holds the source
            pilot.app.screen.reader.move_to(cursor)
            await pilot.pause()

        app = make_app(app_settings, app_db, source_id, at_top=True)
        assert snap_compare(app, terminal_size=SIZE, run_before=place_cursor)


class TestAt80x24:
    """The screens a reviewer meets first, on an 80x24 terminal (issue 17): nothing cut off,
    every list with rows to show."""

    SMALL = (80, 24)

    def test_main_screen(self, snap_compare, app_settings, app_db, fixed_clock):
        seed_welcome(app_db)
        assert snap_compare(make_app(app_settings, app_db), terminal_size=self.SMALL)

    def test_link_picker_after_typing(self, snap_compare, tmp_path):
        from screen_host import Host
        from search_fixture import build

        from postil.tui.screens.link_picker import LinkPickerScreen

        fx = build(tmp_path / "snap.db")

        async def type_query(pilot) -> None:
            await pilot.press(*"relapse")
            await pilot.pause()

        app = Host(LinkPickerScreen(fx.db, fx.ids["t1"]))
        assert snap_compare(app, terminal_size=self.SMALL, run_before=type_query)

    def test_search_screen_with_passages(self, snap_compare, tmp_path):
        from screen_host import Host, add_text
        from search_fixture import build

        from postil.tui.screens.search import SearchScreen

        fx = build(tmp_path / "snap.db")
        add_text(fx.db, "Sleep notes", "Sleep notes\n\nRelapses of insomnia were rare.")

        async def settle(pilot) -> None:
            await pilot.pause(SearchScreen.DEBOUNCE + 0.05)
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()

        app = Host(SearchScreen(fx.db, "relapse"))
        assert snap_compare(app, terminal_size=self.SMALL, run_before=settle)

    def test_export_dialog(self, snap_compare, tmp_path):
        from pathlib import Path

        from screen_host import Host
        from search_fixture import build

        from postil.tui.screens.export import ExportScreen

        fx = build(tmp_path / "snap.db")
        app = Host(ExportScreen(fx.db, 2, "tag:caveat", folder=Path("/briefs")))
        assert snap_compare(app, terminal_size=self.SMALL)


class TestAt60x24:
    """The narrowest terminal we promise to degrade on (issue 17): the main screen still holds
    the header, the library strip, the reader and the pane, with the highlight under the cursor."""

    NARROW = (60, 24)

    def test_main_screen_on_an_annotated_article(self, snap_compare, app_settings, app_db, fixed_clock):
        source_id = add_text(app_db, ARTICLE, "amygdala-study.md")
        text = source_text(app_db, source_id)
        start = text.index(SENTENCES["mechanism"])
        store_highlights.create_highlight(
            app_db, source_id, start, start + len(SENTENCES["mechanism"]), tags=["mechanism"],
            author="tester", note="Reverses the **SSRI** story.",
        )

        async def place_cursor(pilot) -> None:
            await pilot.pause()  # the main screen is mounted and holds the source
            pilot.app.screen.reader.move_to(start + 4)
            await pilot.pause()

        app = make_app(app_settings, app_db, source_id, at_top=True)
        assert snap_compare(app, terminal_size=self.NARROW, run_before=place_cursor)
