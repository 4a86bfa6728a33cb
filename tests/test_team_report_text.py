"""What `postil team sync` prints: counts a reader can take in at a glance, in right English."""

from __future__ import annotations

from postil.exports.team_report import SyncReport
from postil.tui.commands.team import show


def test_one_removed_highlight_and_link_read_as_english(capsys):
    report = SyncReport(reviewer="ana", remote="/r.git", pushed=True, mine=1, removed=1,
                        links_removed=1, files_read=["ben"], sources_in=["Trial"])
    show(report, as_json=False)
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        "out: 1 highlight of ana, 0 new sources (pushed)",
        "in: highlights 0 new, 0 changed, 1 removed; 1 link removed; 1 new source (ben)",
    ]


def test_no_link_removals_say_nothing_of_links(capsys):
    show(SyncReport(reviewer="ben", remote="/r.git", added=3), as_json=False)
    assert "link" not in capsys.readouterr().out


def test_a_sync_that_sent_nothing_says_so_first(capsys):
    """A second machine's join has just brought ana's highlight in: the out line must not read
    as if it had sent it."""
    show(SyncReport(reviewer="ana", remote="/r.git", mine=1, added=1, files_read=["ana"]), as_json=False)
    assert capsys.readouterr().out.splitlines()[0] == "out: nothing (ana's shared file is unchanged: 1 highlight)"


def test_decisions_are_named_once_the_team_reconciles(capsys):
    show(SyncReport(reviewer="ana", remote="/r.git", pushed=True, mine=2, decisions_out=1,
                    decisions_in=1, files_read=["ben"]), as_json=False)
    assert capsys.readouterr().out.splitlines() == [
        "out: 2 highlights, 1 decision of ana, 0 new sources (pushed)",
        "in: highlights 0 new, 0 changed, 0 removed; decisions 1 new, 0 undone; 0 new sources (ben)",
    ]
