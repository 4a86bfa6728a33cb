"""The search screen's second group: passages of the sources' text that have the query's words.

They come after the highlights under their own header, so a result that is someone's marked
evidence never looks like plain text of a source, and the other way round. Each row names the
source and shows the passage with its matches emphasised; its option id is `p<index>`.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets.option_list import Option

from postil.store.passages import Passage
from postil.tui.screens.render import emphasised, plain

HEADER_ID = "passages"
PREFIX = "p"


def passage_options(passages: list[Passage]) -> list[Option]:
    """The header and one option per passage (`p0`, `p1`, ...)."""
    header = Text("In the sources' text, not highlighted", style="bold italic", end="")
    header.append(f"  ({len(passages)}) enter opens the source there", style="dim")
    options = [Option(header, id=HEADER_ID, disabled=True)]
    for index, passage in enumerate(passages):
        row = Text("  ", end="")
        row.append_text(plain(passage.source_title, 30, style="italic"))
        row.append("  ")
        row.append_text(emphasised(*passage.excerpt(), 110))
        options.append(Option(row, id=f"{PREFIX}{index}"))
    return options


def passage_index(option_id: str | None) -> int | None:
    """The index in the passage list of a passage row's id, else None."""
    if option_id and option_id.startswith(PREFIX) and option_id[1:].isdigit():
        return int(option_id[1:])
    return None


def passages_summary(count: int) -> str:
    return f" · {count} passage{'s' * (count != 1)} in the sources' text" if count else ""
