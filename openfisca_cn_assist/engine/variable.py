"""The base class of the rule variables: a variable declares the rows it concerns (``defined_for``).

``defined_for`` names a boolean variable (of the same entity, or of a person's group, projected to its
members), or is a function ``(population, period) -> booleans`` for a need that no variable states,
as policyengine-core's ``defined_for`` does. The formula then concerns those rows alone, and this is
the one place that knows it:

* the formula's result counts on those rows only; every other row gets the variable's default;
* only those rows need parameter values: the accessor (:mod:`openfisca_cn_assist.engine.accessor`)
  raises MissingParameterValueError for them alone, naming them in the whole simulation's row
  numbering, and records values carried past their horizon for them alone;
* **evaluation.** When the rows are few (at most :data:`SPARSE_SHARE` of the population) the formula
  runs on those rows only (:class:`openfisca_cn_assist.engine.rows.Rows`: every read gathers them,
  and the result is scattered back); otherwise it runs on every row with a mask
  (:class:`openfisca_cn_assist.engine.rows.Masked`) and the result is kept where the mask is set.
  Both give the same numbers (tests/python/test_variable.py checks it over random masks). The
  subset pays a gather per read and saves the arithmetic and lookups of the rows not concerned; the
  mask pays boolean selections over every row. ``python benchmarks/defined_for.py`` (9×10⁵ persons,
  特困's two allowances): at 1–4 % of persons the subset takes 0.5–1.2 ms against 4–7 ms with the mask
  (and the same as the hand-gathered formulas it replaces); at 50 % 5 ms against 15–18 ms (random
  masks are the worst case for boolean selections); at 100 % 9 ms against 10–12 ms. A formula that
  reads many inputs pays a gather for each on the subset, so the mask is kept for majorities (above
  half the rows). Only person variables are evaluated on a subset: a group's formula aggregates its
  members, which a subset of groups cannot offer. Numbering the needed rows is itself a pass over every
  row (about 1 ns a row on a random mask, 0.3 ms for 3×10⁵ persons here): a formula of a few boolean
  operations costs less than that over every row, so it is left dense (the first table of
  ``benchmarks/defined_for.py`` times each declared variable both ways).

Formulas of variables without ``defined_for`` run as OpenFisca runs them, untouched.

A variable may also declare ``explanation``: the short zh/en template that the household explanation
(:mod:`openfisca_cn_assist.serve.explain`) fills from the trace of its computation, so that the text says
what the formula did and nothing else (docs/explanations.md). It is kept as ``__explanation__`` and read
with :func:`explanation_of`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from openfisca_core import variables
from openfisca_core.indexed_enums import Enum
from openfisca_core.variables import config

from openfisca_cn_assist.engine.rows import Masked, Rows

# At most this share of the rows: the formula runs on the needed rows only (measured above). Read at each
# call, so that a test or a benchmark can force either path.
SPARSE_SHARE = 0.5
_FORMULA_PREFIX = config.FORMULA_NAME_PREFIX
_WRAPPED = "__for_needed_rows__"  # marks a wrapped formula, so that it is never wrapped twice


class Variable(variables.Variable):
    """An OpenFisca variable that may declare ``defined_for``: the rows its formula concerns."""

    __defined_for__: str | Callable | None = None
    __explanation__: dict | None = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "explanation" in cls.__dict__:  # OpenFisca refuses it too: kept under a dunder name
            cls.__explanation__ = _checked_explanation(cls.__name__, cls.__dict__["explanation"])
            delattr(cls, "explanation")
        # OpenFisca refuses class attributes it does not know: keep the declaration under a dunder name
        # (which it skips) and wrap the formulas here, once per class.
        if "defined_for" in cls.__dict__:
            declared = cls.__dict__["defined_for"]
            delattr(cls, "defined_for")
            cls.__defined_for__ = declared.__func__ if isinstance(declared, staticmethod) else declared
        if cls.__defined_for__ is None:
            return
        for name, formula in list(cls.__dict__.items()):
            if name.startswith(_FORMULA_PREFIX) and callable(formula) and not hasattr(formula, _WRAPPED):
                setattr(cls, name, _for_needed_rows(cls, formula))

    def __init__(self, baseline_variable=None) -> None:
        super().__init__(baseline_variable)
        self.defined_for = type(self).__defined_for__


LANG_KEYS = ("zh", "en")


def _checked_explanation(name: str, declared) -> dict:
    """``declared`` if it is {"zh": …, "en": …}, or {value: {"zh": …, "en": …} or None, …} (one template per
    result of a yes/no or enum variable; a number chooses by zero / not zero). A template by result may add
    ``"short": {"zh": …, "en": …}``, the few words a verdict quotes."""

    def check_pair(pair, where: str) -> None:
        if not isinstance(pair, dict) or any(not isinstance(pair.get(k), str) for k in LANG_KEYS):
            raise ValueError(f"{name}.explanation{where} must give a zh and an en template, got {pair!r}")

    if not isinstance(declared, dict) or not declared:
        raise ValueError(f"{name}.explanation must be a dict, got {declared!r}")
    if set(declared) <= {*LANG_KEYS, "short"} and "zh" in declared:
        check_pair(declared, "")
        return declared
    for value, pair in declared.items():
        if pair is None:
            continue
        check_pair(pair, f"[{value!r}]")
        if "short" in pair:
            check_pair(pair["short"], f"[{value!r}]['short']")
    return declared


def explanation_of(variable) -> dict | None:
    """The explanation template(s) ``variable`` (an instance or a class) declares. A reform's new formula that
    declares none keeps those of the variable it replaced (``baseline_variable``), as outputs keep their
    declarations (engine/outputs.py)."""
    if isinstance(variable, type):
        return getattr(variable, "__explanation__", None)
    while variable is not None:
        if (found := getattr(type(variable), "__explanation__", None)) is not None:
            return found
        variable = getattr(variable, "baseline_variable", None)
    return None


def needed_rows(population, period, defined_for: str | Callable) -> np.ndarray:
    """Booleans over ``population``'s rows: the rows ``defined_for`` declares."""
    if callable(defined_for):
        return np.asarray(defined_for(population, period), dtype=bool)
    simulation = population.simulation
    entity = simulation.tax_benefit_system.get_variable(defined_for, check_existence=True).entity
    if entity.key == population.entity.key:
        return np.asarray(population(defined_for, period), dtype=bool)
    if not population.entity.is_person:
        raise ValueError(f"defined_for '{defined_for}' must be a variable of the {population.entity.key} entity")
    group = simulation.populations[entity.key]
    return np.asarray(group.project(group(defined_for, period)), dtype=bool)


def _for_needed_rows(cls, formula):
    """``formula``, run for the rows ``cls`` declares; the other rows get the variable's default."""
    takes_parameters = formula.__code__.co_argcount == 3

    def run(view, period, parameters):
        return formula(view, period, parameters) if takes_parameters else formula(view, period)

    def formula_for_needed_rows(population, period, parameters):
        need = needed_rows(population, period, cls.__defined_for__)
        default = population.simulation.tax_benefit_system.get_variable(cls.__name__).default_value
        if isinstance(default, Enum):  # an enum's formula gives indices (OpenFisca encodes them): so does its default
            default = default.index
        # Counted first: the row numbers cost about 1 ns a row on a random mask (as much as a cheap formula), and
        # the masked path does not need them.
        if population.entity.is_person and np.count_nonzero(need) <= SPARSE_SHARE * population.count:
            rows = np.flatnonzero(need)
            values = np.asarray(run(Rows(population, rows), period, parameters))
            out = np.full(population.count, default, dtype=np.result_type(values, default))
            out[rows] = values
            return out
        with np.errstate(invalid="ignore"):  # rows outside the mask may lack values (NaN): they are discarded
            values = run(Masked(population, need), period, parameters)
        return np.where(need, values, default)

    formula_for_needed_rows.__wrapped__ = formula  # inspect.getsource (the Web API) shows the rule itself
    setattr(formula_for_needed_rows, _WRAPPED, True)
    formula_for_needed_rows.__doc__ = formula.__doc__
    formula_for_needed_rows.__name__ = formula.__name__
    return formula_for_needed_rows
