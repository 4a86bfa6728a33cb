"""The claims view and the orphans view, over the search fixture database."""

from screen_host import Host, add_text, drawn
from search_fixture import build

from postil.store.claims import claims
from postil.store.db import open_db
from postil.store.highlights import create_highlight
from postil.store.links import create_link
from postil.tui.screens.claims import CLAIM, FIRST_PAGE, NOTE, ClaimsScreen
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


def many_claims(path, n: int):
    """`n` outcomes in one source, each (but the first) qualifying the one before it."""
    db = open_db(path)
    source = add_text(db, "Trial", "\n\n".join(f"Finding {i} holds." for i in range(n)))
    made = []
    for i in range(n):
        start = 0 if i == 0 else len("\n\n".join(f"Finding {j} holds." for j in range(i))) + 2
        made.append(create_highlight(db, source, start, start + len(f"Finding {i} holds."),
                                     tags=["outcome"], note="why" if i % 3 == 0 else ""))
        if i:
            create_link(db, made[i].id, made[i - 1].id, relation="qualifies")
    return db


def shown(screen: ClaimsScreen) -> list[tuple[str, int]]:
    """(claim id, link index or CLAIM/NOTE) for every row of the list, in order."""
    return [(screen.claims[row.claim].highlight.id, row.link) for row in screen.query_one("#claims").items]


def every_row(found) -> list[tuple[str, int]]:
    rows = []
    for claim in found:
        rows.append((claim.highlight.id, CLAIM))
        rows += [(claim.highlight.id, NOTE)] if claim.highlight.note.strip() else []
        rows += [(claim.highlight.id, index) for index in range(len(claim.links))]
    return rows


async def test_the_claims_view_reads_a_page_and_the_rest_as_it_scrolls(tmp_path):
    """It opens on the first page of claims (with every claim counted in its title), and
    paging down, scrolling and end bring the rows of the whole list, in its order."""
    db = many_claims(tmp_path / "many.db", FIRST_PAGE * 3 + 7)
    whole = every_row(claims(db))
    screen = ClaimsScreen(db)
    app = Host(screen)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        assert f"what others link to): {FIRST_PAGE * 3 + 7} · 0 with no links · 0 with no caveat." in drawn(app)
        assert len(screen.claims) == FIRST_PAGE
        listing = screen.query_one("#claims")
        assert shown(screen) == whole[:len(listing.items)]
        for _ in range(len(listing.items) // 28 + 2):
            await pilot.press("pagedown")
        assert len(screen.claims) > FIRST_PAGE and shown(screen) == whole[:len(listing.items)]
        listing.scroll_to(y=len(listing.items), animate=False, immediate=True)  # the mouse wheel, the scrollbar
        await pilot.pause()
        assert len(listing.items) > listing.scroll_y + 28
        await pilot.press("end")
        await pilot.pause()
        assert shown(screen) == whole and listing.highlighted == len(whole) - 1
        await pilot.press("enter")
    assert app.result == claims(db)[-1].links[-1].other.id


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
