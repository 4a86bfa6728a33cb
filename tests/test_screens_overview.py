"""The overview screen: counts per tag and source, shares, warnings, enter gives a query."""


from overview_gate import gate_the_worker
from screen_host import Host, drawn, until
from search_fixture import build

from postil.store import search as store_search
from postil.store.overview import overview
from postil.tui.screens.overview import OverviewScreen


async def test_cells_and_shares_and_enter_on_a_cell(tmp_path):
    fx = build(tmp_path / "overview.db")
    app = Host(OverviewScreen(fx.db))
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        text = drawn(app)
        assert "10 highlights in 4 sources" in text
        assert "Amygdala and emotional response" in text and "all sources" in text
        data = app.screen.data
        # rows by title: Amygdala (2), Empty (4), Forum (3), Psychedelic (1); columns: source, share, tags...
        assert [s.id for s in data.sources] == [2, 4, 3, 1]
        caveat_column = app.screen.columns.index("caveat")
        await pilot.press(*["right"] * caveat_column, "enter")
        await pilot.pause()
    assert app.result == "source:2 tag:caveat"
    assert [h.id for h in store_search.search(fx.db, app.result)] == [fx.ids["a2"]]


async def test_cell_queries_for_title_and_total(tmp_path):
    fx = build(tmp_path / "overview.db")
    app = Host(OverviewScreen(fx.db))
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.cell_query(2, 0) == "source:3"
        assert screen.cell_query(4, screen.columns.index("outcome")) == "tag:outcome"
        assert screen.cell_query(4, 0) is None
        await pilot.press("escape")
        await pilot.pause()
    assert app.result is None


async def test_enter_on_a_warning_gives_its_query(tmp_path):
    fx = build(tmp_path / "overview.db")
    app = Host(OverviewScreen(fx.db))
    async with app.run_test(size=(140, 40)) as pilot:
        await until(pilot, lambda: app.screen.data.complete)
        await pilot.pause()
        warnings = app.screen.data.warnings
        assert "Empty source: no highlights yet" in drawn(app)
        await pilot.press("tab")
        assert app.screen.focused.id == "warnings"
        await pilot.press("enter")
        await pilot.pause()
    assert app.result == warnings[0].query


async def test_every_tag_column_fits_80_columns(tmp_path):
    """At 80 columns the titles give way, so no tag column (caveat, anecdote, ...) is off screen."""
    fx = build(tmp_path / "ov.db")
    app = Host(OverviewScreen(fx.db))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        header = next(line for line in drawn(app).splitlines() if "highlighted" in line)
        for tag in ("mechanism", "outcome", "caveat", "anecdote", "durability"):
            assert tag in header, tag
        assert "Psychedelic" in drawn(app)  # titles cut, not gone


async def test_the_columns_follow_a_resize(tmp_path):
    """Issue 17: the title width was measured once, on mount: opened wide then narrowed, the
    last tag columns went off screen; opened narrow then widened, titles stayed cut."""
    fx = build(tmp_path / "ov.db")
    app = Host(OverviewScreen(fx.db))
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        assert "Amygdala and emotional response" in drawn(app)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        header = next(line for line in drawn(app).splitlines() if "highlighted" in line)
        for tag in ("mechanism", "outcome", "caveat", "anecdote", "durability"):
            assert tag in header, header
        assert "Amygdala and emotional response" not in drawn(app)
        await pilot.resize_terminal(160, 40)
        await pilot.pause()
        assert "Amygdala and emotional response" in drawn(app)


async def test_at_60_columns_the_last_tag_column_can_be_reached_with_the_titles_kept(tmp_path):
    """At 60 columns the last tag column ran past the edge with nothing to say so; the share
    column is headed "marked" there, and moving right scrolls the tags with the titles held."""
    fx = build(tmp_path / "overview.db")
    app = Host(OverviewScreen(fx.db))
    async with app.run_test(size=(60, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        header = next(line for line in drawn(app).splitlines() if line.strip().startswith("source"))
        assert "marked" in header and "highlighted" not in header
        last = screen.columns[-1]
        await pilot.press(*["right"] * (len(screen.columns) - 1))
        await pilot.pause()
        header = next(line for line in drawn(app).splitlines() if line.strip().startswith("source"))
        assert last[:6] in header  # the last tag's heading is on screen
        assert any("Amygdala" in line for line in drawn(app).splitlines())  # titles held at the left


class TestFiguresReadAfterThePaint:
    """Issue 15: at 100,000 highlights the screen stayed blank ~400 ms after `o` while every
    figure was read. Titles come first; the figures follow from a worker, the same as before."""

    async def test_the_table_shows_its_rows_before_the_figures_and_the_same_figures_after(self, tmp_path, monkeypatch):
        fx = build(tmp_path / "overview.db")  # a fuzzy, an orphaned and an untagged highlight
        expected = overview(fx.db)
        # What the screen shows until the gate opens is what it paints before any figure is read.
        gate = gate_the_worker(monkeypatch)
        app = Host(OverviewScreen(fx.db))
        async with app.run_test(size=(140, 40)) as pilot:
            await pilot.pause()
            first = drawn(app)
            assert "10 highlights in 4 sources" in first
            for source in expected.sources:
                assert source.title in first
            assert "…" in first and "reading …" in first
            assert "without a tag" not in first
            # A cell can be searched before its figure is read.
            assert app.screen.cell_query(0, app.screen.columns.index("caveat")) == "source:2 tag:caveat"
            gate.set()
            await until(pilot, lambda: app.screen.data.complete)
            await pilot.pause()
            final = drawn(app)
            assert app.screen.data == expected
        assert "…" not in final
        rows = {line.split("  ")[0].strip(): line.split() for line in final.splitlines()}
        for source in expected.sources:
            figures = [f"{source.share:.0%}"] + [str(expected.count(t, source.id) or "·") for t in expected.tags]
            assert rows[source.title][-len(figures):] == figures, source.title
        totals = [str(expected.tag_total(t) or "·") for t in expected.tags]
        assert rows["all sources"][-len(totals):] == totals
        for warning in expected.warnings:
            assert warning.message in final
        assert "1 highlight without a tag" in final
        assert "2 highlights fuzzy or orphaned: check their place in the text" in final

    async def test_closing_before_the_figures_are_read_leaves_quietly(self, tmp_path, monkeypatch):
        fx = build(tmp_path / "overview.db")
        gate = gate_the_worker(monkeypatch)
        app = Host(OverviewScreen(fx.db))
        async with app.run_test(size=(140, 40)) as pilot:
            await until(pilot, lambda: any(worker.group == "overview" for worker in app.workers))
            await pilot.press("escape")
            await pilot.pause()
            gate.set()
            await app.workers.wait_for_complete()
            await pilot.pause()
        assert app.result is None


async def test_a_small_database_shows_every_figure_in_the_first_frame(tmp_path):
    """Up to READ_HERE_UP_TO highlights the figures are read before the first paint: a
    worker's extra frames took longer to draw than the reading."""
    fx = build(tmp_path / "overview.db")
    app = Host(OverviewScreen(fx.db))
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        assert app.screen.data == overview(fx.db)
        assert "…" not in drawn(app) and "1 highlight without a tag" in drawn(app)
        assert not list(app.workers)
