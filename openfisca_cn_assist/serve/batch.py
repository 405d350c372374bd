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

Bad input raises :class:`BatchError` with the offending field (``persons.p1.age.2022-08``,
``situations[3].households.h1.members[0]``, ``persons[2].area``); nothing is dropped or defaulted silently.
"""

from __future__ import annotations

from openfisca_cn_assist.engine.horizons import carrying_forward
from openfisca_cn_assist.serve.batch_common import (
    BatchError,
    _show,
)
from openfisca_cn_assist.serve.batch_rows import calculate_rows
from openfisca_cn_assist.serve.batch_situations import SituationBatch

# --- Entry point ---------------------------------------------------------------------------------------


CARRY_FORWARD_KEY = "carry_forward"


def _carry_forward_option(payload) -> bool:
    """Take the ``carry_forward`` option out of an object payload: true or false, nothing else."""
    if not isinstance(payload, dict) or CARRY_FORWARD_KEY not in payload:
        return False
    value = payload.pop(CARRY_FORWARD_KEY)
    if not isinstance(value, bool):
        raise BatchError(f"carry_forward must be true or false, got {_show(value)}", CARRY_FORWARD_KEY)
    return value


def calculate_batch(system, payload, max_households: int) -> dict:
    """Answer a ``/calculate_batch`` request (see the module docstring); raises :class:`BatchError`.

    ``"carry_forward": true`` (object payloads) uses values past their horizon instead of answering 422,
    and the answer's ``carried_forward`` lists, per output, the values it used past their horizon.
    """
    carry = _carry_forward_option(payload)
    if carry:
        system = carrying_forward(system)
    answer = _calculate_batch(system, payload, max_households)
    if carry:
        answer["carried_forward"] = answer.pop("_carried", {})
    else:
        answer.pop("_carried", None)
    return answer


def _calculate_batch(system, payload, max_households: int) -> dict:
    if isinstance(payload, list):
        return SituationBatch(system, payload, True, max_households).calculate()
    if not isinstance(payload, dict):
        raise BatchError("the request must be a JSON object or a list of situations")
    if "situations" in payload:
        extra = [k for k in payload if k != "situations"]
        if extra:
            raise BatchError(f"unexpected key {extra[0]!r} beside situations and carry_forward", extra[0])
        if not isinstance(payload["situations"], list) or not payload["situations"]:
            raise BatchError("situations must be a non-empty list of situations", "situations")
        return SituationBatch(system, payload["situations"], True, max_households).calculate()
    if isinstance(payload.get("persons"), list):
        return calculate_rows(system, payload, max_households)
    return SituationBatch(system, [payload], False, max_households).calculate()
