"""What a team sync did, for the command line, the app and tests (exports/team_sync.py)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class SyncReport:
    """What one team sync did: pushed or not, and what came in and went out."""

    reviewer: str
    remote: str
    online: bool = True
    pushed: bool = False
    committed: bool = False
    mine: int = 0
    """How many of my highlights my file holds."""
    sources_in: list[str] = field(default_factory=list)
    sources_out: list[str] = field(default_factory=list)
    files_read: list[str] = field(default_factory=list)
    """Teammates whose changed file was imported."""
    merged: int = 0
    """Annotation lines that were new or changed in those files (the only ones merged)."""
    added: int = 0
    updated: int = 0
    removed: int = 0
    links_removed: int = 0
    """Links whose author deleted them (gone from the line of the highlight they start from)."""
    done_marks: int = 0
    """Teammates' done marks set or taken back."""
    kept_linked: list[str] = field(default_factory=list)
    orphaned: int = 0
    decisions_in: int = 0
    """Teammates' reconcile decisions taken here (new, or winning over one made here)."""
    decisions_undone: int = 0
    """Decisions undone here because their reviewer undid them."""
    decisions_out: int = 0
    """How many decisions my decisions file holds."""
    problems: list[str] = field(default_factory=list)
    synced_at: str = ""
