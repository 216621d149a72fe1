"""Imports run one way: no runtime import cycle in ``ppv2kit``, no sandbox module importing up.

The graph is read from the sources (ast), so it sees function-local imports too: an import
inside a function is a runtime edge like any other, and only ``if TYPE_CHECKING:`` blocks are
left out. The sandbox's layers are stated in ``docs/ARCHITECTURE.md``; :data:`SANDBOX_LAYERS`
is that table, bottom first.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "ppv2kit"

# Bottom first. A module belongs to the first entry that names it or a package above it; a module
# may import its own layer or any layer below, never one above.
SANDBOX_LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "core",
        (
            "errors",
            "store",
            "arns",
            "catalog",
            "paging",
            "validation",
            "throttle",
            "context",
            "spend",
            "kinds",
            "wire",
            "carriers",
            "outcomes",
        ),
    ),
    ("families", ("ops", "cloudwatch", "review", "registration_catalog", "notify_catalog")),
    (
        "rules",
        (
            "routing",
            "delivery",
            "replies",
            "logs",
            "ops.sending",
            "ops.message_feedback",
            "ops.media",
            "protect_rules",
            "ops.notify",
            "ops.rcs",
        ),
    ),
    ("admin", ("admin",)),
    ("transports", ("protocol", "rpcv2cbor", "inprocess", "server")),
    ("seeds", ("seeds",)),
    ("sandbox", ("engine", "coverage", "__init__")),
)


def _modules() -> dict[str, Path]:
    out = {}
    for path in ROOT.rglob("*.py"):
        parts = ["ppv2kit", *path.relative_to(ROOT).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _runtime_imports(module: str, path: Path) -> set[str]:
    """Modules of ``ppv2kit`` that ``module`` runs imports of (at any depth, not TYPE_CHECKING)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                found.add(sub if sub in MODULES else target)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text()))
    return {name for name in found if name in MODULES and name != module}


GRAPH = {name: _runtime_imports(name, path) for name, path in MODULES.items()}


def _cycles() -> list[list[str]]:
    """Every strongly connected component with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def strong(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(GRAPH[v]):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(GRAPH):
        if v not in index:
            strong(v)
    return out


def layer_of(module: str) -> int | None:
    """The rank of a ``ppv2kit.sandbox`` module in :data:`SANDBOX_LAYERS` (None outside)."""
    prefix = "ppv2kit.sandbox"
    if module == prefix:
        module = f"{prefix}.__init__"
    if not module.startswith(prefix + "."):
        return None
    rest = module[len(prefix) + 1 :]
    best: tuple[int, int] | None = None  # (length of the matching name, rank)
    for rank, (_, names) in enumerate(SANDBOX_LAYERS):
        for name in names:
            matches = rest == name or rest.startswith(name + ".")
            if matches and (best is None or len(name) > best[0]):
                best = (len(name), rank)
    return None if best is None else best[1]


def test_no_runtime_import_cycle() -> None:
    assert _cycles() == []


def test_every_sandbox_module_has_a_layer() -> None:
    missing = [m for m in MODULES if m.startswith("ppv2kit.sandbox") and layer_of(m) is None]
    assert missing == []


def test_sandbox_imports_never_go_up_a_layer() -> None:
    names = [name for name, _ in SANDBOX_LAYERS]
    upward = []
    for module, imports in sorted(GRAPH.items()):
        mine = layer_of(module)
        if mine is None:
            continue
        for target in sorted(imports):
            theirs = layer_of(target)
            if theirs is not None and theirs > mine:
                upward.append(f"{module} ({names[mine]}) -> {target} ({names[theirs]})")
            if theirs is None and target.startswith("ppv2kit.") and target not in _BELOW_SANDBOX:
                upward.append(f"{module} -> {target} (outside the sandbox's inward modules)")
    assert upward == []


# What the sandbox may read outside itself (ARCHITECTURE.md: layers depend inward).
_BELOW_SANDBOX = {"ppv2kit.model", "ppv2kit.constraints", "ppv2kit.sms", "ppv2kit.prices"}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from . import b\n", {"ppv2kit.x.b"}),
        ("from .b import c\n", {"ppv2kit.x.b"}),
        ("if TYPE_CHECKING:\n    from . import b\n", set()),
        ("def f():\n    from .b import c\n", {"ppv2kit.x.b"}),
        ("from .. import y\n", {"ppv2kit.y"}),
    ],
)
def test_the_walker_sees_what_python_runs(
    source: str, expected: set[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = {"ppv2kit.x.a": tmp_path / "a.py", "ppv2kit.x.b": tmp_path / "b.py"}
    fake["ppv2kit.y"] = tmp_path / "y.py"
    monkeypatch.setattr(f"{__name__}.MODULES", {**fake, "ppv2kit.x": tmp_path / "__init__.py"})
    fake["ppv2kit.x.a"].write_text(source)
    assert _runtime_imports("ppv2kit.x.a", fake["ppv2kit.x.a"]) == expected
