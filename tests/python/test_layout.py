"""The package is split by concern, and lower layers never import higher ones."""

import ast
import importlib
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

import openfisca_cn_assist
from openfisca_cn_assist._moved import MOVED, PARTS

PACKAGE = Path(openfisca_cn_assist.__file__).resolve().parent
# A layer may import its own and lower layers only.
LAYERS = ["engine", "caseload", "analysis", "serve", "cli"]
MAX_LINES = 600


def _layer_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "openfisca_cn_assist" or len(parts) < 2:
        return None
    return parts[1] if parts[1] in LAYERS else None


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name


def test_lower_layers_never_import_higher_ones():
    wrong = []
    for layer in LAYERS:
        for path in sorted((PACKAGE / layer).rglob("*.py")):
            for line, module in _imports(path):
                target = _layer_of(module)
                if target is not None and LAYERS.index(target) > LAYERS.index(layer):
                    wrong.append(f"{path.relative_to(PACKAGE)}:{line} imports {module}")
    assert not wrong, "\n".join(wrong)


def test_rules_import_only_the_engine():
    root = PACKAGE.parent / "variables"
    if not root.is_dir():
        root = PACKAGE / "variables"
    wrong = [
        f"{path.relative_to(root)}:{line} imports {module}"
        for path in sorted(root.rglob("*.py"))
        for line, module in _imports(path)
        if _layer_of(module) not in (None, "engine")
    ]
    assert not wrong, "\n".join(wrong)


def test_no_module_is_flat_in_the_package_but_the_entry_points():
    flat = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert flat == ["__init__.py", "_moved.py", "api.py"]


# A module over MAX_LINES lines needs a reason here.
LONG_MODULES_ALLOWED: dict[str, str] = {}


def test_no_module_is_over_600_lines_without_a_reason():
    long = {
        p.relative_to(PACKAGE).as_posix(): n
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not {name: n for name, n in long.items() if name not in LONG_MODULES_ALLOWED}, long
    assert not set(LONG_MODULES_ALLOWED) - set(long), "allowed but no longer long: remove from LONG_MODULES_ALLOWED"


@pytest.mark.parametrize("old", sorted(MOVED))
def test_old_module_names_still_work_with_a_deprecation_warning(old):
    sys.modules.pop(f"openfisca_cn_assist.{old}", None)  # a fresh import warns
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        module = importlib.import_module(f"openfisca_cn_assist.{old}")
        homes = [MOVED[old], *PARTS.get(old, ())]
        for home in homes:
            new = importlib.import_module(f"openfisca_cn_assist.{home}")
            public = [name for name in vars(new) if not name.startswith("_") and name not in vars(module.__class__)]
            assert all(hasattr(module, name) for name in public), home
    assert any(issubclass(w.category, DeprecationWarning) and MOVED[old] in str(w.message) for w in caught)


def test_names_of_modules_cut_in_parts_are_found_under_the_old_name():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from openfisca_cn_assist.batch import BatchError, SituationBatch, calculate_batch  # noqa: F401
        from openfisca_cn_assist.reform_tools import ReformError, apply_changes, load_reform  # noqa: F401


MAX_FUNCTION_LINES = 80
# A function over MAX_FUNCTION_LINES lines needs a reason here (the house rule: no long function without one).
LONG_FUNCTIONS_ALLOWED: dict[str, str] = {}


def _long_functions() -> dict[str, int]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    found[f"{path.relative_to(PACKAGE).as_posix()}:{node.name}"] = length
    return found


def test_no_function_is_over_80_lines_without_a_reason():
    long = _long_functions()
    unexplained = {name: n for name, n in long.items() if name not in LONG_FUNCTIONS_ALLOWED}
    assert not unexplained, (
        f"functions over {MAX_FUNCTION_LINES} lines: shorten them, or allow-list with a reason: {unexplained}"
    )
    assert all(reason.strip() for reason in LONG_FUNCTIONS_ALLOWED.values())
    stale = sorted(set(LONG_FUNCTIONS_ALLOWED) - set(long))
    assert not stale, f"allowed but no longer long (remove from LONG_FUNCTIONS_ALLOWED): {stale}"


def test_importing_the_package_loads_neither_pandas_nor_matplotlib_nor_flask():
    """``import openfisca_cn_assist`` (what ``openfisca test`` and the Web API do) stays light (issue 15)."""
    heavy = ("pandas", "matplotlib", "flask")
    code = f"import sys, openfisca_cn_assist; print(' '.join(m for m in {heavy!r} if m in sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert not loaded, f"import openfisca_cn_assist loads {loaded}"
