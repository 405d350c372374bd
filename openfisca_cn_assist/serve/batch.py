"""Many households, one vectorised simulation: the Web API's ``POST /calculate_batch``.

Two request formats, both answered with one result per household, in input order:

* **situations**, OpenFisca's ``/calculate`` format: one situation with many households, a list of
  situations, or ``{"situations": [...]}``. Each ``null`` asks for a value, as in ``/calculate``,
  and each result is what ``/calculate`` answers for that household sent alone, without the inputs
  it echoes: the household's members and every value asked for. The situations are read straight
  into entity arrays (:func:`openfisca_cn_assist.caseload.bulk.build_simulation`), never one
  ``SimulationBuilder`` per household.
* **rows**, the caseload tables (docs/analysts.md, "Caseload files") as JSON:
  ``{"persons": [{"person_id": …, "household_id": …, "age": …}, …], "households": [...],
  "period": "2022-08", "variables": ["dibao_benefit", …]}``, checked by :mod:`openfisca_cn_assist.caseload.readers`.

``"on_error": "report"`` (object payloads) computes every household it can and puts an error object in place
of each one it cannot (:mod:`openfisca_cn_assist.serve.batch_report`); by default one failure fails the request.

Bad input raises :class:`BatchError` with the offending field (``persons.p1.age.2022-08``,
``situations[3].households.h1.members[0]``, ``persons[2].area``); nothing is dropped or defaulted silently.
"""

from __future__ import annotations

import numpy as np

from openfisca_cn_assist.caseload.model import HOUSEHOLD_ID
from openfisca_cn_assist.caseload.simulation import describe_month_state
from openfisca_cn_assist.engine.divisions_in_force import mapping_retired_codes
from openfisca_cn_assist.engine.fingerprint import rules
from openfisca_cn_assist.engine.horizons import carrying_forward
from openfisca_cn_assist.serve.batch_common import (
    ROLE,
    BatchError,
    _show,
)
from openfisca_cn_assist.serve.batch_report import compute_reporting, on_error_option
from openfisca_cn_assist.serve.batch_rows import calculate_rows
from openfisca_cn_assist.serve.batch_situations import SituationBatch

# --- Entry point ---------------------------------------------------------------------------------------


CARRY_FORWARD_KEY = "carry_forward"
MAP_RETIRED_KEY = "map_retired_codes"


def _flag_option(payload, key: str) -> bool:
    """Take a yes/no option (``carry_forward``, ``map_retired_codes``) out of an object payload."""
    if not isinstance(payload, dict) or key not in payload:
        return False
    value = payload.pop(key)
    if not isinstance(value, bool):
        raise BatchError(f"{key} must be true or false, got {_show(value)}", key)
    return value


def system_with_options(system, payload) -> tuple:
    """(system, carry, mapping): ``system`` as the request's ``carry_forward`` and ``map_retired_codes`` ask."""
    carry = _flag_option(payload, CARRY_FORWARD_KEY)
    mapping = _flag_option(payload, MAP_RETIRED_KEY)
    if carry:
        system = carrying_forward(system)
    if mapping:
        system = mapping_retired_codes(system)
    return system, carry, mapping


def calculate_batch(system, payload, max_households: int) -> dict:
    """Answer a ``/calculate_batch`` request (see the module docstring); raises :class:`BatchError`.

    ``"carry_forward": true`` (object payloads) uses values past their horizon instead of answering 422,
    and the answer's ``carried_forward`` lists, per output, the values it used past their horizon.
    ``"map_retired_codes": true`` reads a division code retired at the date as its single successor, and
    ``mapped_codes`` lists the mappings. Every answer carries ``rules`` (package version, rules fingerprint).
    """
    system, carry, mapping = system_with_options(system, payload)
    report = on_error_option(payload) == "report"
    answer = _calculate_batch(system, payload, max_households, report)
    carried, mapped = answer.pop("_carried", {}), answer.pop("_mapped", [])
    state = answer.pop("_month_state", None)
    if state:  # the rows format: where the 渐退 state of the month comes from, never silently assumed
        answer["month_state"] = {
            **state,
            "note": describe_month_state(state, "keys of the households' rows"),
        }
    if carry:
        answer["carried_forward"] = carried
    if mapping:
        answer["mapped_codes"] = mapped
    answer["rules"] = rules(system)
    return answer


def _calculate_batch(system, payload, max_households: int, report: bool) -> dict:
    if isinstance(payload, list):
        return _situations(system, payload, True, max_households, report)
    if not isinstance(payload, dict):
        raise BatchError("the request must be a JSON object or a list of situations")
    if "situations" in payload:
        extra = [k for k in payload if k != "situations"]
        if extra:
            raise BatchError(
                f"unexpected key {extra[0]!r} beside situations, carry_forward, map_retired_codes and on_error",
                extra[0],
            )
        if not isinstance(payload["situations"], list) or not payload["situations"]:
            raise BatchError("situations must be a non-empty list of situations", "situations")
        return _situations(system, payload["situations"], True, max_households, report)
    if isinstance(payload.get("persons"), list):
        return _rows(system, payload, max_households) if report else calculate_rows(system, payload, max_households)
    return _situations(system, [payload], False, max_households, report)


def _situations(system, situations: list, listed: bool, max_households: int, report: bool) -> dict:
    full = SituationBatch(system, situations, listed, max_households)
    if not report:
        return full.calculate()
    full.inputs()  # bad input fails the request, as by default

    def compute(keep: list[int]) -> dict:
        if len(keep) == len(full.households.refs):
            return full.calculate()
        return SituationBatch(system, _subset(situations, full, keep), True, max_households).calculate()

    results, extra = compute_reporting(len(full.households.refs), compute)
    answers = []
    for h, (_, household_id) in enumerate(full.households.refs):
        answer = results.get(h)
        if answer is None:
            members = full.households.objects[h][ROLE]
            error = {**extra["errors"][h], "household_id": household_id, "field": full.path(full.households, h)}
            answer = {"households": {household_id: {ROLE: members}}, "error": error}
        answers.append(answer)
    answer = {
        "count": len(answers),
        "results": answers,
        "errors": len(extra["errors"]),
        "_carried": extra["_carried"],
        "_mapped": extra["_mapped"],
        "_month_state": extra["_month_state"],
    }
    if listed:
        answer["situations"] = full.situation_of_household
    return answer


def _subset(situations: list, full: SituationBatch, keep: list[int]) -> list[dict]:
    """The situations with only the households ``keep`` (ascending) and their members, in the same order."""
    kept = np.zeros(len(full.households.refs), dtype=bool)
    kept[keep] = True
    parts: dict[int, dict] = {}
    for p in np.flatnonzero(kept[full.household_of_person]).tolist():
        s, person_id = full.persons.refs[p]
        parts.setdefault(s, {"persons": {}, "households": {}})["persons"][person_id] = situations[s]["persons"][
            person_id
        ]
    for h in keep:
        s, household_id = full.households.refs[h]
        parts[s]["households"][household_id] = situations[s]["households"][household_id]
    return [parts[s] for s in sorted(parts)]


def _rows(system, payload: dict, max_households: int) -> dict:
    """The rows format with ``on_error: report``: households that fail are left out and reported."""
    try:
        return calculate_rows(system, payload, max_households)
    except BatchError as error:
        if not getattr(error, "computing", False):
            raise
    households = payload.get("households")
    source = households if isinstance(households, list) else payload["persons"]
    ids = list(dict.fromkeys(row[HOUSEHOLD_ID] for row in source))  # the simulation's order of households

    def compute(keep: list[int]) -> dict:
        wanted = {ids[h] for h in keep}
        part = {**payload, "persons": [row for row in payload["persons"] if row[HOUSEHOLD_ID] in wanted]}
        if isinstance(households, list):
            part["households"] = [row for row in households if row[HOUSEHOLD_ID] in wanted]
        return calculate_rows(system, part, max_households)

    results, extra = compute_reporting(len(ids), compute)
    answers = [
        results.get(h) or {HOUSEHOLD_ID: ids[h], "error": {**extra["errors"][h], "household_id": ids[h]}}
        for h in range(len(ids))
    ]
    return {
        "count": len(answers),
        "period": payload["period"],
        "results": answers,
        "errors": len(extra["errors"]),
        "_carried": extra["_carried"],
        "_mapped": extra["_mapped"],
        "_month_state": extra["_month_state"],
    }
