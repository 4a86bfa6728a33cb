"""Helpers every command shares: JSON and table output, resolving references, confirmation.

Two output rules hold for every command:
- text meant for a terminal (titles, quotes, notes, tags) goes through
  `sources.sanitise.for_display_line`, so no escape sequence from a source reaches it;
- JSON keeps the exact text, with every character a terminal could act on escaped as
  `\\uXXXX` (json.dumps escapes only C0 controls when it keeps non-ASCII characters).
"""

from __future__ import annotations

import dataclasses
import io
import re
import sys
from collections.abc import Iterable, Sequence
from typing import Any

import click

from postil.exports.json_text import indented
from postil.sources.sanitise import for_display_line
from postil.store.highlights import resolve_highlight_id
from postil.store.sources import find_source
from postil.tui.errors import one_line

# Characters json.dumps(ensure_ascii=False) would leave raw but a terminal may act on or
# reorder: DEL, C1 controls, bidi controls, zero-width characters, line/paragraph separators.
_JSON_UNSAFE = re.compile(
    "[\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]"
)


class CommandError(click.ClickException):
    """A failure a command reports as one line, "postil: <problem>", on stderr (exit 1)."""

    def format_message(self) -> str:
        return one_line(self.message, known=True)

    def show(self, file=None) -> None:
        click.echo(f"postil: {self.format_message()}", err=True)


class QueryCommand(click.Command):
    """A command whose words form a query that may start with `-` (`-tag:anecdote placebo`).

    Click would read `-tag:...` as the options `-t -a -g`. Here a word is an option only when it
    is one of the command's option names (`--limit`, `--limit=3`, `-n 3`, `-n3`); every other
    word, wherever it stands, is part of the query.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        takes_value = {}
        for param in self.get_params(ctx):
            if isinstance(param, click.Option):
                for name in (*param.opts, *param.secondary_opts):
                    takes_value[name] = not (param.is_flag or param.count)
        options: list[str] = []
        words: list[str] = []
        rest = iter(args)
        for arg in rest:
            name = arg.split("=", 1)[0] if arg.startswith("--") else arg
            if arg == "--":
                words.extend(rest)
            elif name in takes_value:
                options.append(arg)
                if takes_value[name] and "=" not in arg:
                    options.extend(value for value in [next(rest, None)] if value is not None)
            elif takes_value.get(arg[:2]) and arg[2:].isdigit():
                options.append(arg)
            else:
                words.append(arg)
        return super().parse_args(ctx, [*options, "--", *words])


def plain(value: Any) -> Any:
    """Dataclasses (nested, in lists and dicts) as plain JSON-ready values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def dumps(value: Any) -> str:
    """JSON text for `value`: readable Unicode, but nothing a terminal would interpret."""
    text = indented(value)  # json.dumps(plain(value), ensure_ascii=False, indent=2), faster
    # Outside strings JSON is pure ASCII, so these can only sit inside strings: escaping them
    # there keeps the document valid and the decoded text exact.
    return _JSON_UNSAFE.sub(_escaped, text)


def _escaped(found: re.Match[str]) -> str:
    return f"\\u{ord(found.group()):04x}"


def echo_json(value: Any) -> None:
    click.echo(dumps(value))


def echo_json_list(batches: Iterable[Iterable[Any]]) -> None:
    """Print a JSON array exactly as `echo_json(list)` would, one element at a time: a
    listing of 100,000 highlights is written as it is read, never held whole."""
    write = sys.stdout.write
    first = True
    for batch in batches:
        for value in batch:
            # json.dumps(list, indent=2) is each element's own indent=2 text a level deeper.
            text = "  " + _JSON_UNSAFE.sub(_escaped, indented(value, 1))
            write(("[\n" if first else ",\n") + text)
            first = False
    write("[]\n" if first else "\n]\n")
    sys.stdout.flush()


def progress(total: int, label: str):
    """A progress bar on stderr when it is a terminal, else a bar that draws nothing."""
    return click.progressbar(length=total, label=label, file=sys.stderr if sys.stderr.isatty() else _Nowhere())


class _Nowhere(io.StringIO):
    """A stream that keeps nothing (click draws no bar on a stream that is not a tty)."""

    def write(self, text: str) -> int:
        return len(text)


def line(text: str | None, width: int | None = None) -> str:
    """One terminal-safe line from untrusted text, shortened to `width` characters."""
    shown = for_display_line(text or "")
    if width is not None and len(shown) > width:
        shown = shown[: max(0, width - 1)] + "…"
    return shown


def excerpt(text: str, width: int = 60) -> str:
    """The start of a quote or note, whitespace folded, safe for one line."""
    return line(" ".join((text or "").split()), width)


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]], *, right: Sequence[int] = ()) -> str:
    """Rows as aligned columns (two spaces apart); cells are made terminal-safe.

    Args:
        right: indexes of columns to right-align (numbers).
    """
    cells = [[line(str(c)) for c in headers]] + [[line("" if c is None else str(c)) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    out = []
    for row in cells:
        parts = [c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths))]
        out.append("  ".join(parts).rstrip())
    return "\n".join(out)


def short_id(highlight_id: str) -> str:
    """The first 8 characters of a UUID: unique enough to type, accepted as a prefix."""
    return highlight_id[:8]


def resolve_source(db, ref: str):
    """A SourceInfo from an id, title or file name, or a unique prefix of either."""
    return find_source(db, ref)


def resolve_highlight(db, ref: str) -> str:
    """A full highlight id from an id or unique prefix."""
    return resolve_highlight_id(db, ref)


def confirm(question: str, *, yes: bool, refusal: str) -> None:
    """Ask before something destructive; stop with `refusal` if the answer is no or absent.

    With `--yes` nothing is asked. Without a terminal to ask on (stdin closed or at its end)
    the command refuses rather than guessing.
    """
    if yes:
        return
    try:
        answer = click.confirm(question, default=False, err=True)
    except click.Abort:
        click.echo(err=True)  # end the prompt's line so the refusal stands on its own
        raise CommandError(f"{refusal} (no answer; pass --yes to skip the question)") from None
    if not answer:
        raise CommandError(f"{refusal} (you said no)")


def json_option(help_text: str = "Print JSON instead of text.") -> Any:
    return click.option("--json", "as_json", is_flag=True, help=help_text)


def report_line(report: Any) -> str:
    """A re-anchoring report as "3 anchored, 1 moved, 0 fuzzy, 1 orphaned"."""
    if report is None:
        return ""
    if hasattr(report, "summary") and callable(report.summary):
        return str(report.summary())
    counts = report.counts if hasattr(report, "counts") else plain(report)
    if isinstance(counts, dict):
        return ", ".join(f"{counts.get(k, 0)} {k}" for k in ("anchored", "moved", "fuzzy", "orphaned"))
    return str(report)
