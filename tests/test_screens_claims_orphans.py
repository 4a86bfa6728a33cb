"""The claims view and the orphans view, over the search fixture database."""

from screen_host import Host, drawn
from search_fixture import build

from postil.store import links
from postil.tui.screens.claims import ClaimsScreen
from postil.tui.screens.orphans import OrphansScreen


async def test_claims_show_clusters_with_counts_and_open_a_highlight(tmp_path):
    fx = build(tmp_path / "claims.db")
    links.create_link(fx.db, fx.ids["t1"], fx.ids["a1"], relation="contradicts")
    app = Host(ClaimsScreen(fx.db))
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        text = drawn(app)
        assert "Claim 1 · 4 highlights in 2 sources · supports 1 · contradicts 1 · qualifies 1" in text
        assert "Claim 2 · 2 highlights in 2 sources · supports 0 · contradicts 1 · qualifies 0" in text
        assert "Claim 3 · 2 highlights in 1 source · supports 1 · contradicts 0 · qualifies 0" in text
        first = app.screen.clusters[0].highlights
        await pilot.press("down", "enter")  # second highlight of the first cluster
        await pilot.pause()
    assert app.result == first[1].id


async def test_claims_skip_headers_and_escape(tmp_path):
    fx = build(tmp_path / "claims.db")
    app = Host(ClaimsScreen(fx.db))
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("down", "down", "down")  # past cluster 1's three rows, over a header
        listing = app.screen.query_one("OptionList")
        assert listing.get_option_at_index(listing.highlighted).id.startswith("h2:")
        await pilot.press("escape")
        await pilot.pause()
    assert app.result is None


async def test_orphans_list_orphaned_and_fuzzy(tmp_path):
    fx = build(tmp_path / "orphans.db")
    app = Host(OrphansScreen(fx.db))
    async with app.run_test(size=(140, 30)) as pilot:
        await pilot.pause()
        text = drawn(app)
        assert "1 orphaned" in text and "1 fuzzy" in text
        assert "Nobody in my group relapsed." in text and "Forum thread" in text
        assert "[T]his is a treatment-resistant population." in text
        await pilot.press("down", "enter")
        await pilot.pause()
    assert app.result == fx.ids["a3"]
