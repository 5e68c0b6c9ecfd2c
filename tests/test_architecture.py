"""The code's shape, checked: imports run one way down the pipeline, no cycles, no imports
hidden inside functions, no module too long to read in one sitting (ARCHITECTURE.md)."""

from __future__ import annotations

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parents[1] / "src" / "wgindex"

# Layers, lowest first: a module may import from its own layer's package and from lower layers.
LAYERS = [
    {"_version", "errors", "schema", "symbols", "numerals", "groups", "grammar", "records", "yamltext", "gcpause"},
    {"text"}, {"parse"}, {"corpus"}, {"cite"}, {"site"},
    {"collect", "cache"}, {"api", "live"}, {"cli", "__main__", "__init__"},
]
MAX_LINES = 400


def modules() -> dict[str, Path]:
    out = {}
    for f in sorted(PKG.rglob("*.py")):
        parts = f.relative_to(PKG).with_suffix("").parts
        out[".".join(parts)] = f
    return out


def resolve(mod: str, node: ast.ImportFrom, is_pkg: bool) -> list[str]:
    base = mod.split(".") if is_pkg else mod.split(".")[:-1]
    if node.level:
        base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
        target = base + (node.module.split(".") if node.module else [])
    elif node.module and node.module.startswith("wgindex"):
        target = node.module.split(".")[1:]
    else:
        return []
    names = modules()
    out = []
    for alias in node.names:
        full = ".".join(target + [alias.name])
        out.append(full if full in names or full + ".__init__" in names else ".".join(target))
    return [t.removesuffix(".__init__") or "__init__" for t in out]


def imports() -> dict[str, list[tuple[str, int, bool]]]:
    """module -> (imported wgindex module, line, inside a function)."""
    out: dict[str, list] = {}
    for mod, f in modules().items():
        tree = ast.parse(f.read_text(encoding="utf-8"))
        is_pkg = f.name == "__init__.py"
        name = mod.removesuffix(".__init__")
        found = []
        funcs = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
        inner = {id(x) for fn in funcs for x in ast.walk(fn)}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                for t in resolve(name if not is_pkg else name, node, is_pkg):
                    if t and t != name:
                        found.append((t, node.lineno, id(node) in inner))
        out[name] = found
    return out


def layer(mod: str) -> int:
    top = mod.split(".")[0]
    for i, names in enumerate(LAYERS):
        if top in names:
            return i
    raise AssertionError(f"{mod}: not in any layer of tests/test_architecture.py")


def test_imports_run_down_the_pipeline():
    wrong = [f"{m} (layer {layer(m)}) imports {t} (layer {layer(t)}) at line {line}"
             for m, found in imports().items() for t, line, _ in found
             if layer(t) > layer(m) and t.split(".")[0] != m.split(".")[0]]
    assert not wrong, wrong


def test_no_import_cycles():
    graph = {m: {t for t, _, _ in found} for m, found in imports().items()}
    seen, stack, cycles = set(), [], []

    def visit(m):
        if m in stack:
            cycles.append(stack[stack.index(m):] + [m])
            return
        if m in seen:
            return
        seen.add(m)
        stack.append(m)
        for t in sorted(graph.get(m, ())):
            visit(t)
        stack.pop()
    for m in sorted(graph):
        visit(m)
    assert not cycles, cycles


def test_no_wgindex_imports_inside_functions():
    hidden = [f"{m}:{line} imports {t}" for m, found in imports().items()
              for t, line, inner in found if inner]
    assert not hidden, hidden


def test_modules_are_short_enough_to_read():
    long = {m: n for m, f in modules().items()
            if (n := len(f.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, long


def test_the_readme_library_example_runs(tmp_path, monkeypatch):
    """The README's Python example, run as written on a folder called docs."""
    import re
    import shutil
    readme = (PKG.parents[1] / "README.md").read_text(encoding="utf-8")
    code = re.search(r"```python\n(import wgindex\n.*?)```", readme, re.S).group(1)
    shutil.copytree(PKG.parents[1] / "seeds", tmp_path / "docs")
    monkeypatch.chdir(tmp_path)
    scope: dict = {}
    exec(compile(code, "README.md", "exec"), scope)  # noqa: S102 (our own README)
    assert len(scope["records"]) == 5 and "index.html" in scope["files"]
    assert scope["report"].status == "built" and (tmp_path / "site" / "index.html").exists()
