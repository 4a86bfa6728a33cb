"""Errors as users see them: one line, safe for a terminal, never a traceback."""

from __future__ import annotations

from postil.sources.sanitise import for_display_line
from postil.store.errors import StoreError

OUR_PACKAGE = "postil."


def one_line(error: BaseException | str, *, known: bool = False) -> str:
    """An error as one line fit for a terminal (sanitised: it may quote untrusted text).

    Errors raised by postil itself carry messages written for users and are shown as they
    are; anything else is an unexpected failure, named as such, with the way to see more.
    """
    if isinstance(error, str):
        text = error
    else:
        known = known or isinstance(error, StoreError) or type(error).__module__.startswith(OUR_PACKAGE)
        text = str(error) if known else f"unexpected {type(error).__name__}: {error} (run with --debug for details)"
    return for_display_line(text)
