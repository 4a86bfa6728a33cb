"""`postil import` of hostile W3C annotation files: what is valid goes in, each skip is named.

One bad annotation used to reject the whole file with a message naming none (a RecursionError,
an IntegrityError, an OverflowError, or a tag refused for holding `:`), and a file holding
only `null` said "0 annotations read" and exited 0.
"""

from __future__ import annotations

import json

import pytest
from cli_support import ARTICLE, Postil

from postil.exports import json_depth

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
    return [line for line in run.stderr.splitlines() if line.startswith(("skipped", "postil: skipped"))]


def test_one_annotation_nested_100000_deep_is_skipped_and_the_rest_imported(postil):
    target = target_of(postil)
    good = [annotation(target, 1, QUOTES[0]), annotation(target, 3, QUOTES[2])]
    deep = "[" * 100_000 + "]" * 100_000
    bad = json.dumps(annotation(target, 2, QUOTES[1], body={"type": "TextualBody", "value": "PLACEHOLDER"}))
    bad = bad.replace('"PLACEHOLDER"', deep)
    raw = '{"type": "AnnotationPage", "items": [' + json.dumps(good[0]) + ", " + bad + ", " + json.dumps(good[1]) + "]}"
    run = run_import(postil, None, raw)
    assert run.exit_code == 0, run.stderr
    assert quotes_stored(postil) >= {QUOTES[0], QUOTES[2]}
    assert QUOTES[1] not in quotes_stored(postil)
    [line] = skipped_lines(run)
    assert "https://hypothes.is/a/ann2" in line and "nested deeper than" in line
    assert run.stdout.startswith("2 annotations read: 2 added")


def test_duplicate_ids_in_one_file_keep_the_first_and_name_the_others(postil):
    target = target_of(postil)
    items = [
        annotation(target, 1, QUOTES[0]),
        annotation(target, 2, QUOTES[1]),
        annotation(target, 1, QUOTES[2]),  # the same id again
    ]
    run = run_import(postil, items)
    assert run.exit_code == 0, run.stderr
    assert quotes_stored(postil) >= {QUOTES[0], QUOTES[1]}
    assert QUOTES[2] not in quotes_stored(postil)
    [line] = skipped_lines(run)
    assert "https://hypothes.is/a/ann1" in line and "appears earlier in the file" in line


@pytest.mark.parametrize("field, value", [("postil:version", 10**30), ("postil:version", -(10**30))])
def test_an_out_of_range_number_skips_only_its_annotation(postil, field, value):
    target = target_of(postil)
    items = [annotation(target, 1, QUOTES[0]), annotation(target, 2, QUOTES[1], **{field: value})]
    run = run_import(postil, items)
    assert run.exit_code == 0, run.stderr
    assert QUOTES[0] in quotes_stored(postil)
    if value > 0:
        assert QUOTES[1] not in quotes_stored(postil)
        [line] = skipped_lines(run)
        assert "https://hypothes.is/a/ann2" in line and "version" in line and "out of range" in line


def test_huge_positions_anchor_by_the_quote(postil):
    target = target_of(postil)
    item = annotation(target, 1, QUOTES[0])
    item["target"]["selector"].append({"type": "TextPositionSelector", "start": 10**30, "end": 10**30 + 5})
    run = run_import(postil, [item])
    assert run.exit_code == 0, run.stderr
    assert QUOTES[0] in quotes_stored(postil)


TAGS = ["a:b", "x,y", "(p)", 'say "hi"', "-neg", "tag:caveat", "OR"]


def test_any_tag_a_person_could_type_is_imported_and_searchable(postil):
    target = target_of(postil)
    body = [{"type": "TextualBody", "purpose": "tagging", "value": tag} for tag in TAGS]
    run = run_import(postil, [annotation(target, 1, QUOTES[0], body=body)])
    assert run.exit_code == 0, run.stderr
    assert skipped_lines(run) == []
    [h] = [h for h in postil.ok("highlights", "--json").json() if h["quote"] == QUOTES[0]]
    assert sorted(h["tags"]) == sorted(TAGS)
    for tag in TAGS:
        quoted = '"' + tag.replace('"', '""') + '"'
        hits = postil.ok("search", f"tag:{quoted}", "--json").json()
        assert [hit["quote"] for hit in hits] == [QUOTES[0]], tag


def test_a_person_can_type_such_a_tag_too(postil):
    postil.ok("mark", "1", "small", "--tag", "bad:tag", "--tag", "-minus")
    [h] = [h for h in postil.ok("highlights", "--json").json() if h["quote"] == "small"]
    assert sorted(h["tags"]) == ["-minus", "bad:tag"]


def test_a_tag_too_long_skips_its_annotation_only(postil):
    target = target_of(postil)
    body = [{"type": "TextualBody", "purpose": "tagging", "value": "t" * 200}]
    items = [annotation(target, 1, QUOTES[0]), annotation(target, 2, QUOTES[1], body=body)]
    run = run_import(postil, items)
    assert run.exit_code == 0, run.stderr
    assert QUOTES[0] in quotes_stored(postil) and QUOTES[1] not in quotes_stored(postil)
    [line] = skipped_lines(run)
    assert "https://hypothes.is/a/ann2" in line and "longer than 60" in line


@pytest.mark.parametrize("raw", ["null", "42", '"text"', "true", "3.5"])
def test_a_file_holding_no_annotations_at_all_is_an_error(postil, raw):
    run = run_import(postil, None, raw)
    assert run.exit_code == 1
    [line] = run.stderr.strip().splitlines()
    assert line.startswith("postil: ") and "in.json" in line and "no annotations" in line
    assert run.stdout == ""


def test_brackets_and_quotes_inside_strings_do_not_count_as_nesting():
    text = '[{"v": "[[[{{ \\" ]]", "deep": ' + "[" * 5000 + '"x ]]] \\\\"' + "]" * 5000 + "}, 7]"
    value, cut = json_depth.loads(text)
    assert cut == 1
    assert value[0]["v"] == '[[[{{ " ]]' and value[1] == 7
    assert json_depth.holds_too_deep(value[0]) and not json_depth.holds_too_deep(value[1])
    shallow = '{"a": [[["]" ]]], "b": "\\\\"}'
    assert json_depth.loads(shallow) == (json.loads(shallow), 0)


@pytest.mark.parametrize("items", [
    [{"type": "Annotation", "id": "x"}, {"type": "Note"}],
    "deep",
])
def test_a_file_whose_every_annotation_is_skipped_is_an_error_naming_why(postil, items):
    # Each skip was printed, then "0 annotations read" and exit 0: a script saw success.
    before = quotes_stored(postil)
    if items == "deep":
        raw = '{"type": "AnnotationCollection", "first": {"items": ' + "[" * 100000 + "]" * 100000 + "}}"
        run = run_import(postil, None, raw)
    else:
        run = run_import(postil, {"type": "AnnotationCollection", "first": {"type": "AnnotationPage", "items": items}})
    assert run.exit_code == 1, run.stdout
    last = run.stderr.strip().splitlines()[-1]
    assert last.startswith("postil: ") and "in.json" in last and "no annotation in it could be read" in last
    assert skipped_lines(run), run.stderr
    assert quotes_stored(postil) == before


def test_one_annotation_read_is_said_in_the_singular(postil):
    target = target_of(postil)
    run = run_import(postil, {"type": "AnnotationPage", "items": [annotation(target, 1, QUOTES[0])]})
    assert run.stdout.startswith("1 annotation read: 1 added"), run.stdout
