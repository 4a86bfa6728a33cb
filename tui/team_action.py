"""Syncing with the team from inside the app (the palette's "Team: sync"), and the header's
team label. The sync itself is exports/team_sync.py, run in a worker thread on a connection of
its own (git can take seconds; sqlite3 connections stay in the thread that made them)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from textual.screen import Screen
from textual.worker import Worker, WorkerState

from postil.sources.sanitise import for_display_line
from postil.store import team as store_team
from postil.store.db import open_db
from postil.store.errors import StoreError
from postil.tui.widgets.source_header import SourceHeader
from postil.tui.wording import counted

if TYPE_CHECKING:
    from postil.exports.team_sync import SyncReport
    from postil.tui.screens.main import MainScreen


def team_label(db) -> str:
    """"team synced 14:02" (today), "team synced 2026-11-30", "team: never synced", or ""."""
    if not store_team.team_remote(db):
        return ""
    stamp = store_team.last_sync(db)
    if not stamp:
        return "team: never synced"
    try:
        when = datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone()
    except ValueError:
        return "team synced"
    today = datetime.now().astimezone().date()
    return f"team synced {when:%H:%M}" if when.date() == today else f"team synced {when:%Y-%m-%d}"


def has_team(db) -> bool:
    return store_team.team_remote(db) is not None


def start_team_sync(screen: Screen) -> None:
    """Sync in a worker; on its end, tell the user and show what came in."""
    from postil.exports.team_sync import sync  # on first use: see tui/startup.py, 'Dialogs'
    app = screen.app
    settings = app.settings

    def run() -> SyncReport:
        db = open_db(settings.db_path)
        try:
            return sync(db, settings.db_path, settings.author)
        finally:
            db.close()

    app.notify("syncing with the team…", timeout=2)
    screen.run_worker(run, name="team-sync", thread=True, exclusive=True, exit_on_error=False)


def team_sync_finished(screen: MainScreen, worker: Worker) -> bool:
    """Handle the end of a sync worker (True if `worker` was one); the screen calls this from
    its on_worker_state_changed."""
    if worker.name != "team-sync" or worker.state not in (WorkerState.SUCCESS, WorkerState.ERROR):
        return False
    from postil.exports.git_repo import TeamError  # git's helpers, only after a sync: see tui/startup.py, 'Dialogs'

    app = screen.app
    if worker.state == WorkerState.ERROR:
        error = worker.error
        message = str(error) if isinstance(error, (TeamError, StoreError)) else f"sync failed: {error}"
        app.notify(for_display_line(message), severity="error", markup=False, timeout=8)
        return True
    report: SyncReport = worker.result
    came = f"{report.added} new, {report.updated} changed, {report.removed} removed"
    if report.decisions_in or report.decisions_undone:
        came += f"; decisions {report.decisions_in} new, {report.decisions_undone} undone"
    went = "pushed" if report.pushed else ("committed; not pushed" if report.committed else "nothing to send")
    app.notify(for_display_line(f"team sync: in {came}; out {counted(report.mine, 'highlight')} ({went})"), markup=False, timeout=6)
    for problem in report.problems[:3]:
        app.notify(for_display_line(problem), severity="warning", markup=False, timeout=8)
    screen.refresh_annotations(tags_changed=True)  # what came in for the open source, new tags
    screen.query_one(SourceHeader).set_team(team_label(app.db))
    return True
