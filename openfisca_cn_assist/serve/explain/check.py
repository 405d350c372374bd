"""The one check of the explanation templates: every placeholder names something the trace recorded.

A template is checked against the traced computations of its variable (tests/python/test_explanation_templates.py
runs every example situation): each placeholder, in every result's template and not only the result an example
happens to have, must name the variable's own value, a variable its formula read or a parameter it read, on
at least one example (a parameter read only for some rows, such as the employment-cost rate of the employed,
resolves where such a row is).
"""

from __future__ import annotations

from openfisca_core.periods import period as as_period

from openfisca_cn_assist.engine.variable import explanation_of
from openfisca_cn_assist.serve.explain.account import _Account
from openfisca_cn_assist.serve.explain.run import _Run
from openfisca_cn_assist.serve.explain.templates import resolution


def explained_variables(system) -> list[str]:
    """The variables of ``system`` that declare an explanation."""
    return sorted(name for name, variable in system.variables.items() if explanation_of(variable) is not None)


def check_templates(system, situations) -> tuple[dict[str, dict[str, str]], set[str]]:
    """({variable: {placeholder: why it does not resolve}}, the variables checked) over every household and
    member of ``situations`` (pairs of a situation and a month): a placeholder is reported when it resolves
    on none of them; a variable is checked where the trace holds a computation of it (not an input)."""
    found: dict[str, dict[str, str | None]] = {}
    names = explained_variables(system)
    for situation, month in situations:
        run = _Run(system, situation, as_period(month))
        for household in range(run.simulation.household.count):
            account = _Account(run, household, "zh")
            rows = {"household": [household], "person": account.person_rows}
            for name in names:
                for row in rows[system.variables[name].entity.key]:
                    resolved = resolution(account, name, row)
                    if resolved is None:
                        continue
                    known = found.setdefault(name, {})
                    for key, problem in resolved.items():
                        known[key] = None if problem is None or known.get(key, "") is None else problem
    problems = {name: {k: p for k, p in keys.items() if p is not None} for name, keys in found.items()}
    return {name: keys for name, keys in problems.items() if keys}, set(found)
