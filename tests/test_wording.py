"""Counts in the UI and the CLI read as English: "1 highlight", never "1 highlights"."""

from cli_support import ARTICLE, Postil

from postil.tui.wording import counted


def test_counted():
    assert [counted(n, "highlight") for n in (0, 1, 2)] == ["0 highlights", "1 highlight", "2 highlights"]
    assert counted(1, "source") == "1 source" and counted(2, "copy", "copies") == "2 copies"


def test_cli_says_one_highlight(tmp_path):
    postil = Postil(tmp_path)
    postil.ok("add", postil.write("a.txt", ARTICLE))
    postil.ok("mark", "1", "Some relapses followed stressful events.", "--tag", "caveat")
    assert "(1 highlight)" in postil.ok("tag", "merge", "caveat", "outcome").stdout
    postil.ok("mark", "1", "The sample was small and", "--tag", "anecdote")
    assert "was on 1 highlight)" in postil.ok("tag", "delete", "anecdote", "--yes").stdout
    assert "(2 highlights)" in postil.ok("rm", "1", "--yes").stdout
