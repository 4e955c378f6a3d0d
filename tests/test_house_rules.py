"""House rules that keep the code plain: no private names of Django, Wagtail or other
libraries, and no app importing another app's private names. Each rule reads the source;
an exception must be listed here with its reason."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ["portal", "cms", "courses", "volunteering", "employment", "helpnet", "casework"]

# Underscored names that are documented public API.
PUBLIC_UNDERSCORED = {
    "_meta",  # Django's Model._meta API
    "_state",  # Django's documented model-instance state (adding, db)
    "_default_manager",  # Django documents it for code that works with any model
    "_base_manager",
    "_replace", "_asdict", "_fields", "_make",  # namedtuple's public methods
}


def _sources():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _unit(module: str) -> str:
    """The app a module belongs to: `portal.people` for portal's own apps."""
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "portal" and len(parts) > 1 else parts[0]


def _own_names(trees) -> set[str]:
    """Underscored names the project defines itself (functions, classes, attributes)."""
    names = set()
    for _path, tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
            elif isinstance(node, ast.arg):
                names.add(node.arg)
    return {name for name in names if _private(name)}


def test_no_private_names_of_libraries():
    trees = list(_sources())
    own = _own_names(trees)
    found = []
    for path, tree in trees:
        where = path.relative_to(ROOT)
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and _private(node.attr):
                if node.attr not in own and node.attr not in PUBLIC_UNDERSCORED:
                    found.append(f"{where}:{node.lineno} .{node.attr}")
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                if node.module.split(".")[0] not in APPS:
                    found += [f"{where}:{node.lineno} from {node.module} import {a.name}"
                              for a in node.names if _private(a.name)]
    assert found == []


def test_no_app_imports_another_apps_private_names():
    found = []
    for path, tree in _sources():
        where = path.relative_to(ROOT)
        here = _unit(".".join(where.with_suffix("").parts))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                if node.module.split(".")[0] in APPS and _unit(node.module) != here:
                    found += [f"{where}:{node.lineno} from {node.module} import {a.name}"
                              for a in node.names if _private(a.name)]
    assert found == []


def test_the_retired_speed_machinery_stays_retired():
    """No module imports per-process kept statements, a per-session page cache or
    forks of Django's template internals under their old names."""
    retired = ("portal.ops.prepared", "portal.privatecache", "portal.sessions",
               "portal.templating", "portal.ops.ormspeed", "portal.dbtools")
    found = []
    for path, tree in _sources():
        for node in ast.walk(tree):
            names = ([node.module or ""] if isinstance(node, ast.ImportFrom)
                     else [a.name for a in node.names] if isinstance(node, ast.Import) else [])
            found += [f"{path.relative_to(ROOT)}:{node.lineno} {name}" for name in names
                      if name.startswith(retired)]
    assert found == []
