"""Errors the store raises; each carries a one-line message fit for a user."""


class StoreError(Exception):
    """Something about the database or a request to it that the user must be told."""


class NotFound(StoreError):
    """A source, highlight, tag or link that was asked for does not exist."""


class Ambiguous(StoreError):
    """A prefix or name matched more than one thing."""


class Conflict(StoreError):
    """A write was based on a version of a row that someone else has since changed."""
