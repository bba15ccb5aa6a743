"""The core's packages import only downwards, in the order docs/architecture.md draws.

Each package may import the packages listed before it and never one after it, so the
tree reads as the data flows: load → store → validate → build → check → write → read.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
PACKAGE = ROOT / "cpsdk"

# Lowest first. ``cpsdk.hookspecs`` is the forms' contract with plugins, so it sits with forms.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("cpsdk.base",),
    ("cpsdk.codes",),
    ("cpsdk.store",),
    ("cpsdk.model",),
    ("cpsdk.workbook",),
    ("cpsdk.intake",),
    ("cpsdk.datasets",),
    ("cpsdk.forms", "cpsdk.hookspecs"),
    ("cpsdk.national",),
    ("cpsdk", "cpsdk.cli", "cpsdk._scaffold", "cpsdk.testing", "cpsdk.__main__"),
)


def _layer(module: str) -> int:
    best = -1
    best_length = -1
    for rank, names in enumerate(LAYERS):
        for name in names:
            if (module == name or module.startswith(name + ".")) and len(name) > best_length:
                best, best_length = rank, len(name)
    assert best >= 0, f"{module} is in no layer of tests/test_layers.py"
    return best


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("cpsdk"))
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "cpsdk":
            if node.module == "cpsdk":
                found.update(f"cpsdk.{alias.name}" for alias in node.names if alias.name in _SUBMODULES)
                if any(alias.name not in _SUBMODULES for alias in node.names):
                    found.add("cpsdk")
            else:
                found.add(node.module)
    return found


_SUBMODULES = {path.stem for path in PACKAGE.glob("*.py")} | {path.name for path in PACKAGE.iterdir() if path.is_dir()}
SOURCES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: str(path.relative_to(ROOT)))
def test_a_module_imports_only_its_own_layer_and_those_below(path: Path) -> None:
    here = _module_name(path)
    upward = sorted(name for name in _imports(path) if _layer(name) > _layer(here))
    assert upward == [], f"{here} imports from above its layer"


def test_every_package_says_what_it_owns_and_may_import() -> None:
    for init in PACKAGE.glob("*/__init__.py"):
        docstring = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert docstring, f"{init.relative_to(ROOT)} has no docstring"
        assert re.search(r"\bimport", docstring), f"{init.relative_to(ROOT)} does not say what it may import"


def test_the_architecture_names_every_package_and_only_packages_that_exist() -> None:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`(cpsdk/[a-z_]+/)`", text))
    existing = {f"cpsdk/{path.parent.name}/" for path in PACKAGE.glob("*/__init__.py")}
    assert named == existing
    layered = {name for names in LAYERS for name in names if name.count(".") == 1 and (PACKAGE / name[6:]).is_dir()}
    assert {f"cpsdk/{name[6:]}/" for name in layered} == existing


# Packages with a public face: above them, code imports what their __init__ exports.
PUBLIC_PACKAGES = ("cpsdk.workbook", "cpsdk.intake", "cpsdk.codes")


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: str(path.relative_to(ROOT)))
def test_code_above_a_public_package_uses_only_what_it_exports(path: Path) -> None:
    here = _module_name(path)
    private = sorted(
        name
        for name in _imports(path)
        for package in PUBLIC_PACKAGES
        if name.startswith(package + "._") and _layer(here) > _layer("cpsdk.intake")
    )
    assert private == [], f"{here} reaches into a package's private modules"
