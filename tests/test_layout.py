"""The repository installs as one import package, `postil`, and every module imports through it.

The folders tui/, store/, sources/ and exports/ sit at the top level, but PyPI has packages
named `store`, `sources` and `tui`: a bare `import store` would pick up whichever one pip
installed last, or a user's own store.py. These tests read the code and the build, not the
running interpreter (where the repository root on sys.path would make a bare import work).
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PARTS = ("tui", "store", "sources", "exports")


def python_files() -> list[Path]:
    found = []
    for folder in (*PARTS, "tests", "bench"):
        found.extend(sorted((ROOT / folder).rglob("*.py")))
    found.extend(sorted(ROOT.glob("*.py")))
    return found


def imported_names(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append((node.lineno, node.module))
    return names


def test_no_module_imports_a_part_by_its_bare_name():
    bare = [
        f"{path.relative_to(ROOT)}:{line}: {name}"
        for path in python_files()
        for line, name in imported_names(path)
        if name.split(".")[0] in PARTS
    ]
    assert bare == []


def test_the_bare_import_check_sees_a_bare_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("import store.db\nfrom tui import app\nfrom postil.store import db\n")
    assert [name for _, name in imported_names(sample)] == ["store.db", "tui", "postil.store"]


def test_every_package_folder_is_listed_in_pyproject():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    folders = {"postil"} | {
        "postil." + ".".join(init.parent.relative_to(ROOT).parts)
        for part in PARTS
        for init in (ROOT / part).rglob("__init__.py")
    }
    assert listed == folders


@pytest.mark.slow
def test_the_wheel_holds_postil_alone(tmp_path):
    # Built from a copy: setuptools writes build/ and *.egg-info/ beside the sources.
    copy = tmp_path / "src"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "*.egg-info", "__pycache__", ".hypothesis", ".pytest_cache"))
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
         "-w", str(tmp_path), str(copy)],
        capture_output=True, text=True, timeout=300,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = tmp_path.glob("postil-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        top_level = next(n for n in names if n.endswith("top_level.txt"))
        assert archive.read(top_level).decode().split() == ["postil"]
    roots = {name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")}
    assert roots == {"postil"}
    assert "postil/__main__.py" in names
    assert "postil/tui/app.tcss" in names
    assert "postil/sources/guide/welcome.md" in names


def test_python_dash_m_postil_runs_the_command_line():
    done = subprocess.run([sys.executable, "-m", "postil", "--help"], capture_output=True,
                          text=True, timeout=60, cwd=Path.home())
    assert done.returncode == 0, done.stderr
    assert "Usage: postil" in done.stdout


def test_no_module_imports_itself_back():
    """No import cycles: each module can be read (and loaded) after the ones it imports."""
    grimp = pytest.importorskip("grimp")
    graph = grimp.build_graph("postil", exclude_type_checking_imports=True)
    cycles = []
    for module in sorted(graph.modules):
        for imported in graph.find_modules_directly_imported_by(module):
            if imported != module and graph.chain_exists(importer=imported, imported=module):
                cycles.append(f"{module} <-> {imported}")
    assert cycles == []


def test_only_the_store_runs_sql():
    """SQL lives in store/: no module elsewhere calls a connection's execute methods."""
    found = []
    for path in sorted(ROOT.glob("*/**/*.py")):
        relative = path.relative_to(ROOT)
        if relative.parts[0] not in ("tui", "exports", "sources"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("execute", "executemany", "executescript")):
                found.append(f"{relative}:{node.lineno}")
    assert found == []


MAX_LINES = 400
"""A module a newcomer can read in one sitting (issue 14); split along lines of meaning."""


def test_no_python_file_is_over_400_lines():
    long = {str(path.relative_to(ROOT)): n for path in python_files()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, f"over {MAX_LINES} lines: {long}"


def test_architecture_names_every_module():
    """ARCHITECTURE.md's module map stays true: each module of the four layers is named in
    backticks, or a group covers it (`pdf*`, `team_*`, `commands/*`, `refi/*`)."""
    names = set(re.findall(r"`([^`\s]+)`", (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")))
    words = {part.removesuffix(".py") for name in names for part in re.split(r"[ +/]", name) if part}
    prefixes = tuple(name.rstrip("*").rstrip("_") for name in words if name.endswith("*") and name != "*")
    folders = {name[:-2] for name in names if name.endswith("/*")}
    missing = []
    for part in PARTS:
        for path in sorted((ROOT / part).rglob("*.py")):
            if path.stem == "__init__" or path.parent.name in folders:
                continue
            stem = path.stem
            if stem in words or f"{part}/{stem}.py" in names or (prefixes and stem.startswith(prefixes)):
                continue
            missing.append(str(path.relative_to(ROOT)))
    assert not missing, f"not in ARCHITECTURE.md: {missing}"
