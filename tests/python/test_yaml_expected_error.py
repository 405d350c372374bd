"""YAML cases that expect an error (``expected_error``): met, not met, malformed."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from openfisca_cn_assist.engine.resolver import MissingParameterValueError, ValuePastHorizonError
from openfisca_cn_assist.engine.yaml_tests import ExpectedErrorSpecError, check_raised

RUN = (
    "import sys\n"
    "from openfisca_cn_assist.engine.yaml_tests import install\n"
    "install()\n"
    "from openfisca_core.tools.test_runner import run_tests\n"
    "from openfisca_cn_assist import CountryTaxBenefitSystem\n"
    "sys.exit(run_tests(CountryTaxBenefitSystem(), [sys.argv[1]], {}))\n"
)
CASE = """
- name: {name}
  period: 2021-06
  input:
    households:
      h: {{members: [a], jurisdiction: {jurisdiction}, area: {{2021-06: urban}}}}
    persons:
      a: {{age: {{2021: 40}}, has_able_supporter: {{2021: true}}}}
  expected_error: {expected}
  output:
    dibao_standard: 0
"""


def test_a_met_expectation_passes_and_unmet_ones_fail(tmp_path):
    cases = [
        ("met", "{type: ValuePastHorizonError, message: '2020-12-31'}"),
        ("wrong_type", "DivisionNotInForceError"),
        ("wrong_text", "{type: ValuePastHorizonError, message: nowhere}"),
        ("malformed", "{kind: ValuePastHorizonError}"),
    ]
    path = tmp_path / "cases.yaml"
    text = "".join(CASE.format(name=name, jurisdiction="hezhou", expected=expected) for name, expected in cases)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-c", RUN, str(path)], capture_output=True, text=True, cwd=tmp_path, timeout=120
    )
    out = run.stdout
    assert run.returncode != 0 and "3 failed, 1 passed" in out, out + run.stderr
    assert "expected DivisionNotInForceError, but ValuePastHorizonError" in out
    assert "its message lacks ['nowhere']" in out
    assert "expected_error: give `type`" in out


def test_nothing_raised_fails():
    with pytest.raises(AssertionError, match="expected MissingParameterValueError to be raised"):
        check_raised("MissingParameterValueError", None)


def test_a_subclass_matches_its_base_and_a_wrapped_error_is_found():
    error = ValuePastHorizonError("dibao.standard_urban past its horizon 2020-12-31")
    check_raised({"type": "MissingParameterValueError", "message": ["dibao.standard_urban"]}, error)
    try:
        try:
            raise MissingParameterValueError("x")
        except MissingParameterValueError as inner:
            raise ValueError("Unexpected error raised while parsing") from inner
    except ValueError as wrapped:
        check_raised("MissingParameterValueError", wrapped)


def test_malformed_expectation():
    with pytest.raises(ExpectedErrorSpecError):
        check_raised({"types": "X"}, ValueError())
