"""The export dialog: scopes, grouping, file names, refusal to overwrite, errors as one line."""

from screen_host import Host, drawn
from search_fixture import build

from postil.tui.screens.export import ExportScreen


async def test_this_source_brief_with_default_name(tmp_path):
    fx = build(tmp_path / "export.db")
    app = Host(ExportScreen(fx.db, 2, "tag:caveat", folder=tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.query_one("#file").value == "evidence-brief-amygdala-and-emotional-response.md"
        await pilot.press("enter")
        await pilot.pause()
        assert "wrote 3 highlights to" in drawn(app)
        # Found in tmux: the plan line still said "will write a new file" under "wrote".
        assert "will write a new file" not in drawn(app)
        assert "written just now" in drawn(app)
        await pilot.press("escape")
        await pilot.pause()
    path = tmp_path / "evidence-brief-amygdala-and-emotional-response.md"
    assert app.result == path
    text = path.read_text()
    assert text.startswith("---\n")
    assert "The sample was small" in text
    assert "Relapses were common" not in text  # another source


async def test_current_search_grouped_by_source_and_no_clobber(tmp_path):
    fx = build(tmp_path / "export.db")
    (tmp_path / "mine.md").write_text("keep me")
    app = Host(ExportScreen(fx.db, None, "tag:caveat", folder=tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.scope == "search"
        assert screen.query_one("#file").value == "evidence-brief-caveat-highlights.md"
        # grouping by source
        screen.query_one("#grouping-source").value = True
        await pilot.pause()
        assert screen.grouping == "source"
        file_input = screen.query_one("#file")
        file_input.value = "mine.md"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "exists" in drawn(app)
        assert (tmp_path / "mine.md").read_text() == "keep me"
        screen.query_one("#force").value = True
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
    assert app.result == tmp_path / "mine.md"
    text = (tmp_path / "mine.md").read_text()
    assert "## Amygdala and emotional response" in text and "Relapses were common" in text


async def test_keyboard_scope_change_renames_and_format(tmp_path):
    fx = build(tmp_path / "export.db")
    app = Host(ExportScreen(fx.db, 1, None, folder=tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        # walk focus to the scope set and pick "all sources" with the keyboard
        screen.query_one("#scope").focus()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert screen.scope == "all"
        assert screen.query_one("#file").value == "evidence-brief.md"
        screen.query_one("#format").focus()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert screen.fmt == "csv" and screen.query_one("#file").value == "evidence-brief.csv"
        await pilot.press("ctrl+s", "escape")
        await pilot.pause()
    assert app.result == tmp_path / "evidence-brief.csv"
    assert (tmp_path / "evidence-brief.csv").read_text().count("\n") >= 10


async def test_an_unwritable_folder_is_one_line_and_escape_gives_none(tmp_path):
    fx = build(tmp_path / "export.db")
    app = Host(ExportScreen(fx.db, 1, None, folder=tmp_path / "missing"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen.written is None
        assert app.screen.query_one("#status").has_class("error")
        await pilot.press("escape")
        await pilot.pause()
    assert app.result is None


async def test_the_dialog_never_overwrites_by_default_and_says_what_it_will_write(tmp_path):
    """At 80x24 over an existing file: the replace box is off and says so, the dialog names
    the file it will write and that it exists, and `down enter` leaves the file alone."""
    fx = build(tmp_path / "export.db")
    existing = tmp_path / "evidence-brief-amygdala-and-emotional-response.md"
    existing.write_text("keep me")
    app = Host(ExportScreen(fx.db, 2, None, folder=tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.query_one("#force").value is False
        assert "replace: off" in drawn(app)
        plan = str(screen.query_one("#plan").content)  # wrapped on screen at 80 columns
        assert plan.startswith(existing.name) and "exists: it will not be replaced" in plan
        dialog = screen.query_one("#dialog").region
        assert dialog.x >= 0 and dialog.right <= 80 and dialog.bottom <= 24
        await pilot.press("down", "enter")
        await pilot.pause()
        assert existing.read_text() == "keep me"
        screen.query_one("#file").value = "fresh.md"
        await pilot.pause()
        assert str(screen.query_one("#plan").content) == "will write a new file: fresh.md"


async def test_the_dialog_fits_a_60_column_screen(tmp_path):
    fx = build(tmp_path / "export.db")
    app = Host(ExportScreen(fx.db, 2, None, folder=tmp_path))
    async with app.run_test(size=(60, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        dialog = screen.query_one("#dialog").region
        assert dialog.x >= 0 and dialog.right <= 60
        for widget in ("#title", "#scope", "#grouping", "#format", "#cite", "#file", "#force"):
            region = screen.query_one(widget).region
            assert region.width > 0 and region.height > 0 and region.right <= 60, widget
        # Two columns of choices, not four: no label is cut to a stub.
        text = drawn(app)
        for label in ("Markdown brief", "REFI-QDA project", "Cite (briefs)", "Vancouver", "this source: Amygdala"):
            assert label in text, label
        await pilot.press("enter")
        await pilot.pause()
    assert (tmp_path / "evidence-brief-amygdala-and-emotional-response.md").exists()


async def test_a_refi_qda_project_from_the_dialog(tmp_path):
    import zipfile

    fx = build(tmp_path / "export.db")
    app = Host(ExportScreen(fx.db, None, "tag:caveat", folder=tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        screen.query_one("#format-qdpx").value = True
        await pilot.pause()
        assert screen.fmt == "qdpx" and screen.query_one("#file").value == "evidence-brief-caveat-highlights.qdpx"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "wrote 2 selections" in drawn(app) and "not carried" in drawn(app).replace("\n", " ")
        await pilot.press("escape")
        await pilot.pause()
    with zipfile.ZipFile(app.result) as archive:
        assert archive.namelist()[0] == "project.qde"
        assert b"sample was small" in b"".join(archive.read(n) for n in archive.namelist()[1:])


async def test_the_title_field_says_what_the_scope_means_and_names_the_brief(tmp_path):
    """Issue 17: the brief's title was the raw query ("Evidence brief: tag:caveat")."""
    fx = build(tmp_path / "export.db")
    app = Host(ExportScreen(fx.db, None, "tag:caveat source:2 -tag:anecdote", folder=tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        title = screen.query_one("#title")
        assert title.value == (
            "Evidence brief: caveat highlights in Amygdala and emotional response, without anecdote"
        )
        assert "Title" in drawn(app)
        # The title follows the scope until it is edited; the file name follows the title.
        screen.query_one("#scope-all").value = True
        await pilot.pause()
        assert title.value == "Evidence brief"
        assert screen.query_one("#file").value == "evidence-brief.md"
        title.value = "Placebo: what the trials say"
        await pilot.pause()
        assert screen.query_one("#file").value == "placebo-what-the-trials-say.md"
        screen.query_one("#scope-search").value = True
        await pilot.pause()
        assert title.value == "Placebo: what the trials say"
        await pilot.press("ctrl+s")
        await pilot.pause()
    text = (tmp_path / "placebo-what-the-trials-say.md").read_text()
    assert "# Placebo: what the trials say" in text


def test_readable_titles(tmp_path):
    from postil.exports.title import readable_title

    fx = build(tmp_path / "export.db")
    assert readable_title(fx.db, "") == "Evidence brief"
    assert readable_title(fx.db, "placebo") == "Evidence brief: highlights on “placebo”"
    assert readable_title(fx.db, "tag:caveat,outcome author:ana") == (
        "Evidence brief: caveat or outcome highlights by ana"
    )
    assert readable_title(fx.db, "has:note source:99") == "Evidence brief: highlights in source 99 with a note"
    # What it cannot say in words stays the query, quoted; a malformed one too.
    assert readable_title(fx.db, "a OR b") == "Evidence brief: “a OR b”"
    assert readable_title(fx.db, "tag:(") == "Evidence brief: “tag:(”"


async def test_a_name_typed_after_a_write_is_written_on_enter(tmp_path):
    fx = build(tmp_path / "export.db")
    app = Host(ExportScreen(fx.db, 2, None, folder=tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        file_input = app.screen.query_one("#file")
        file_input.value = "first.md"
        await pilot.press("enter")
        await pilot.pause()
        assert "written just now" in drawn(app)
        file_input.value = "second.md"
        await pilot.pause()
        assert "will write a new file: second.md" in drawn(app)
        assert "first.md was written; enter writes again" in " ".join(drawn(app).split())
        await pilot.press("enter")
        await pilot.pause()
        assert "wrote 3 highlights" in drawn(app) and "second.md" in drawn(app)
        await pilot.press("enter")
        await pilot.pause()
    assert (tmp_path / "first.md").exists() and (tmp_path / "second.md").exists()
    assert app.result == tmp_path / "second.md"
