"""Declared outputs: what each output variable is, so that every list of outputs is generated, never kept by hand.

An output variable derives from :class:`Output` and declares, as class attributes::

    class dibao_benefit(Output):
        ...
        programme = "dibao"          # a folder of variables/ holding a programme.yaml (label, order)
        kind = "money"               # one of KINDS
        order = 155                  # where it is listed among the outputs (smaller first)
        shown_in = ("cli", "microsim", "page")
        adds = ("dibao_regular_benefit", "dibao_gradual_exit_benefit", "dibao_single_person_benefit")
        short_label = ("低保金", "dibao benefit")

The CLI table, the microsimulation's outputs, the calculator page's fields, the explanation's labels and the
total's parts are read from these declarations (:func:`declared_outputs`), so adding a programme touches
``variables/``, ``parameters/`` and ``tests/`` only.
"""

from __future__ import annotations

import functools
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml
from openfisca_core.periods import DateUnit

from openfisca_cn_assist.engine.cache import cache_on
from openfisca_cn_assist.engine.paths import VARIABLES_DIR
from openfisca_cn_assist.engine.sums import members_sum
from openfisca_cn_assist.engine.variable import Variable

# What an output's values are; the page's unit and the microsimulation's treatment follow from it.
KINDS = {
    "money": "a payment in 元 (a month's or a year's): summed by the microsimulation",
    "amount": "a figure in 元 per month that is not a payment (an income, a class amount)",
    "amount_per_person": "a figure in 元 per person and month (a standard, a per-capita income)",
    "count": "a number of persons",
    "status": "yes or no: counted in months (household) or person-months (person) by the microsimulation",
    "level": "one of a variable's possible values",
}
# Where an output is listed: the `cn-assist calculate` table, the microsimulation, the calculator page.
SHOWN_IN = ("cli", "microsim", "page")
PAGE_UNITS = {
    "money": "per_month",
    "amount": "per_month",
    "amount_per_person": "per_person_month",
    "count": "persons_unit",
}
DEFAULT_ORDER = 1000  # an output without an order comes after those with one
PROGRAMME_FILE = "programme.yaml"
_FIELDS = (
    "programme",
    "kind",
    "order",
    "shown_in",
    "adds",
    "short_label",
    "amount_parameter",
    "month_not_known",
    "reads_months",
)


class OutputDeclarationError(ValueError):
    """An output variable's declarations are wrong (an unknown kind or programme, a part that is no output…)."""


@dataclass(frozen=True)
class Declaration:
    """What an output variable declares (see the module's docstring)."""

    programme: str
    kind: str
    order: int = DEFAULT_ORDER
    shown_in: tuple[str, ...] = ()
    adds: tuple[str, ...] = ()
    short_label: tuple[str, str] | None = None  # (zh, en); None: the parts of the variable's label
    # a yearly payment whose month no source gives: its amount parameter, and why the month is not known
    amount_parameter: str | None = None
    month_not_known: str | None = None
    # a yearly output: the monthly results its formula reads for each month of its year, which a run computing
    # month by month keeps until the year is computed (engine/memory.py); tests/python/test_outputs.py checks
    # the list against what the formula reads
    reads_months: tuple[str, ...] = ()

    @classmethod
    def of(cls, name: str, fields: dict) -> Declaration:
        missing = [f for f in ("programme", "kind") if f not in fields]
        if missing:
            raise OutputDeclarationError(f"output {name} declares no {' and no '.join(missing)}")
        if fields["kind"] not in KINDS:
            raise OutputDeclarationError(f"output {name}: unknown kind {fields['kind']!r}; one of {', '.join(KINDS)}")
        shown_in = tuple(fields.get("shown_in", ()))
        unknown = [s for s in shown_in if s not in SHOWN_IN]
        if unknown:
            raise OutputDeclarationError(f"output {name}: shown_in {unknown}; known: {', '.join(SHOWN_IN)}")
        label = fields.get("short_label")
        if label is not None and (len(label) != 2 or not all(isinstance(t, str) and t for t in label)):
            raise OutputDeclarationError(f"output {name}: short_label is (zh, en), got {label!r}")
        if not isinstance(fields.get("order", DEFAULT_ORDER), int):
            raise OutputDeclarationError(f"output {name}: order is a whole number, got {fields['order']!r}")
        adds, reads = tuple(fields.get("adds", ())), tuple(fields.get("reads_months", ()))
        return cls(**{**fields, "shown_in": shown_in, "adds": adds, "reads_months": reads})


class Output(Variable):
    """Base class of an output variable: reads the declarations (class attributes) and checks them.

    An output is a rule variable like any other (:class:`openfisca_cn_assist.engine.variable.Variable`):
    it may declare ``defined_for`` as well.

    OpenFisca's Variable refuses class attributes it does not know, so the declarations are taken off the
    class when it is created (kept as ``__output__``) and set on each instance: ``variable.kind``.
    """

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        fields = {name: cls.__dict__[name] for name in _FIELDS if name in cls.__dict__}
        for name in fields:
            delattr(cls, name)
        if fields:  # a subclass that declares nothing (a reform's new formula) keeps its parent's declarations
            inherited = getattr(cls, "__output__", None)
            base = {f: getattr(inherited, f) for f in _FIELDS} if inherited else {}
            cls.__output__ = Declaration.of(cls.__name__, {**base, **fields})
        elif getattr(cls, "__output__", None) is None:
            raise OutputDeclarationError(f"output {cls.__name__} declares no programme and no kind")

    def __init__(self, baseline_variable=None) -> None:
        super().__init__(baseline_variable)
        for name in _FIELDS:
            setattr(self, name, getattr(self.__output__, name))


def declaration(variable) -> Declaration | None:
    """The declarations of ``variable`` (an instance or a class), None when it is no output.

    A reform that replaces an output by a plain Variable (a new formula) keeps it where it was listed: an
    instance without declarations has those of the variable it replaced (``baseline_variable``)."""
    if isinstance(variable, type):
        return getattr(variable, "__output__", None)
    while variable is not None:
        if (found := getattr(type(variable), "__output__", None)) is not None:
            return found
        variable = getattr(variable, "baseline_variable", None)
    return None


# --- Programmes -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Programme:
    """A programme: the folder of variables/ that holds its programme.yaml."""

    key: str
    zh: str
    en: str
    order: int


@functools.cache
def _programme_file(path: Path) -> Programme:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    try:
        return Programme(path.parent.name, str(data["label"]["zh"]), str(data["label"]["en"]), int(data["order"]))
    except (KeyError, TypeError, ValueError) as error:
        raise OutputDeclarationError(f"{path}: needs label: {{zh, en}} and order (a number): {error}") from error


def _programme_near(cls) -> Path | None:
    """The programme.yaml in the folder of the file that defines ``cls``, or in a folder above it."""
    module = sys.modules.get(cls.__module__)
    source = getattr(module, "__file__", None)
    if source is None:
        return None
    for folder in Path(source).resolve().parents:
        if (folder / PROGRAMME_FILE).is_file():
            return folder / PROGRAMME_FILE
        if folder.name == VARIABLES_DIR.name or (folder / "pyproject.toml").exists():
            return None
    return None


def programmes(system) -> dict[str, Programme]:
    """The programmes of ``system``'s outputs, in their order: those of variables/ and of any other variable folder."""
    found = {path.parent.name: _programme_file(path) for path in VARIABLES_DIR.glob(f"*/{PROGRAMME_FILE}")}
    for variable in system.variables.values():
        if declaration(variable) is not None and (path := _programme_near(type(variable))) is not None:
            found.setdefault(path.parent.name, _programme_file(path))
    return dict(sorted(found.items(), key=lambda item: (item[1].order, item[0])))


# --- The outputs of a system -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DeclaredOutput:
    """One output of a system with what every report needs to list it."""

    name: str
    entity: str  # "household" or "person"
    programme: Programme
    declaration: Declaration
    label: tuple[str, str]  # the variable's label, split into (zh, en)
    yearly: bool  # a yearly variable (a payment whose month is not known)

    def __getattr__(self, name):  # kind, order, adds, shown_in…: the declaration's
        if name in _FIELDS:
            return getattr(self.declaration, name)
        raise AttributeError(name)

    @property
    def short(self) -> tuple[str, str]:
        """The short (zh, en) label: declared, or the variable's label."""
        return self.declaration.short_label or self.label

    @property
    def page_unit(self) -> str | None:
        return PAGE_UNITS.get(self.declaration.kind)


def split_label(text: str | None) -> tuple[str, str]:
    """A label "中文 / English" as (zh, en)."""
    if not text:
        return "", ""
    zh, _, en = text.partition(" / ")
    return zh.strip(), (en or zh).strip()


def declared_outputs(system, shown_in: str | None = None, entity: str | None = None) -> list[DeclaredOutput]:
    """``system``'s outputs in their declared order, those shown in ``shown_in`` and of ``entity`` when given.

    Checks the declarations: raises :class:`OutputDeclarationError` for an unknown programme or a part of a
    sum that is not a declared output. Worked out once per set of variables (a variable added or replaced
    since gives a new list).
    """
    cache = cache_on(system, "declared_outputs")
    key = tuple(map(id, system.variables.values()))
    if cache.get("key") != key:
        cache.update(key=key, outputs=_declared(system))
    return [
        o
        for o in cache["outputs"]
        if (shown_in is None or shown_in in o.shown_in) and (entity is None or o.entity == entity)
    ]


def _declared(system) -> list[DeclaredOutput]:
    known = programmes(system)
    outputs = []
    for name, variable in system.variables.items():
        declared = declaration(variable)
        if declared is None:
            continue
        if declared.programme not in known:
            raise OutputDeclarationError(
                f"output {name}: unknown programme {declared.programme!r} (no variables/{declared.programme}/"
                f"{PROGRAMME_FILE}); known: {', '.join(known)}"
            )
        outputs.append(
            DeclaredOutput(
                name,
                variable.entity.key,
                known[declared.programme],
                declared,
                split_label(variable.label),
                variable.definition_period == DateUnit.YEAR,
            )
        )
    names = {o.name for o in outputs}
    for output in outputs:
        wrong = [part for part in output.adds if part not in names]
        if wrong:
            raise OutputDeclarationError(f"output {output.name} adds {wrong}, which are not declared outputs")
        if output.yearly and not (output.amount_parameter and output.month_not_known):
            raise OutputDeclarationError(
                f"output {output.name} is yearly: declare amount_parameter and month_not_known (why a month's "
                "result cannot hold it)"
            )
    outputs.sort(key=lambda o: (o.order, o.programme.order, o.name))
    return outputs


def total_output(system) -> str:
    """The output that adds up the others and is part of no sum: the social assistance total."""
    outputs = declared_outputs(system)
    parts = {part for o in outputs for part in o.adds}
    totals = [o.name for o in outputs if o.adds and o.name not in parts]
    if len(totals) != 1:
        raise OutputDeclarationError(f"expected one output that adds up the others, found {totals}")
    return totals[0]


def programme_parts(system) -> list[str]:
    """The money outputs that are no sum of others (each payment once), in order."""
    return [o.name for o in declared_outputs(system, "microsim") if o.kind == "money" and not o.adds]


def read_each_month(system) -> set[str]:
    """The monthly results the yearly outputs read for each month of their year (their ``reads_months``)."""
    return {name for o in declared_outputs(system) if o.yearly for name in o.reads_months}


def yearly_outputs(system) -> dict[str, tuple[str, str]]:
    """{output: (its amount parameter, why its month is not known)} for the payments made once in a year."""
    return {o.name: (o.amount_parameter, o.month_not_known) for o in declared_outputs(system) if o.yearly}


def added_up(population, period, name: str) -> np.ndarray:
    """What output ``name`` declares it adds (``adds``), in that order; a person part is summed per household."""
    system = population.simulation.tax_benefit_system
    total = None
    for part in declaration(system.variables[name]).adds:
        if system.variables[part].entity.key == population.entity.key:
            values = population(part, period)
        else:
            values = members_sum(population, population.members(part, period))
        total = values if total is None else total + values
    return np.zeros(population.count) if total is None else total


def output_fields(system) -> dict:
    """The calculator page's fields, for ``GET /outputs``: name, entity, unit and labels of each, in order."""
    total = total_output(system)
    return {
        "outputs": [
            {
                "name": o.name,
                "entity": o.entity,
                "kind": o.kind,
                "unit": o.page_unit,
                "programme": o.programme.key,
                "total": o.name == total,
                "label": {"zh": o.short[0], "en": o.short[1]},
            }
            for o in declared_outputs(system, "page")
        ],
        "programmes": [{"key": p.key, "zh": p.zh, "en": p.en} for p in programmes(system).values()],
    }
