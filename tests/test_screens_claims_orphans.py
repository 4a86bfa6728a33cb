"""The claims view and the orphans view, over the search fixture database."""

from screen_host import Host, drawn
from search_fixture import build

from postil.tui.screens.claims import ClaimsScreen
from postil.tui.screens.orphans import OrphansScreen


async def test_every_claim_shows_with_its_links_and_the_unlinked_stand_out(tmp_path):
    """Outcomes and mechanisms, linked or not; under each, relation, quote and source of
    what is linked; one with nothing linked or no caveat is flagged."""
    fx = build(tmp_path / "claims.db")
    app = Host(ClaimsScreen(fx.db))
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        lines = [line.strip() for line in drawn(app).splitlines() if line.strip()]
        assert "Claims (outcome, mechanism, and what others link to): 6 · 1 with no links · 2 with no caveat." in lines[0]
        t1 = next(line for line in lines if "Remission rates were high at six weeks." in line)
        assert t1.startswith("no links")
        t4 = next(i for i, line in enumerate(lines) if "Psilocybin increases neuroplasticity" in line and line[0] not in "←→")
        assert lines[t4].startswith("no caveat")
        assert lines[t4 + 1].startswith("← supports") and "Amygdala reactivity fell after treatment." in lines[t4 + 1]
        assert "Amygdala and emotional response" in lines[t4 + 1]
        a1 = next(i for i, line in enumerate(lines) if "Amygdala reactivity fell" in line and line[0] not in "←→")
        assert lines[a1].startswith("mechanism")
        assert lines[a1 + 1] == '✎ compare with the "fMRI" study'  # the claim's own note, under it
        assert lines[a1 + 2].startswith("← qualifies") and "The sample was small (n = 19)" in lines[a1 + 2]
        assert lines[a1 + 3].startswith("→ supports")
        await pilot.press("down", "enter")  # the first claim's first link: a2 qualifies a1
        await pilot.pause()
    assert app.result == fx.ids["a2"]


async def test_claims_at_80x24_and_escape(tmp_path):
    fx = build(tmp_path / "claims.db")
    app = Host(ClaimsScreen(fx.db))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "no links" in drawn(app)
        await pilot.press("enter")
        await pilot.pause()
    assert app.result == fx.ids["a1"]


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


async def test_the_orphans_columns_narrow_with_the_terminal(tmp_path):
    fx = build(tmp_path / "orphans.db")
    app = Host(OrphansScreen(fx.db))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        lines = [line.strip() for line in drawn(app).splitlines()]
        header = next(line for line in lines if line.startswith("status"))
        # Every column is on screen, the header over its rows; long cells end in an ellipsis.
        assert header.split() == ["status", "source", "quote", "note"]
        fuzzy = next(line for line in lines if line.startswith("fuzzy"))
        assert fuzzy.index("[T]his is") == header.index("quote") and "…" in fuzzy
