"""The import graph of garment_addon and headless has no cycles, and core stays below everything else.

Read from the source (no module is imported): every ``import`` counts, those inside functions too.
``from pkg import name`` depends on ``pkg.name`` when that is a module, else on ``pkg/__init__``;
importing ``a.b.c`` runs ``a/__init__`` and ``a.b/__init__`` first, so it depends on those too
(except the packages the importer itself sits in). A submodule taking a name from its own
package's ``__init__`` is therefore a cycle.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("garment_addon", "headless")
OUTER = ("garment_addon.blender", "garment_addon.ui", "headless")


def _modules() -> dict[str, Path]:
    mods = {}
    for pkg in PACKAGES:
        for f in (ROOT / pkg).rglob("*.py"):
            parts = list(f.relative_to(ROOT).with_suffix("").parts)
            mods[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = f
    return mods


def _ancestors(name: str) -> list[str]:
    p = name.split(".")
    return [".".join(p[:i]) for i in range(1, len(p))]


def _targets(mod: str, path: Path, node, mods) -> set[str]:
    if isinstance(node, ast.Import):
        return {a.name for a in node.names if a.name in mods}
    here = mod.split(".") if path.name == "__init__.py" else mod.split(".")[:-1]
    base = ".".join(here[: len(here) - node.level + 1] + ([node.module] if node.module else [])) \
        if node.level else node.module
    if base not in mods:
        return set()
    return {f"{base}.{a.name}" if f"{base}.{a.name}" in mods else base for a in node.names}


def import_graph() -> dict[str, set[str]]:
    mods = _modules()
    graph: dict[str, set[str]] = {}
    for mod, path in mods.items():
        own = set(_ancestors(mod)) | {mod}
        deps: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import | ast.ImportFrom):
                for t in _targets(mod, path, node, mods):
                    deps |= {t, *(a for a in _ancestors(t) if a in mods)}
        graph[mod] = deps - own
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one node (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on.add(root)
        while work:
            v, it = work[-1]
            w = next(it, None)
            if w is not None:
                if w not in index:
                    index[w] = low[w] = len(index)
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(graph.get(w, ())))))
                elif w in on:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1:
                    found.append(sorted(comp))
    return found


def _package(mod: str) -> str:
    """core.<sub> inside core, else the first two names: the level packages depend on each other at."""
    p = mod.split(".")
    return ".".join(p[:3]) if mod.startswith("garment_addon.core.") else ".".join(p[:2])


def test_no_module_imports_itself_round_a_cycle():
    assert cycles(import_graph()) == []


def test_packages_form_a_layered_graph():
    graph: dict[str, set[str]] = {}
    for mod, deps in import_graph().items():
        a = _package(mod)
        graph.setdefault(a, set()).update(_package(d) for d in deps if _package(d) != a and d != "garment_addon")
    assert cycles(graph) == []


def test_core_imports_nothing_from_the_front_ends_nor_bpy():
    mods = _modules()
    for mod, deps in import_graph().items():
        if mod.startswith("garment_addon.core"):
            assert not [d for d in deps if d.startswith(OUTER)], mod
            tree = ast.parse(mods[mod].read_text(encoding="utf-8"))
            top = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
            top |= {n.module.split(".")[0] for n in ast.walk(tree)
                    if isinstance(n, ast.ImportFrom) and n.module and not n.level}
            assert "bpy" not in top, mod


def test_the_graph_sees_function_level_and_package_imports():
    graph = import_graph()
    # function-level: the drafting entry point finds the pattern model inside draft_pattern
    assert "garment_addon.core.pattern.drafting" in graph["garment_addon.core.pattern"]
    # importing core.vlm.schema (inside a function of analyze) runs core.vlm/__init__ first
    assert {"garment_addon.core.vlm.schema", "garment_addon.core.vlm"} <= graph["garment_addon.core.vision.analyze"]
    assert cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b"]]


def test_the_add_on_never_imports_the_cli():
    """garment_addon ships as a Blender extension without headless/: jobs.py is the shared layer."""
    bad = {mod: sorted(d for d in deps if d.startswith("headless"))
           for mod, deps in import_graph().items() if mod.startswith("garment_addon")}
    assert {m: d for m, d in bad.items() if d} == {}
