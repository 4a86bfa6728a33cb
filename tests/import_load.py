"""A big import beside a steady writer: the fixture of the lock test and bench/bench_import_lock.py.

`big_import(folder, n)` makes a database with one source of `n` numbered findings and a W3C
file of `n` annotations on them. `Writer` is another process that creates a highlight every
100 ms, as a reviewer marking in the app would, and reports how long each write waited.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path


def finding(n: int) -> str:
    return f"Finding {n:05d} was noted here."


def big_import(folder: Path, n: int) -> tuple[Path, Path]:
    """(database, annotation file): one source of n findings, one annotation on each."""
    source = folder / "findings.txt"
    lines = ["Findings", ""] + [finding(i) for i in range(n)] + ["", "Marked by the writer", ""]
    lines += [f"Writer line {i:04d} is here." for i in range(2000)]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = folder / "p.db"
    run_postil(db, "add", str(source))
    sha256 = hashlib.sha256(source.read_bytes()).hexdigest()
    conn = sqlite3.connect(db)
    stored = conn.execute("SELECT text FROM sources WHERE id = 1").fetchone()[0]
    conn.close()
    items = []
    for i in range(n):
        quote = finding(i)
        start = stored.find(quote)
        items.append({
            "id": f"urn:uuid:00000000-0000-4000-8000-{i:012d}",
            "type": "Annotation",
            "created": "2026-11-01T10:00:00.000Z",
            "body": [{"type": "TextualBody", "purpose": "tagging", "value": f"t{i % 7}"}],
            "target": {
                "source": source.as_uri(),
                "postil:sha256": sha256,
                "postil:origin": str(source.resolve()),
                "selector": [
                    {"type": "TextQuoteSelector", "exact": quote},
                    {"type": "TextPositionSelector", "start": start, "end": start + len(quote)},
                ],
            },
        })
    annotations = folder / "annotations.json"
    annotations.write_text(json.dumps({"type": "AnnotationPage", "items": items}), encoding="utf-8")
    return db, annotations


def run_postil(db: Path, *args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "postil", "--db", str(db), "--author", "tester", *args],
        capture_output=True, text=True, check=kwargs.pop("check", True), **kwargs,
    )


_WRITER = r"""
import json, os, sys, time
from postil.store.db import open_db
from postil.store.highlights import create_highlight
from postil.store.errors import StoreError
db = open_db(sys.argv[1])
text = db.execute("SELECT text FROM sources WHERE id = 1").fetchone()[0]
anchor = text.index("Writer line 0000")
waits, ids, errors = [], [], []
i = 0
while not os.path.exists(sys.argv[2]) and i < int(sys.argv[3]):
    start = text.index(f"Writer line {i:04d}", anchor)
    began = time.perf_counter()
    try:
        ids.append(create_highlight(db, 1, start, start + 16, note=f"write {i}").id)
    except StoreError as error:
        errors.append(str(error))
    waits.append(time.perf_counter() - began)
    i += 1
    time.sleep(0.1)
print(json.dumps({"waits": waits, "ids": ids, "errors": errors}))
"""


@dataclass
class Written:
    waits: list[float]
    ids: list[str]
    errors: list[str]


class Writer:
    """Another process writing a highlight every 100 ms until `stop()`."""

    def __init__(self, db: Path, folder: Path, limit: int = 2000) -> None:
        self.stop_file = folder / "writer.stop"
        self.process = subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(db), str(self.stop_file), str(limit)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )

    def wait_until_writing(self, db: Path, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            out = run_postil(db, "highlights", "--json").stdout
            if "write 0" in out:
                return
            time.sleep(0.05)
        raise AssertionError("the writer never wrote")

    def stop(self) -> Written:
        self.stop_file.write_text("")
        out, err = self.process.communicate(timeout=60)
        assert self.process.returncode == 0, err
        data = json.loads(out)
        return Written(data["waits"], data["ids"], data["errors"])
