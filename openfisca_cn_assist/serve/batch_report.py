"""``"on_error": "report"`` in ``/calculate_batch``: compute every household that can be, report the others.

By default a batch is all or nothing: one household whose rule lacks a value (a 422) or whose input a
formula refuses (a 400) fails the request. With ``"on_error": "report"`` the batch is computed again
without the households that failed (the error names their rows; when it does not, the batch is halved
until it does), and each failed household's result is an error object in its place: what is missing, for
which rule (the parameter), and the household. Still exactly one result per input household, in order.
"""

from __future__ import annotations

from collections.abc import Callable

from openfisca_cn_assist.caseload.simulation import merge_month_states
from openfisca_cn_assist.engine.divisions_in_force import merge_mapped
from openfisca_cn_assist.engine.horizons import merge_carried
from openfisca_cn_assist.serve.batch_common import BatchError

ON_ERROR_KEY = "on_error"
ON_ERROR_CHOICES = ("fail", "report")
# Each attempt is one simulation of the remaining households; distinct failures past this many are reported
# as such rather than searched for.
MAX_ATTEMPTS = 64
_DETAIL_KEYS = ("parameter", "date", "horizon", "value", "carry_forward")


def on_error_option(payload) -> str:
    """Take the ``on_error`` option out of an object payload: ``fail`` (the default) or ``report``."""
    if not isinstance(payload, dict) or ON_ERROR_KEY not in payload:
        return "fail"
    value = payload.pop(ON_ERROR_KEY)
    if value not in ON_ERROR_CHOICES:
        raise BatchError(
            f"on_error is fail (the default: any error fails the request) or report, not {value!r}", ON_ERROR_KEY
        )
    return value


def household_error(error: BatchError) -> dict:
    """The error object a failed household gets: the cause, the parameter (rule) and date when a value is missing."""
    body = {"error": getattr(error, "cause", None) or str(error)}  # rows named by id: positions of a part mean nothing
    body.update({key: error.details[key] for key in _DETAIL_KEYS if key in error.details})
    return body


def compute_reporting(count: int, compute: Callable[[list[int]], dict]) -> tuple[dict, dict]:
    """Results by household index (0 … count-1) for those that could be computed, and errors for the others.

    ``compute(keep)`` answers for the households ``keep`` (ascending indices) as ``/calculate_batch`` does
    (``results`` in order, ``_carried``), or raises :class:`BatchError`, with ``household_rows`` (positions in
    ``keep``) when the error names the households it concerns, and ``computing`` when it was raised while
    computing (:func:`openfisca_cn_assist.serve.batch_common.while_computing`).
    """
    results: dict[int, dict] = {}
    errors: dict[int, dict] = {}
    carried, mapped, states = [], [], []
    pending = [list(range(count))]
    attempts = 0
    while pending:
        keep = pending.pop()
        if not keep:
            continue
        attempts += 1
        if attempts > MAX_ATTEMPTS:
            message = f"not computed: more than {MAX_ATTEMPTS} distinct failures in one request; send it in parts"
            for h in keep + [h for part in pending for h in part]:
                errors[h] = {"error": message}
            break
        try:
            answer = compute(keep)
        except BatchError as error:
            if not getattr(error, "computing", False):  # bad input fails the request, as by default
                raise
            rows = getattr(error, "household_rows", None)
            if rows is not None and len(rows):
                failed = {keep[int(r)] for r in rows}
                pending.append([h for h in keep if h not in failed])
            elif len(keep) == 1:
                failed = set(keep)
            else:  # the error does not say which households: look in each half
                middle = len(keep) // 2
                pending += [keep[middle:], keep[:middle]]
                continue
            errors.update({h: household_error(error) for h in failed})
            continue
        results.update(zip(keep, answer["results"]))
        carried.append(answer.get("_carried", {}))
        mapped.append(answer.get("_mapped", []))
        states.append(answer.get("_month_state", {}))
    merged = {"_carried": merge_carried(carried), "_mapped": merge_mapped(mapped)}
    return results, {"errors": errors, **merged, "_month_state": merge_month_states(states)}
