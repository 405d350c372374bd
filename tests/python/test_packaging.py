"""The wheel carries parameters, variables and reforms: install it in a fresh venv and run the YAML tests outside the tree."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(command, **kwargs):
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    assert result.returncode == 0, f"{command} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    work = tmp_path_factory.mktemp("packaging")
    run([sys.executable, "-m", "build", "--wheel", "--outdir", str(work / "dist"), str(ROOT)])
    wheel = next((work / "dist").glob("openfisca_cn_assist-*.whl"))
    venv = work / "venv"
    run([sys.executable, "-m", "venv", str(venv)])
    bin_dir = venv / "bin"
    run([str(bin_dir / "pip"), "install", "--quiet", str(wheel)])
    return work, bin_dir


def test_installed_package_is_the_wheel_not_the_source_tree(installed):
    work, bin_dir = installed
    result = run([str(bin_dir / "python"), "-c", "import openfisca_cn_assist as p; print(p.__file__)"], cwd=work)
    assert str(work / "venv") in result.stdout


def test_yaml_tests_pass_against_the_installed_wheel(installed):
    work, bin_dir = installed
    tests = work / "yaml_tests"
    shutil.copytree(ROOT / "tests", tests, ignore=shutil.ignore_patterns("python", "*.py", "__pycache__"))
    # Test-only reforms that some YAML cases name (reforms: yaml_test_reforms.<name>): test support, not the package.
    support = work / "yaml_test_support"
    support.mkdir()
    shutil.copy(ROOT / "tests" / "yaml_test_reforms.py", support)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"} | {"PYTHONPATH": str(support)}
    result = run(
        [str(bin_dir / "openfisca"), "test", "--country-package", "openfisca_cn_assist", str(tests)], cwd=work, env=env
    )
    assert "passed" in result.stdout


def test_cli_runs_from_the_installed_wheel(installed):
    work, bin_dir = installed
    result = run([str(bin_dir / "cn-assist"), "calculate"], cwd=work)
    assert "dibao_benefit" in result.stdout


def test_charts_draw_chinese_from_the_installed_wheel(installed):
    """The wheel carries the font: a fresh venv draws every jurisdiction name with no glyph missing."""
    work, bin_dir = installed
    script = (
        "import warnings\n"
        "from openfisca_cn_assist.analysis import charts\n"
        "from openfisca_cn_assist.engine.jurisdictions import Registry\n"
        "with warnings.catch_warnings(record=True) as caught:\n"
        "    warnings.simplefilter('always')\n"
        "    costs = {key: 10000.0 * (i + 1) for i, key in enumerate(Registry.load().keys)}\n"
        "    charts.impact_chart(costs, [1680.0, 3360.0, 500.0], '特困 / tekun', 'chart.png')\n"
        "missing = [str(w.message) for w in caught if 'missing from' in str(w.message)]\n"
        "assert not missing, missing\n"
        "assert 'site-packages' in str(charts.FONT_PATH), charts.FONT_PATH\n"
        "print(charts.FONT_PATH)\n"
    )
    result = run([str(bin_dir / "python"), "-c", script], cwd=work)
    assert "CNAssistSansSC-Regular.otf" in result.stdout
    assert (work / "chart.png").stat().st_size > 20_000


def test_wheel_carries_the_calculator_page(installed):
    """`cn-assist serve` serves openfisca_cn_assist/serve/web/ at /: the wheel must carry it."""
    work, bin_dir = installed
    script = "import pathlib, openfisca_cn_assist as p; print(sorted(f.name for f in (pathlib.Path(p.__file__).parent / 'serve' / 'web').iterdir()))"
    result = run([str(bin_dir / "python"), "-c", script], cwd=work)
    for name in ("index.html", "app.js", "style.css"):
        assert f"'{name}'" in result.stdout, result.stdout


def test_the_wheel_install_has_the_same_rules_fingerprint_as_the_source_tree(installed, system):
    """Two installs with the same rules give the same fingerprint (paths and install kind do not enter it)."""
    import json

    from openfisca_cn_assist.engine.fingerprint import fingerprint

    work, bin_dir = installed
    result = run([str(bin_dir / "cn-assist"), "version", "--json"], cwd=work)
    assert json.loads(result.stdout)["fingerprint"] == fingerprint(system)
