"""Error paths of the command line: one line on stderr naming the problem, no traceback,
a non-zero exit, and the sources already in the database left intact.

Most run in-process (CliRunner); the ones that must prove the console-script guarantee run
`python -m postil` as a real process.
"""

from __future__ import annotations

import sqlite3

import pytest
from cli_support import ARTICLE, NOTES, Postil


@pytest.fixture
def postil(tmp_path):
    p = Postil(tmp_path)
    p.ok("add", p.write("durability.txt", ARTICLE), p.write("notes.md", NOTES))
    p.ok("mark", "1", "The sample was small", "--tag", "caveat")
    return p


def intact(postil) -> None:
    sources = postil.ok("sources", "--json").json()
    assert [s["title"] for s in sources] == ["Durability of response", "Field notes"]
    assert len(postil.ok("highlights", "--json").json()) == 1
    assert postil.ok("check").exit_code == 0


def one_line(stderr: str) -> str:
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("postil: ")
    return lines[0]


@pytest.mark.parametrize(
    "name, content, expected",
    [
        ("missing.txt", None, "no such file"),
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\n \t\n", "no readable text"),
        ("program", b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 8, "binary"),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(200), "binary"),
        ("nul.txt", b"text\x00with\x00nuls\x00" * 50, "binary"),
    ],
)
def test_add_refuses_a_bad_file_in_one_line(postil, name, content, expected):
    path = postil.tmp_path / name
    if content is not None:
        path.write_bytes(content)
    message = one_line(postil.fails("add", path).stderr)
    assert name in message and expected in message
    intact(postil)


def test_add_empty_folder(postil, tmp_path):
    (tmp_path / "nothing").mkdir()
    (tmp_path / "nothing" / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    message = one_line(postil.fails("add", tmp_path / "nothing").stderr)
    assert "nothing" in message and "no importable files" in message
    intact(postil)


def test_invalid_utf8_is_a_safe_import_with_a_warning(postil):
    path = postil.write("latin1.txt", b"Caf\xe9 cr\xe8me\n\nna\xefve\n")
    run = postil.ok("add", path)
    assert "Café crème" in run.stdout
    assert "latin1.txt" in one_line(run.stderr) and "Windows-1252" in run.stderr


@pytest.mark.parametrize(
    "args, expected",
    [
        (["show", "nope"], "no source matches 'nope'"),
        (["show", "d"], None),  # "d" prefixes one title only: not an error (checked below)
        (["mark", "1", "absent words"], "not found"),
        (["search", "tag:caveat AND ("], "column"),
        (["search", "before:yesterday"], "before"),
        (["tag", "merge", "caveat", "caveat"], "into itself"),
        (["rm", "99", "--yes"], "no source matches '99'"),
    ],
)
def test_lookups_fail_cleanly(postil, args, expected):
    if expected is None:
        assert postil.ok(*args).stdout.startswith("Durability of response")
        return
    assert expected in one_line(postil.fails(*args).stderr)
    intact(postil)


def test_ambiguous_prefix_lists_the_candidates(postil):
    postil.ok("add", postil.write("durability-2.txt", "Durability again\n\ntext\n"))
    message = one_line(postil.fails("show", "durab").stderr)
    assert "matches 2 sources" in message and "1 'Durability of response'" in message


def test_link_errors(postil):
    a = postil.ok("highlights", "--json").json()[0]["id"]
    b = postil.ok("mark", "2", "bold claim").stdout.strip()
    assert "known relations:" in one_line(postil.fails("link", a, b, "-r", "proves").stderr)
    assert "itself" in one_line(postil.fails("link", a[:6], a).stderr)
    assert postil.ok("links", "--json").json() == []


def test_backup_and_check(postil, tmp_path):
    target = tmp_path / "copy.db"
    postil.ok("backup", target)
    assert "exists already" in one_line(postil.fails("backup", target).stderr)
    postil.ok("backup", target, "--force")
    copy = Postil(tmp_path)
    copy.db_path = target
    assert [s["title"] for s in copy.ok("sources", "--json").json()] == ["Durability of response", "Field notes"]
    report = copy.ok("check", "--json").json()
    assert report["ok"] and report["integrity"] == ["ok"] and report["fts"] == {"highlights_fts": "ok", "sources_fts": "ok"}
    assert "that is the database itself" in one_line(postil.fails("backup", postil.db_path, "--force").stderr)


def test_check_finds_a_broken_index_and_a_moved_quote(postil):
    conn = sqlite3.connect(postil.db_path)
    # Damage what the triggers keep in step, behind their back.
    conn.execute("INSERT INTO highlights_fts(highlights_fts, rowid, quote, note) VALUES ('delete', 1, 'The sample was small', '')")
    conn.execute("UPDATE highlights SET start = start + 1, \"end\" = \"end\" + 1")
    conn.commit()
    conn.close()
    run = postil("check")
    assert run.exit_code == 1
    assert "full-text index highlights_fts: ok" not in run.stdout
    assert "quotes at their offsets: 1 differ" in run.stdout
    assert "problems found" in run.stdout


# --- real processes: what a user's shell sees ---------------------------------------------


def test_process_errors_are_one_line_without_traceback(postil, tmp_path):
    (tmp_path / "bin").write_bytes(bytes(range(256)) * 4)
    cases = [
        (["add", tmp_path / "missing.md"], "missing.md"),
        (["add", tmp_path / "bin"], "binary"),
        (["show", "zzz"], "no source matches"),
        (["search", '"open phrase'], "column"),
        (["link", "abcd", "abce"], "no highlight id starts with"),
    ]
    for args, expected in cases:
        done = postil.process(*args)
        assert done.returncode == 1, (args, done.stderr)
        assert expected in one_line(done.stderr)
    intact(postil)


def test_process_usage_error_is_exit_2(postil):
    done = postil.process("mark", "1")
    assert done.returncode == 2 and "Traceback" not in done.stderr


def test_newer_database_is_refused_untouched(tmp_path):
    p = Postil(tmp_path)
    assert p.process("add", p.write("a.txt", ARTICLE)).returncode == 0
    conn = sqlite3.connect(p.db_path)
    conn.execute("PRAGMA user_version = 99")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in the main file, to compare bytes
    conn.close()
    before = p.db_path.read_bytes()
    done = p.process("sources")
    assert done.returncode == 1
    message = one_line(done.stderr)
    assert "newer postil" in message and str(p.db_path) in message
    assert p.db_path.read_bytes() == before


def test_corrupt_database_file_is_refused_untouched(tmp_path):
    p = Postil(tmp_path)
    p.db_path.write_bytes(b"this is not a database at all\n" * 100)
    before = p.db_path.read_bytes()
    for args in (["sources"], ["add", p.write("a.txt", ARTICLE)], ["check"]):
        done = p.process(*args)
        assert done.returncode == 1, done.stderr
        message = one_line(done.stderr)
        assert str(p.db_path) in message and "not a usable postil database" in message
    assert p.db_path.read_bytes() == before
