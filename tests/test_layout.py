"""The package's layout is its architecture: folders are layers, and imports point down.

Every ``import`` in convscope's source (inside functions too) is read with ``ast``; the
test fails on an import cycle between modules, on an import from a lower layer to a
higher one, and on a new top-level module that no layer was chosen for.
"""

import ast
import pathlib

PACKAGE = pathlib.Path(__file__).resolve().parents[1] / "py" / "convscope"

#: The layers, lowest first: each may import the ones before it (and itself), never one
#: after it. The package's ``__init__`` is the public API and may import any of them.
LAYERS = ("limits", "ops", "grad", "nn", "functional", "text", "kinds", "page", "figure",
          "practice", "model", "methods", "notebook", "cli", "__main__")


def module_name(path: pathlib.Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in PACKAGE.rglob("*.py")}


def imports_of(name: str) -> set[str]:
    """The convscope modules that module ``name`` imports (a name imported from a package
    that is one of its modules counts as that module)."""
    path = MODULES[name]
    here = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("convscope"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here.split(".")[:len(here.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("convscope"):
                continue
            for alias in node.names:
                found.add(f"{target}.{alias.name}" if f"{target}.{alias.name}" in MODULES
                          else target)
    return found - {name}


GRAPH = {name: imports_of(name) for name in MODULES}


def layer_of(name: str) -> str:
    return name.split(".")[1]


def test_every_import_names_a_module_of_the_package():
    unknown = {(name, target) for name, targets in GRAPH.items() for target in targets
               if target not in MODULES}
    assert not unknown


def test_no_import_cycles():
    """Depth-first search; a module met again while still on the path closes a cycle."""
    cycles, done, path = [], set(), []

    def visit(name):
        if name in path:
            cycles.append(path[path.index(name):] + [name])
            return
        if name in done:
            return
        path.append(name)
        for target in sorted(GRAPH[name] & MODULES.keys()):
            visit(target)
        path.pop()
        done.add(name)

    for name in sorted(GRAPH):
        visit(name)
    assert not cycles, "\n".join(" -> ".join(cycle) for cycle in cycles)


def test_imports_point_down_the_layers():
    upward = sorted((name, target) for name, targets in GRAPH.items() if name != "convscope"
                    for target in targets if target != "convscope"
                    and LAYERS.index(layer_of(target)) > LAYERS.index(layer_of(name)))
    assert not upward, "\n".join(f"{name} imports {target}" for name, target in upward)


def test_every_top_level_module_has_a_layer():
    top = {name.split(".")[1] for name in MODULES if name != "convscope"}
    assert top == set(LAYERS), f"new: {top - set(LAYERS)}, gone: {set(LAYERS) - top}"
    # the flat package this layout replaced had 28 (25 modules beside 3 packages)
    assert len(top) == 15


def test_the_check_sees_a_cycle_and_an_upward_import(monkeypatch):
    """The checks above can fail: an upward import (ops -> page) that closes a cycle."""
    monkeypatch.setitem(GRAPH, "convscope.ops.conv",
                        GRAPH["convscope.ops.conv"] | {"convscope.page.session"})
    for check in (test_no_import_cycles, test_imports_point_down_the_layers):
        try:
            check()
        except AssertionError:
            continue
        raise AssertionError(f"{check.__name__} passed with an upward import in a cycle")


def test_the_wheel_ships_every_package():
    """pyproject.toml lists the packages by hand: a new one left out would be missing
    from the site's wheel and from a pip install."""
    import tomllib

    pyproject = tomllib.loads((PACKAGE.parents[1] / "pyproject.toml").read_text())
    packages = {name for name, path in MODULES.items() if path.name == "__init__.py"}
    assert set(pyproject["tool"]["setuptools"]["packages"]) == packages
