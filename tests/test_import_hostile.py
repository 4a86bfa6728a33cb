"""`postil import` of hostile W3C annotation files: what is valid goes in, each skip is named.

One bad annotation used to reject the whole file with a message naming none (a RecursionError,
an IntegrityError, an OverflowError, or a tag refused for holding `:`), and a file holding
only `null` said "0 annotations read" and exited 0.
"""

from __future__ import annotations

import json

import pytest
from cli_support import ARTICLE, Postil

QUOTES = ["Patients who responded at six weeks", "Some relapses followed stressful events", "The sample was small"]


def annotation(target: dict, n: int, quote: str, **extra) -> dict:
    item = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": f"https://hypothes.is/a/ann{n}",
        "type": "Annotation",
        "created": "2026-11-01T10:00:00Z",
        "target": {**target, "selector": [{"type": "TextQuoteSelector", "exact": quote}]},
    }
    item.update(extra)
    return item


@pytest.fixture
def postil(tmp_path):
    postil = Postil(tmp_path)
    postil.ok("add", postil.write("article.txt", ARTICLE))
    return postil


def target_of(postil: Postil) -> dict:
    """The article's target as postil writes it (source IRI, sha256 and origin)."""
    postil.ok("mark", "1", "Limits")
    exported = postil.ok("export", "--format", "w3c", "-o", "-").json()
    [item] = exported["first"]["items"]
    return {k: v for k, v in item["target"].items() if k != "selector"}


def run_import(postil: Postil, document, raw: str | None = None):
    path = postil.tmp_path / "in.json"
    path.write_text(raw if raw is not None else json.dumps(document), encoding="utf-8")
    run = postil("import", path)
    assert "Traceback" not in run.stderr and "unexpected" not in run.stderr, run.stderr
    return run


def quotes_stored(postil: Postil) -> set[str]:
    return {h["quote"] for h in postil.ok("highlights", "--json").json()}


def skipped_lines(run) -> list[str]:
    return [line for line in run.stderr.splitlines() if line.startswith("skipped")]


@pytest.mark.parametrize("raw", ["null", "42", '"text"', "true", "3.5"])
def test_a_file_holding_no_annotations_at_all_is_an_error(postil, raw):
    run = run_import(postil, None, raw)
    assert run.exit_code == 1
    [line] = run.stderr.strip().splitlines()
    assert line.startswith("postil: ") and "in.json" in line and "no annotations" in line
    assert run.stdout == ""
