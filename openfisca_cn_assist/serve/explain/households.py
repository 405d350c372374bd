"""The entry point: one account per household of a situation."""

from __future__ import annotations

from openfisca_core.periods import period as as_period

from openfisca_cn_assist.engine.horizons import carried_by_output
from openfisca_cn_assist.engine.situations import MONTH
from openfisca_cn_assist.serve.explain.account import _Account
from openfisca_cn_assist.serve.explain.model import (
    _MISSING,
    LANGS,
    MAX_SEPARATE,
    HouseholdExplanation,
)
from openfisca_cn_assist.serve.explain.run import _Run, _stated


def household_situation(situation: dict, household_id: str) -> dict:
    """The part of ``situation`` about one household: the household and its members."""
    household = situation["households"][household_id]
    members = [str(m) for m in household.get("members", [])]
    return {
        "persons": {pid: situation["persons"][pid] for pid in members},
        "households": {household_id: household},
    }


def explain(system, situation: dict, period: str, lang: str = "zh") -> list[HouseholdExplanation]:
    """One account per household of ``situation`` (OpenFisca Web API format) for the month ``period``.

    Raises ``ValueError`` for a period that is not a month or an unknown language, and OpenFisca's
    ``SituationParsingError`` for a situation it cannot read. Outputs that cannot be computed are
    explained, not raised.
    """
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, got {lang!r}")
    if not isinstance(period, str) or not MONTH.match(period):
        raise ValueError(f"period must be a month, YYYY-MM, got {period!r}")
    month = as_period(period)
    run = _Run(system, situation, month)
    ids = [str(i) for i in run.simulation.household.ids]
    accounts = []
    for row, household_id in enumerate(ids):
        if _signature(run.errors, run.yearly) and 1 < len(ids) <= MAX_SEPARATE:
            # A vectorised output fails for every household when one lacks a value: see whether
            # this household alone fails in the same way; if not, explain it from its own computation.
            alone = _Run(system, household_situation(situation, household_id), month)
            if _signature(alone.errors, alone.yearly) != _signature(run.errors, run.yearly):
                accounts.append(_Account(alone, 0, lang, computed_alone=True).build())
                continue
        accounts.append(_Account(run, row, lang).build())
    for account in accounts:
        account.carried_forward = _carried_for(run.simulation, account.jurisdiction, month)
    return accounts


def _carried_for(simulation, jurisdiction: str, month) -> dict:
    """The outputs of this household's month that rest on values past their horizon (carry-forward runs)."""
    report = carried_by_output(simulation, _stated(simulation.tax_benefit_system), month)
    mine = {name: [v for v in values if v["jurisdiction"] == jurisdiction] for name, values in report.items()}
    return {name: values for name, values in mine.items() if values}


def _signature(errors: dict[str, Exception], yearly) -> set:
    """What failed and why, without the row numbers that differ between a situation and its parts (a yearly
    output's unknown month is decided household by household: see _Account.explain_one_off)."""
    return {
        (name, type(error).__name__, tuple(sorted(set(_MISSING.findall(str(error))))))
        for name, error in errors.items()
        if name not in yearly
    }
