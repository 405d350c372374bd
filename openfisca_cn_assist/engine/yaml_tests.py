"""YAML tests that expect an error: ``expected_error`` in a case of ``openfisca test`` (and of plain pytest).

OpenFiscaCore's runner knows only cases that compute values; a rule that must *refuse* (a value no
source gives, a value past its horizon, a division code not in force) could not be tested in YAML. A case
may now say::

    - name: 贺州 care rate for 2023 is past its horizon
      period: 2023-06
      input: {...}
      expected_error:
        type: ValuePastHorizonError     # the class, or one it derives from (MissingParameterValueError)
        message: tekun.care_rate_self_care   # text the message must contain (a string or a list)
      output:
        tekun_care_allowance: 0   # the outputs to compute: each must raise (the value is not compared)

:func:`install` teaches openfisca-core's runner the key. The package registers this module as a pytest plugin
(entry point ``pytest11``), so ``openfisca test`` honours it wherever the package is installed; ``tests/conftest.py``
also calls it (an editable install made before the entry point existed). Without ``expected_error`` a case runs
exactly as before.
"""

from __future__ import annotations

import functools

EXPECTED_ERROR = "expected_error"
_KEYS = {"type", "message"}


class ExpectedErrorSpecError(ValueError):
    """``expected_error`` is malformed; the message says what to write."""


def _parse(value) -> tuple[str, tuple[str, ...]]:
    if isinstance(value, str):
        value = {"type": value}
    if not isinstance(value, dict) or "type" not in value or set(value) - _KEYS:
        raise ExpectedErrorSpecError(
            f"expected_error: give `type` (an error class such as MissingParameterValueError) and optionally "
            f"`message` (text or a list of texts the message contains); got {value!r}"
        )
    message = value.get("message") or ()
    return str(value["type"]), (message,) if isinstance(message, str) else tuple(message)


def _chain(error: BaseException):
    """The error and the errors it was raised from (the runner wraps errors raised while reading the input)."""
    while error is not None:
        yield error
        error = error.__cause__ or error.__context__


def check_raised(expected, error: BaseException | None) -> None:
    """Fail (AssertionError) unless ``error`` (or what it was raised from) is of the expected type and text."""
    name, texts = _parse(expected)
    if error is None:
        raise AssertionError(f"expected {name} to be raised, but every output was computed")
    for candidate in _chain(error):
        if name in {cls.__name__ for cls in type(candidate).__mro__}:
            missing = [t for t in texts if t not in str(candidate)]
            if missing:
                raise AssertionError(f"{name} was raised, but its message lacks {missing}: {candidate}") from error
            return
    raise AssertionError(f"expected {name}, but {type(error).__name__} was raised: {error}") from error


def install() -> None:
    """Let YAML cases carry ``expected_error`` (idempotent)."""
    from openfisca_core.tools import test_runner

    if getattr(test_runner, "_cn_assist_expected_error", False):
        return
    build_test = test_runner.build_test

    @functools.wraps(build_test)
    def build(params):
        expected = params.pop(EXPECTED_ERROR, None)
        test = build_test(params)
        test.expected_error = expected
        return test

    runtest = test_runner.YamlItem.runtest

    @functools.wraps(runtest)
    def run(self):
        expected = getattr(self.test, "expected_error", None)
        if expected is None:
            return runtest(self)
        _parse(expected)  # a malformed expectation fails as such, not as "nothing was raised"
        try:
            runtest(self)
        except Exception as error:  # noqa: BLE001 - which error it is is the test's question
            check_raised(expected, error)
        else:
            check_raised(expected, None)

    check_variable = test_runner.YamlItem.check_variable

    @functools.wraps(check_variable)
    def check(self, variable_name, expected_value, period, entity_index=None):
        if getattr(self.test, "expected_error", None) is None or isinstance(expected_value, dict):
            return check_variable(self, variable_name, expected_value, period, entity_index)
        if not self.should_ignore_variable(variable_name):  # computed for the error it raises; nothing to compare
            self.simulation.calculate(variable_name, period)
        return None

    test_runner.build_test = build
    test_runner.YamlItem.runtest = run
    test_runner.YamlItem.check_variable = check
    test_runner.TEST_KEYWORDS.add(EXPECTED_ERROR)
    test_runner._cn_assist_expected_error = True


def pytest_configure(config) -> None:
    """The pytest plugin hook (entry point ``pytest11`` in pyproject.toml): installed wherever the package is."""
    install()
