"""End to end in tmux: issue 5's and issue 6's must-shows on the real corpus, typed as a new user would.

- Links: a caveat in one article `qualifies` an outcome in another, made with the keys (find,
  s, 3 / 2, l, words of the other quote, enter, qualifies, enter, note, enter); enter follows
  it, ctrl+o comes back, the backlink shows on the target, and `L` shows the cluster.
- Search: `f`, `tag:caveat`, enter lands on the caveat in its source; a query saved with
  ctrl+s runs again from the palette.

Skipped without tmux or without the corpus (../shared/corpus).
"""

from __future__ import annotations

from pathlib import Path

from tmux_support import TMUX_MARKS

from postil.sources.load import load_path
from postil.store import highlights as store_highlights
from postil.store import links as store_links
from postil.store import sources as store_sources
from postil.store.db import open_db
from postil.store.source_add import add_source

pytestmark = TMUX_MARKS

AMYGDALA = "amygdala-emotional-response.txt"
TRAUMA = "psychedelic-therapy-chronic-trauma.txt"
CAVEAT = (
    "The team acknowledges their study has a number of limitations, including a small sample size, "
    "and a lack of controls – including one for SSRIs."
)
OUTCOME = "More importantly, 58 percent of those people stayed in complete remission."


def add_corpus(db_path: Path, corpus_dir: Path) -> tuple[int, int]:
    """The two articles in a fresh database: (amygdala id, trauma id)."""
    db = open_db(db_path)
    try:
        amygdala = add_source(db, load_path(corpus_dir / AMYGDALA)).source.id
        trauma = add_source(db, load_path(corpus_dir / TRAUMA)).source.id
    finally:
        db.close()
    return amygdala, trauma


def find_and_tag(term, words: str, digit: str, header: str) -> None:
    """`/` words, enter, `s` (the sentence), digit; waits until the header counts the tag."""
    term.keys("/")
    term.keys("BSpace")  # the bar offers the last query, selected: clear it
    term.wait_for("find (enter accepts")
    term.keys(words, literal=True)
    term.keys("Enter")
    term.keys("s")
    term.keys(digit)
    term.wait_for(header)


def header(screen: str) -> str:
    return screen.splitlines()[0]


def test_link_a_caveat_to_an_outcome_follow_it_and_come_back(terminal_factory, corpus_dir):
    start, db_path = terminal_factory
    amygdala, trauma = add_corpus(db_path, corpus_dir)
    term = start("open", str(trauma))
    term.wait_for("How Psychedelic Therapy Heals Chronic Trauma")
    find_and_tag(term, "complete remission", "2", "outcome 1")

    # To the other article through the palette, then the caveat there.
    term.keys("C-p")
    term.keys("Open: Amygdala", literal=True)
    term.wait_for("Open: Amygdala")
    term.keys("Enter")
    assert header(term.wait_for("Amygdala emotional response  ·")).startswith(" Amygdala")
    find_and_tag(term, "acknowledges their study", "3", "caveat 1")

    # l: find the outcome by words of its quote, choose it, then qualifies, then a note.
    term.keys("l")
    term.wait_for("Link from")
    term.keys("remission", literal=True)
    term.wait_for("58 percent of those people")
    term.keys("Enter")
    term.wait_for("choose the relation")
    term.keys("Up", "Up", "Up")  # see-also (the default) -> same-finding -> elaborates -> qualifies
    term.keys("Enter")
    term.wait_for("relation: qualifies")
    term.keys("n=20, unblinded", literal=True)
    term.keys("Enter")
    term.wait_for("→ qualifies")  # the caveat's pane lists the new link
    term.wait_for("n=20, unblinded")  # with its note (once the "linked" message stops covering it)

    # enter on the highlight follows the link; the target shows the backlink.
    term.keys("Enter")
    screen = term.wait_for("← qualifies")
    assert header(screen).startswith(" How Psychedelic Therapy Heals Chronic Trauma")
    assert "“The team acknowledges" in screen
    # ctrl+o: back to the caveat's article.
    term.keys("C-o")
    screen = term.wait_for("Amygdala emotional response  ·")
    assert header(screen).startswith(" Amygdala")
    assert "→ qualifies" in screen

    # The claims view: the outcome, with the caveat that qualifies it under it.
    term.keys("L")
    screen = term.wait_for("Claims (outcome, mechanism, and what others link to): 1")
    assert "0 with no links" in screen
    assert "← qualifies" in screen and "The team acknowledges" in screen
    term.keys("Escape")
    term.keys("q")
    term.wait_closed()

    db = open_db(db_path)
    (link,) = store_links.list_links(db)
    caveat = store_highlights.get_highlight(db, link.from_id)
    outcome = store_highlights.get_highlight(db, link.to_id)
    assert (caveat.quote, caveat.tags, caveat.source_id) == (CAVEAT, ["caveat"], amygdala)
    assert (outcome.quote, outcome.tags, outcome.source_id) == (OUTCOME, ["outcome"], trauma)
    assert (link.relation, link.note, link.author) == ("qualifies", "n=20, unblinded", "e2e")
    db.close()


def test_search_tag_caveat_lands_on_the_caveat_and_a_saved_query_runs_from_the_palette(
    terminal_factory, corpus_dir
):
    start, db_path = terminal_factory
    amygdala, trauma = add_corpus(db_path, corpus_dir)
    db = open_db(db_path)
    for source_id, sentence, tag in ((amygdala, CAVEAT, "caveat"), (trauma, OUTCOME, "outcome")):
        text = store_sources.source_text(db, source_id)
        begin = text.index(sentence)
        store_highlights.create_highlight(db, source_id, begin, begin + len(sentence), tags=[tag])
    (caveat,) = [h for h in store_highlights.list_highlights(db) if h.tags == ["caveat"]]
    db.close()

    term = start("open", str(trauma))  # reading the other article
    term.wait_for("How Psychedelic Therapy Heals Chronic Trauma")
    term.keys("f")
    term.wait_for("tag:caveat, -tag:anecdote")  # the query field's hint
    term.keys("tag:caveat", literal=True)
    screen = term.wait_for("1 highlight in 1 source")
    assert "The team acknowledges" in screen and "58 percent" not in screen
    term.keys("Enter")
    screen = term.wait_for("Amygdala emotional response  ·")
    assert header(screen).startswith(" Amygdala")
    assert "The team acknowledges their study has a" in screen  # the reader (and the pane) show it

    # Back in search the query is still there; save it, then run it from the palette.
    term.keys("f")
    term.wait_for("1 highlight in 1 source")
    term.keys("C-s")
    term.wait_for("as:")
    term.keys("every caveat", literal=True)
    term.keys("Enter")
    term.wait_for("saved as every caveat")
    term.keys("Escape")
    term.keys("C-p")
    term.keys("every caveat", literal=True)
    term.wait_for("Saved search: every caveat — tag:caveat")
    term.keys("Enter")
    term.wait_for("1 highlight in 1 source")
    term.keys("Escape")
    term.keys("q")
    term.wait_closed()

    db = open_db(db_path)
    # Quitting wrote the reading position: the cursor was on the caveat's first character.
    assert store_sources.get_source(db, amygdala).read_offset == caveat.start
    db.close()
