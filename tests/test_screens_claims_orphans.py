"""The claims view and the orphans view, over the search fixture database."""

from screen_host import Host, add_text, drawn
from search_fixture import build

from postil.store.claims import claims
from postil.store.db import open_db
from postil.store.highlights import create_highlight
from postil.store.links import create_link
from postil.tui.screens import claims_window
from postil.tui.screens.claims import FIRST_PAGE, ClaimsScreen
from postil.tui.screens.claims_window import CLAIM, NOTE, PENDING
from postil.tui.screens.orphans import OrphansScreen


async def test_every_claim_shows_with_its_links_and_the_unlinked_stand_out(tmp_path):
    """Outcomes and mechanisms, linked or not; under each, relation, quote and source of
    what is linked; one with nothing linked or no caveat is flagged."""
    fx = build(tmp_path / "claims.db")
    app = Host(ClaimsScreen(fx.db))
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        lines = [line.strip() for line in drawn(app).splitlines() if line.strip()]
        assert "Claims (outcome, mechanism, and what others link to): 6 · 1 with no links · 2 linked, none to a caveat." in lines[0]
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


def every_row(found) -> list[tuple[str, int]]:
    """(claim id, link index or CLAIM/NOTE) for every row of the whole list, in order."""
    rows = []
    for claim in found:
        rows.append((claim.highlight.id, CLAIM))
        rows += [(claim.highlight.id, NOTE)] if claim.highlight.note.strip() else []
        rows += [(claim.highlight.id, index) for index in range(len(claim.links))]
    return rows


def in_view(screen: ClaimsScreen) -> tuple[int, list[tuple[str, int]]]:
    """(the first row in view, (claim id, link) of each row in view); a row not read fails."""
    listing = screen.query_one("#claims")
    top = int(listing.scroll_y)
    rows = listing.items[top:top + listing.scrollable_content_region.height]
    assert all(row.link != PENDING for row in rows), "a row in view was not read"
    return top, [(screen.window.claim(row).highlight.id, row.link) for row in rows]


async def opened(pilot, screen: ClaimsScreen) -> None:
    """Wait for the list's index (the title's counts, the whole list's length)."""
    while not screen.indexed.is_set():
        await pilot.pause(0.01)
    await pilot.pause()


async def test_the_claims_view_reads_a_page_and_the_rest_as_it_comes_into_view(tmp_path):
    """It opens on the first page of claims, its title counting every claim and its scrollbar
    spanning the whole list; paging, scrolling and end show the rows of the whole list."""
    db = many_claims(tmp_path / "many.db", FIRST_PAGE * 3 + 7)
    whole = every_row(claims(db))
    screen = ClaimsScreen(db)
    app = Host(screen)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        assert len(screen.window.claims) == FIRST_PAGE
        await opened(pilot, screen)
        assert f"what others link to): {FIRST_PAGE * 3 + 7} · 0 with no links · 0 linked, none to a caveat." in drawn(app)
        listing = screen.query_one("#claims")
        assert len(listing.items) == listing.virtual_size.height == len(whole)
        for _ in range(8):
            await pilot.press("pagedown")
            top, rows = in_view(screen)
            assert rows == whole[top:top + len(rows)]
        # The mouse wheel or the scrollbar, far from what was read: one page there.
        listing.scroll_to(y=len(whole) * 2 // 3, animate=False, immediate=True)
        await pilot.pause()
        top, rows = in_view(screen)
        assert top == len(whole) * 2 // 3 and rows == whole[top:top + len(rows)]
        assert len(screen.window.claims) == FIRST_PAGE
        await pilot.press("end")
        await pilot.pause()
        top, rows = in_view(screen)
        assert rows == whole[top:] and listing.highlighted == len(whole) - 1
        await pilot.press("enter")
    assert app.result == claims(db)[-1].links[-1].other.id


async def test_walking_the_claims_from_either_end_shows_the_whole_list(tmp_path, monkeypatch):
    """Down from the first row and up from the last, the cursor passes every row of the list
    but the notes, in order, across pages read after and before the ones shown."""
    monkeypatch.setattr(claims_window, "PAGE", 4)
    db = many_claims(tmp_path / "walk.db", 40)
    whole = every_row(claims(db))
    cursor_rows = [row for row in whole if row[1] != NOTE]
    assert await walk(db, whole, "down") == cursor_rows
    assert await walk(db, whole, "up") == cursor_rows[::-1]


async def walk(db, whole, key: str) -> list[tuple[str, int]]:
    """(claim id, link) under the cursor from the first row down, or from the last up."""
    screen = ClaimsScreen(db)
    app = Host(screen)
    async with app.run_test(size=(100, 14)) as pilot:
        await opened(pilot, screen)
        listing = screen.query_one("#claims")
        if key == "up":
            await pilot.press("end")
            assert screen.window.first > 0  # the last page only, not every page up to it

        def at_cursor() -> tuple[str, int]:
            row = listing.items[listing.highlighted]
            return screen.window.claim(row).highlight.id, row.link

        walked = [at_cursor()]
        while len(walked) < len(whole):
            await pilot.press(key)
            if at_cursor() == walked[-1]:
                break
            walked.append(at_cursor())
            top, rows = in_view(screen)
            assert rows == whole[top:top + len(rows)]
        return walked


async def test_end_reads_one_page_however_long_the_list(tmp_path):
    """`end` read every page after the cursor (~2.5 s at 100,000 highlights): now the last one."""
    costs = []
    for n in (FIRST_PAGE * 3, FIRST_PAGE * 10):
        db = many_claims(tmp_path / f"end-{n}.db", n)
        screen = ClaimsScreen(db)
        app = Host(screen)
        async with app.run_test(size=(120, 30)) as pilot:
            await opened(pilot, screen)
            pages, statements = screen.window.pages, []
            db.set_trace_callback(statements.append)
            await pilot.press("end")
            await pilot.pause()
            db.set_trace_callback(None)
            assert screen.window.pages == pages + 1 and len(screen.window.claims) == FIRST_PAGE
            assert screen.window.claim(listing_row(screen)).highlight.id == claims(db)[-1].highlight.id
        costs.append(len(statements))
    assert costs[0] == costs[1]  # the same statements at 300 or 1,000 claims


def listing_row(screen: ClaimsScreen):
    listing = screen.query_one("#claims")
    return listing.items[listing.highlighted]


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
