"""A small, hand-made database for search and overview tests, inserted with plain SQL.

Plain SQL (not the store's create functions) so that each highlight's id, creation time
and anchor status are exactly what the tests say, independent of the clock.

Sources (ids): 1 therapy, 2 amygdala, 3 forum, 4 empty (no highlights).
Highlights are named; `Fixture.ids[name]` gives the id, `Fixture.names(hs)` maps back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from postil.store.db import open_db, write

SOURCES = [
    (1, "Psychedelic therapy for chronic trauma", "/corpus/psychedelic-therapy-chronic-trauma.txt"),
    (2, "Amygdala and emotional response", "https://example.org/news/amygdala-emotional-response.html"),
    (3, "Forum thread", "C:\\saved\\forum-psilocybin-neuroplasticity.txt"),
    (4, "Empty source", "/corpus/empty.txt"),
]

# name, source id, quote, tags, note, author, created_at, anchor_status
HIGHLIGHTS = [
    ("t1", 1, "Remission rates were high at six weeks.", ["outcome", "durability"],
     "durability unclear", "ana", "2026-11-01T10:00:00.000Z", "anchored"),
    ("t2", 1, "Relapses were common after three months.", ["outcome", "caveat"],
     "", "ben", "2026-11-15T08:30:00.000Z", "anchored"),
    ("t3", 1, "One patient said the trip changed her life.", ["anecdote"],
     "vivid but anecdotal", "Ana", "2026-12-01T09:00:00.000Z", "anchored"),
    ("t4", 1, "Psilocybin increases neuroplasticity in the prefrontal cortex.", ["mechanism"],
     "", "ana", "2026-12-02T00:00:00.000Z", "moved"),
    ("a1", 2, "Amygdala reactivity fell after treatment.", ["mechanism", "outcome"],
     'compare with the "fMRI" study', "ben", "2026-11-20T12:00:00.000Z", "anchored"),
    ("a2", 2, "The sample was small (n = 19) and unblinded.", ["caveat"],
     "", "ana", "2026-11-21T12:00:00.000Z", "anchored"),
    ("a3", 2, "[T]his is a treatment-resistant population.", [],
     "   ", "", "2026-11-22T12:00:00.000Z", "fuzzy"),
    ("f1", 3, "I felt my brain rewire itself, it's neuroplasticity.", ["anecdote"],
     "forum post", "ana", "2026-11-05T12:00:00.000Z", "anchored"),
    ("f2", 3, "Nobody in my group relapsed.", ["anecdote", "outcome"],
     "", "ben", "2026-11-06T12:00:00.000Z", "orphaned"),
    ("f3", 3, "Psilocybin regrows dendrites.", ["mechanism"],
     "", "ben", "2026-11-07T12:00:00.000Z", "anchored"),
]

# from, to, relation
LINKS = [
    ("a1", "t4", "supports"),
    ("f1", "f3", "supports"),
    ("a2", "a1", "qualifies"),
    ("t2", "f2", "contradicts"),
]


def highlight_id(name: str) -> str:
    """A uuid-shaped id whose first characters say which fixture highlight it is."""
    number = HIGHLIGHTS.index(next(h for h in HIGHLIGHTS if h[0] == name)) + 1
    return f"{number:08x}-0000-4000-8000-{number:012x}"


@dataclass
class Fixture:
    db: object
    ids: dict[str, str] = field(default_factory=dict)
    texts: dict[int, str] = field(default_factory=dict)

    def names(self, highlights) -> list[str]:
        back = {v: k for k, v in self.ids.items()}
        return [back[h.id] for h in highlights]


def build(path: Path) -> Fixture:
    """Create the fixture database at `path` and return it with its name -> id map."""
    db = open_db(path)
    fixture = Fixture(db)
    with write(db):
        for source_id, title, origin in SOURCES:
            quotes = [h[2] for h in HIGHLIGHTS if h[1] == source_id]
            text = "Introduction.\n\n" + "\n\n".join(quotes) + "\n\nThe end.\n"
            fixture.texts[source_id] = text
            db.execute(
                "INSERT INTO sources (id, title, origin, format, sha256, size, text, imported_at, "
                "updated_at) VALUES (?, ?, ?, 'text', ?, ?, ?, '2026-10-01T00:00:00.000Z', "
                "'2026-10-01T00:00:00.000Z')",
                [source_id, title, origin, f"sha{source_id}", len(text), text],
            )
        db.execute(
            "INSERT INTO tags (name, color, created_at) VALUES ('durability', '#888888', "
            "'2026-10-01T00:00:00.000Z')"
        )
        tag_ids = {name: i for i, name in db.execute("SELECT id, name FROM tags")}
        for name, source_id, quote, tags, note, author, created, status in HIGHLIGHTS:
            hid = highlight_id(name)
            fixture.ids[name] = hid
            start = fixture.texts[source_id].index(quote)
            db.execute(
                'INSERT INTO highlights (id, source_id, start, "end", quote, note, author, '
                "created_at, updated_at, anchor_status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [hid, source_id, start, start + len(quote), quote, note, author, created, created,
                 status],
            )
            for tag in tags:
                db.execute(
                    "INSERT INTO highlight_tags (highlight_id, tag_id) VALUES (?, ?)",
                    [hid, tag_ids[tag]],
                )
        for number, (source, target, relation) in enumerate(LINKS):
            db.execute(
                "INSERT INTO links (id, from_id, to_id, relation, created_at) VALUES (?, ?, ?, ?, ?)",
                [f"link-{number}", fixture.ids[source], fixture.ids[target], relation,
                 "2026-11-30T00:00:00.000Z"],
            )
    return fixture
