"""What both batch formats share: the error a bad request raises, value and period checks, the 422 for a
missing value."""

from __future__ import annotations

import difflib

import numpy as np
from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import ETERNITY, MONTH
from openfisca_core.periods import period as as_period

from openfisca_cn_assist.engine.errors import InputError
from openfisca_cn_assist.engine.resolver import MissingParameterValueError

ROLE = "members"  # the household's one role (entities.py)
_ENTITIES = ("persons", "households")


class BatchError(InputError):
    """A request the batch cannot compute. ``field`` names the offending part; ``status`` is the HTTP code."""

    def __init__(self, message: str, field: str | None = None, status: int = 400, **details):
        super().__init__(message)
        self.field = field
        self.status = status
        self.details = details

    def to_dict(self) -> dict:
        body = {"error": str(self)}
        if self.field is not None:
            body["field"] = self.field
        body.update(self.details)
        return body


def _check_household_count(count: int, max_households: int) -> None:
    if count > max_households:
        raise BatchError(
            f"{count} households in one request; this server takes at most {max_households} "
            "(cn-assist serve --max-households): split the batch",
            "households",
            status=413,
        )


def _suggest(name: str, candidates) -> str:
    close = difflib.get_close_matches(str(name), list(candidates), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _show(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


def json_values(variable, values) -> list:
    """Computed values as JSON, as OpenFisca's ``/calculate`` writes them (floats through their shortest text)."""
    if variable.value_type is Enum:
        return values.decode_to_str().tolist()
    values = np.asarray(values)
    if variable.value_type is float:
        # /calculate writes float(str(np.float32(x))): the float32's shortest repr, read back as a double.
        return values.astype(str).astype(float).tolist()
    if variable.value_type is str:
        return values.astype(str).tolist()
    return values.tolist()


def check_period(variable, text: str, field: str) -> None:
    """Raise when ``variable`` cannot be computed for the period ``text`` (a month variable for a year …)."""
    try:
        period = as_period(text)
    except (ValueError, TypeError) as error:
        raise BatchError(f"{text!r} is not a period: {error}", field) from None
    unit = variable.definition_period
    if unit == ETERNITY:
        return
    if period.unit != unit or period.size != 1:
        example = "2022-08" if unit == MONTH else "2022"
        raise BatchError(
            f"{variable.name} is defined per {unit}; ask for one {unit} (such as {example}), not {text!r}", field
        )


def _worded(error, name_rows, rows: bool = True) -> str:
    """``error``'s message with its rows named by ``name_rows(entity, rows)`` (labels), when it keeps them;
    ``rows=False``: without the sentence counting the rows that need a missing value."""
    entity = getattr(error, "entity", None)
    if getattr(error, "worded", None) is None or entity is None or name_rows is None:
        return str(error)
    return error.worded(lambda r: name_rows(entity, [r])[0], rows=rows)


def missing_value_error(error: MissingParameterValueError, name_rows, name_ids=None) -> BatchError:
    """A 422 naming the households that need a value no jurisdiction has (``name_rows(entity, rows)`` → labels);
    ``cause``, the message for one failed household of ``on_error: report``, leaves the rows out (the error object
    names its household; positions in a part of the batch would mean nothing)."""
    details = {}
    rows = getattr(error, "rows", None)
    if rows is not None and getattr(error, "entity", None):
        labels = name_rows(error.entity, np.asarray(rows)[:5])
        details = {"parameter": error.parameter, "date": error.date, error.entity + "s": labels}
        if getattr(error, "horizon", None):  # a value past its horizon: the request may opt in to carrying it
            details.update(
                horizon=error.horizon, value=error.value, carry_forward='send "carry_forward": true to use it'
            )
    field = details.get(error.entity + "s", [None])[0] if details else None
    answer = BatchError(_worded(error, name_rows), field, status=422, **details)
    answer.cause = _worded(error, name_ids, rows=False)
    answer.entity_rows = (error.entity, rows) if rows is not None and getattr(error, "entity", None) else None
    return answer


def input_error(error: InputError, name_rows, name_ids=None) -> BatchError:
    """A 400 for an input a formula refuses, its rows named as the request names them (``name_rows(entity, rows)``
    → labels), and marked with them so that ``on_error: report`` fails those households only (``cause``: by id)."""
    rows, entity = getattr(error, "rows", None), getattr(error, "entity", None)
    if rows is None or entity is None:
        return BatchError(str(error))
    answer = BatchError(_worded(error, name_rows), name_rows(entity, np.asarray(rows)[:1])[0])
    answer.cause = _worded(error, name_ids)
    answer.entity_rows = (entity, np.asarray(rows))
    return answer


def while_computing(error: BatchError, household_of_person) -> BatchError:
    """``error``, raised while computing valid inputs, marked so (``on_error: report`` reports it per household
    instead of failing the request), with ``household_rows``: the households its entity rows belong to."""
    error.computing = True
    entity_rows = getattr(error, "entity_rows", None)
    if entity_rows is not None:
        entity, rows = entity_rows
        rows = np.asarray(rows, dtype=np.int64)
        error.household_rows = np.unique(np.asarray(household_of_person)[rows] if entity == "person" else rows)
    return error
