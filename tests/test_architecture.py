"""The layering of our own packages, checked from the source: no import cycles, no back-edges.

    site  →  search  →  blog  →  machinery
          →  home    →  blog

machinery is cross-cutting and knows no content app; blog knows neither the site chrome
(home) nor search; nothing but the configuration (site) knows the configuration. And the
comments, part of blog, never reach for blog's signal handlers or admin hooks, which are
wired up from ``BlogConfig.ready()`` and would run their registrations at import time.
No production module imports the test suite (``tests``) or the benchmarks (``bench``).

Every ``.py`` file of those packages is parsed with ``ast`` (migrations, tests and bench
left out), and every import of a project module counts: at module level, inside functions
(``AppConfig.ready()``) and under ``if``s alike, relative ones resolved, and
``from x import y`` counted as importing ``x.y`` when that is a module. Nothing is
imported, so the test sees imports that a lazy import would hide at run time.
"""

import ast
import dataclasses
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("site", "machinery", "home", "blog", "search")
SKIPPED_DIRS = {"migrations", "tests", "bench", "__pycache__", "node_modules"}
NOT_FOR_PRODUCTION = {"tests", "bench"}  # top-level, beside our packages

# Which top-level packages each may not import.
FORBIDDEN = {
    "machinery": {"home", "blog", "search", "site"},
    "blog": {"home", "search", "site"},
    "home": {"search", "site"},
    "search": {"home", "site"},
}


@dataclasses.dataclass(frozen=True)
class Import:
    source: str  # importing module
    target: str  # imported project module
    path: str  # the importing file, relative to the project
    line: int

    def __str__(self):
        return f"{self.path}:{self.line} ({self.source}) imports {self.target}"


def module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_files():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if not SKIPPED_DIRS.intersection(path.relative_to(ROOT).parts):
                yield path


MODULES = {module_name(path): path for path in project_files()}


def is_project(name):
    return name.split(".")[0] in PACKAGES


def nearest_module(name):
    """``name`` if it is one of our modules, else the nearest enclosing one (``blog.models.X``: ``blog.models``)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def imported_names(tree, source, is_package):
    """``(dotted name, line)`` for every import in ``tree``, relative ones resolved against ``source``."""
    package = source if is_package else source.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(anchor + ([node.module] if node.module else []))
            else:
                base = node.module
            for alias in node.names:
                # ``from x import y``: importing the module x.y when there is one, else a name from x.
                yield (f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base), node.lineno


def imports_of(path):
    source = module_name(path)
    relative = str(path.relative_to(ROOT))
    tree = ast.parse(path.read_text(), filename=relative)
    for name, line in imported_names(tree, source, path.name == "__init__.py"):
        if is_project(name) and (target := nearest_module(name)) and target != source:
            yield Import(source, target, relative, line)


EDGES = sorted(
    {edge for path in MODULES.values() for edge in imports_of(path)}, key=lambda e: (e.path, e.line, e.target)
)


def top(module):
    return module.split(".")[0]


def back_edges(edges):
    """The edges from a package to one it may not import (FORBIDDEN), in the order given."""
    return [e for e in edges if top(e.target) in FORBIDDEN.get(top(e.source), ())]


def is_test_code(name):
    """Whether an imported name is the test suite or the benchmarks, which production never ships with."""
    return top(name) in NOT_FOR_PRODUCTION


def imports_of_test_code(path):
    """``(name, line)`` for every import of ``tests`` or ``bench`` in the file at ``path``."""
    tree = ast.parse(path.read_text(), filename=str(path.relative_to(ROOT)))
    names = imported_names(tree, module_name(path), path.name == "__init__.py")
    return [(name, line) for name, line in names if is_test_code(name)]


def find_cycles(edges):
    """Every strongly connected component of more than one module (Tarjan), each as a cycle through it."""
    graph = {}
    for edge in edges:
        graph.setdefault(edge.source, set()).add(edge.target)
    index, low, stack, on_stack, components = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for succ in sorted(graph.get(node, ())):
            if succ not in index:
                visit(succ)
                low[node] = min(low[node], low[succ])
            elif succ in on_stack:
                low[node] = min(low[node], index[succ])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(component)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [cycle_through(component, graph) for component in components]


def cycle_through(component, graph):
    """One concrete cycle inside a strongly connected component, as a list of modules."""
    start = min(component)
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for succ in sorted(graph.get(node, ()) & component):
            if succ == start:
                return paths[node] + [start]
            if succ not in paths:
                paths[succ] = paths[node] + [succ]
                queue.append(succ)
    return sorted(component)


def describe(cycle):
    by_pair = {(e.source, e.target): e for e in EDGES}
    hops = [str(by_pair[a, b]) for a, b in zip(cycle, cycle[1:], strict=False) if (a, b) in by_pair]
    return " → ".join(cycle) + "\n      " + "\n      ".join(hops)


# Sanity: the parser sees what is there ------------------------------------------------------------


def test_the_parser_finds_our_modules_and_their_imports():
    assert {
        "blog.models",
        "blog.comments.models",
        "machinery.ratelimit",
        "home.sidebar",
        "search.views",
        "site.urls",
    } <= set(MODULES)
    assert not [m for m in MODULES if ".migrations" in m]
    pairs = {(e.source, e.target) for e in EDGES}
    assert ("blog.models", "blog.archives") in pairs  # from . import archives
    assert ("blog.models", "blog.comments.forms") in pairs  # from .comments.forms import ...
    assert ("blog.apps", "blog.signal_handlers") in pairs  # inside ready()
    assert ("blog.wagtail_hooks", "blog.comments.admin") in pairs  # from .comments import admin
    assert ("search.views", "blog.models") in pairs  # absolute
    assert ("site.settings.test", "site.settings.base") in pairs  # from .base import *


@pytest.mark.parametrize(
    ("code", "module", "is_package", "expected"),
    [
        ("from ..models import BlogPage", "blog.comments.views", False, "blog.models"),
        ("from . import spam", "blog.comments.tasks", False, "blog.comments.spam"),
        ("from .models import Comment", "blog.comments", True, "blog.comments.models"),
        ("from .comments import admin", "blog.wagtail_hooks", False, "blog.comments.admin"),
        ("from .comments.models import Comment", "blog.models", False, "blog.comments.models"),
        ("import blog.models as m", "search.views", False, "blog.models"),
        ("from machinery import ratelimit", "blog.comments.views", False, "machinery.ratelimit"),
        ("from machinery.signals import content_changed", "blog.signal_handlers", False, "machinery.signals"),
        ("def ready(self):\n    from .signal_handlers import register", "blog.apps", False, "blog.signal_handlers"),
    ],
)
def test_imports_resolve_to_our_modules(code, module, is_package, expected):
    ((name, _line),) = imported_names(ast.parse(code), module, is_package)
    assert nearest_module(name) == expected


def test_names_inside_modules_count_as_their_module():
    assert nearest_module("blog.models.BlogPage") == "blog.models"
    assert nearest_module("blog.comments") == "blog.comments"
    assert nearest_module("nowhere.at.all") is None


# The rules ----------------------------------------------------------------------------------------


def test_no_import_cycles():
    cycles = find_cycles(EDGES)
    assert not cycles, "Import cycles between our modules:\n" + "\n".join(f"  {describe(c)}" for c in cycles)


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_packages_import_only_downwards(package):
    offences = [e for e in back_edges(EDGES) if top(e.source) == package]
    assert not offences, f"{package} may not import {', '.join(sorted(FORBIDDEN[package]))}:\n" + "\n".join(
        f"  {e}" for e in offences
    )


def test_production_never_imports_the_tests_or_the_benchmarks():
    offences = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for path in MODULES.values()
        for name, line in imports_of_test_code(path)
    ]
    assert not offences, "Production code imports tests or bench:\n" + "\n".join(f"  {o}" for o in offences)


def test_only_site_imports_site():
    intruders = [e for e in EDGES if top(e.target) == "site" and top(e.source) != "site"]
    assert not intruders, "Only the configuration may import site:\n" + "\n".join(f"  {e}" for e in intruders)


def test_comments_never_reach_blogs_signal_handlers_or_admin_hooks():
    """Not directly, and not through another module either."""
    graph = {}
    for edge in EDGES:
        graph.setdefault(edge.source, []).append(edge)
    forbidden = {"blog.signal_handlers", "blog.wagtail_hooks"}
    offences = []
    for start in sorted(m for m in MODULES if m == "blog.comments" or m.startswith("blog.comments.")):
        seen, queue = {start}, [[]]
        while queue:
            chain = queue.pop(0)
            for edge in graph.get(chain[-1].target if chain else start, ()):
                if edge.target in forbidden:
                    offences.append(" → ".join([start, *(e.target for e in chain), edge.target]) + f"  ({edge})")
                elif edge.target not in seen:
                    seen.add(edge.target)
                    queue.append([*chain, edge])
    assert not offences, "blog.comments reaches blog's wiring:\n" + "\n".join(f"  {o}" for o in offences)


def test_the_checks_catch_a_cycle_and_a_back_edge():
    """The checks themselves, on a made-up graph: a cycle is named module by module, and only
    the edges against the layering are back-edges."""
    fake = [
        Import("blog.a", "blog.b", "blog/a.py", 1),
        Import("blog.b", "blog.c", "blog/b.py", 2),
        Import("blog.c", "blog.a", "blog/c.py", 3),
        Import("blog.c", "machinery.x", "blog/c.py", 4),  # downwards: allowed
    ]
    assert find_cycles(fake) == [["blog.a", "blog.b", "blog.c", "blog.a"]]
    assert find_cycles(fake[:2] + fake[3:]) == []
    assert back_edges(fake) == []
    upwards = [
        Import("machinery.x", "blog.y", "machinery/x.py", 5),
        Import("blog.x", "home.y", "blog/x.py", 6),
    ]
    assert back_edges(fake + upwards) == upwards
    assert (
        back_edges([Import("site.urls", "blog.y", "site/urls.py", 7), Import("home.x", "blog.y", "home/x.py", 8)]) == []
    )


@pytest.mark.parametrize(
    ("code", "caught"),
    [
        ("from tests.factories import BlogPageFactory", True),
        ("from tests import factories", True),
        ("import bench.run", True),
        ("def handle(self):\n    from bench import run", True),
        ("from django.test import Client", False),
        ("from .models import Comment", False),
    ],
)
def test_the_check_catches_an_import_of_tests_or_bench(code, caught):
    names = [name for name, _line in imported_names(ast.parse(code), "blog.comments.views", False)]
    assert any(is_test_code(name) for name in names) == caught, names
