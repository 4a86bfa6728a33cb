"""End to end: the real `postil` in a real terminal (tmux), driven like a new user would.

Skipped when tmux is not installed (.ci/run installs it when it can).
"""

from __future__ import annotations

import time

from tmux_support import TMUX_MARKS

from postil.store.db import open_db
from postil.store.highlights import list_highlights

pytestmark = TMUX_MARKS

ARTICLE = """Amygdala study notes

Psilocybin changed how patients reacted to faces. More intriguingly, the scans showed heightened activity in the right amygdala after treatment, which the authors linked to emotional re-engagement. The sample was small (n = 20) and unblinded.

One participant said the world felt "in colour again".
"""


def test_first_run_shows_the_welcome_guide(terminal_factory):
    start, _ = terminal_factory
    term = start()
    term.wait_for("Welcome")
    # The first frame is the guide's preview alone (tui/first_screen.py); the footer comes with
    # the whole screen a refresh later, so wait for it rather than read the first frame.
    term.wait_for("? help")  # the footer offers the help screen
    term.keys("?")
    term.wait_for("mechanism")
    term.keys("Escape")
    term.keys("q")
    term.wait_closed()
    assert not term.alive()


def test_find_select_sentence_tag_note_and_reopen(terminal_factory, tmp_path):
    start, db_path = terminal_factory
    article = tmp_path / "amygdala.txt"
    article.write_text(ARTICLE)
    term = start("open", str(article))
    term.wait_for("Psilocybin changed")
    term.keys("/")
    term.wait_for("find (enter accepts")
    term.keys("heightened activity", literal=True)
    term.keys("Enter")
    time.sleep(0.5)
    term.keys("s")
    term.keys("1")
    term.wait_for("mechanism 1")
    term.keys("c")
    term.wait_for("Note on")
    term.keys("Replicates the earlier reset finding.", literal=True)
    term.keys("C-s")
    term.wait_for("✎")
    term.keys("q")
    term.wait_closed()

    db = open_db(db_path)
    (highlight,) = list_highlights(db)
    assert highlight.quote == (
        "More intriguingly, the scans showed heightened activity in the right amygdala after "
        "treatment, which the authors linked to emotional re-engagement."
    )
    assert highlight.tags == ["mechanism"]
    assert highlight.note == "Replicates the earlier reset finding."
    db.close()

    again = start()
    again.wait_for("Psilocybin changed")
    # The note shows in the pane (filled right after the text's first screen).
    screen = again.wait_for("Replicates the earlier")
    assert "Psilocybin changed" in screen
    again.keys("q")


def test_corpus_amygdala_sentence_becomes_one_mechanism_highlight(terminal_factory, corpus_dir):
    """Issue 4's walk-through on the real article: `/` to the phrase, `s`, `1`."""
    start, db_path = terminal_factory
    term = start("open", str(corpus_dir / "amygdala-emotional-response.txt"))
    term.wait_for("Psychedelic therapy")
    term.keys("/")
    term.wait_for("find (enter accepts")
    term.keys("heightened activity", literal=True)
    term.keys("Enter")
    time.sleep(0.5)
    term.keys("s")
    term.keys("1")
    term.wait_for("mechanism 1")
    term.keys("q")
    term.wait_closed()
    db = open_db(db_path)
    (highlight,) = list_highlights(db)
    assert highlight.tags == ["mechanism"]
    assert highlight.quote.startswith("More intriguingly, the fMRI scans showed the drug heightened activity")
    assert highlight.quote.endswith(".") and highlight.quote.count(". ") == 0
