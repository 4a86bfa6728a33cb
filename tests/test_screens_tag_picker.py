"""The tag picker (`t`): which tags the highlight has, and whole names and descriptions."""

from screen_host import Host, drawn

from postil.store.models import Tag
from postil.tui.screens.tag_picker import TagPickerScreen

LONG = "A limitation the authors or the reviewer name: small sample, no control group, short follow-up"
TAGS = [
    Tag(1, "mechanism", "#5fafff", "How it works", "", 1),
    Tag(2, "caveat", "#ff8700", LONG, "", 3),
    Tag(3, "a-rather-long-tag-name-for-a-theme", "#d75fd7", "", ""),
]


async def test_the_picker_marks_the_tags_already_on_the_highlight_and_cuts_nothing():
    app = Host(TagPickerScreen(TAGS, "Toggle a tag on this highlight", applied={"caveat"}))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = " ".join(drawn(app).split())
        assert "on this highlight: caveat" in text
        assert "3 ✓ ■ caveat" in text and "✓ ■ mechanism" not in text
        assert LONG.split(":")[1].strip().split(",")[-1].strip() in text  # the end of the description
        assert "a-rather-long-tag-name-for-a-theme" in text
        await pilot.press(*"cav", "enter")
        await pilot.pause()
    assert app.result == "caveat"
