"""Explain one situation's result household by household, step by step, in Chinese or English.

    from openfisca_cn_assist import CountryTaxBenefitSystem
    from openfisca_cn_assist.serve.explain import explain

    accounts = explain(CountryTaxBenefitSystem(), situation, "2022-08", lang="zh")
    print(accounts[0].to_text())      # or accounts[0].to_dict(), JSON-serialisable

The explanation is read from the computation, never worked out a second time: the situation is
simulated with OpenFisca's tracer on (``simulation.trace = True``), every variable value the text
states is read from the trace, and every parameter from the lookups that
:func:`openfisca_cn_assist.engine.lookup.by_jurisdiction` records in that trace, with its provenance from the
resolver (``resolver_for(system)[path].source(jurisdiction, date)``). The text only combines those
numbers with operators (``(450 − 183.33) × 3 = 800``), and each line carries the numbers it states as
structured items ``{label, value, variable | parameter, period, …}``, so that a test can recompute each.

An output that cannot be computed (a parameter no source gives, an input the rules cannot use) is
explained as "cannot be computed", with the missing parameter, the jurisdictions searched and the
dates that do have values, while the rest of the account is still given. When several households are
explained together, they are computed together (as ``/calculate`` does); where something cannot be
computed, a household whose outputs fail only because of another household's missing value is
recomputed alone, so that one household's missing standard does not hide another's result (the
account says so).
"""

from __future__ import annotations

import math
import re
from contextlib import contextmanager
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

import numpy as np
from openfisca_core.indexed_enums import EnumArray
from openfisca_core.periods import period as as_period
from openfisca_core.simulations import SimulationBuilder

from openfisca_cn_assist.engine.errors import InputError
from openfisca_cn_assist.engine.horizons import carried_by_output, describe_carried
from openfisca_cn_assist.engine.outputs import declaration, declared_outputs, total_output, yearly_outputs
from openfisca_cn_assist.engine.programmes import check_known_in
from openfisca_cn_assist.engine.resolver import (
    PERIOD_DIVISORS,
    MissingParameterValueError,
    ValueSource,
    resolver_for,
)
from openfisca_cn_assist.engine.situations import MONTH

LANGS = ("zh", "en")
# Up to this many households, one whose outputs fail only because of another household's missing
# value is recomputed on its own (one more small simulation each); above it, all share one computation.
MAX_SEPARATE = 200
# how resolver.missing_error names what is missing, for errors raised outside a recorded lookup
_MISSING = re.compile(r"No value of parameter '([\w.]+)' is in force on (\d{4}-\d{2}-\d{2})")

INCOME_PARTS = ("wage_income", "business_income", "property_income", "transfer_income")

# The variables the account may state besides the declared outputs (openfisca_cn_assist.engine.outputs), computed
# (with the tracer on) in this order, each entity's before its outputs (see _stated). Inputs are listed too, so
# that their values are read from the trace like the rest.
HOUSEHOLD_STEPS = (
    "area",
    "hardship_area_class",
    "dibao_points_labour",
    "dibao_points_income",
    "dibao_points_property",
    "dibao_points_adjustment",
    "dibao_points_score",
    "dibao_points_pass",
    "property_within_limits",
    "dibao_pays_by_class",
    "dibao_recipient_last_month",
    "dibao_months_above_standard",
    "dibao_exit_base_benefit",
    "price_subsidy_rise",
    "temporary_assistance_requested",
    "temporary_assistance_township_limit",
    "temporary_assistance_cap",
    "rigid_expenditure_past_12_months",
    "rigid_expenditure_hardship_candidate",
    "household_income_past_12_months",
    "previous_year_per_capita_disposable_income",
    "rigid_expenditure_to_income_threshold",
)
PERSON_STEPS = (
    "age",
    *INCOME_PARTS,
    "basic_pension_income",
    "is_employed",
    "medical_expenses",
    "education_expenses",
    "disability_grade",
    "disability_category",
    "has_serious_illness",
    "self_care_level",
    "has_able_supporter",
    "dibao_class",
    "child_care_status",
    "gross_income",
    "excluded_basic_pension",
    "employment_cost_deduction",
    "rigid_expenditure_deduction",
    "countable_income_net",
    "own_countable_income",
    "is_severely_disabled",
    "tekun_severely_disabled",
    "tekun_excluded_as_supported_child",
    "tekun_age_threshold",
    "tekun_no_work_capacity",
    "tekun_no_livelihood",
    "dibao_single_person_points_pass",
    "price_subsidy_covered",
)

CONFIDENCE_LABELS = {
    "H": ("高", "high"),
    "M": ("中", "medium"),
    "L": ("低", "low"),
    "R": ("凭记忆", "recalled"),
    "I": ("推断", "inferred"),
    "assumed": ("假设值，无来源", "assumed, no source gives it"),
    "reform": ("改革方案", "written by a reform"),
}

# Short labels (zh, en) of the variables the account states that are not declared outputs (those declare theirs).
LABELS = {
    "age": ("年龄", "age"),
    "wage_income": ("工资性收入", "wage income"),
    "business_income": ("经营净收入", "net business income"),
    "property_income": ("财产净收入", "net property income"),
    "transfer_income": ("转移净收入", "net transfer income"),
    "basic_pension_income": ("基础养老金", "basic pension"),
    "medical_expenses": ("医疗支出", "medical spending"),
    "education_expenses": ("教育支出", "education spending"),
    "disability_grade": ("残疾等级", "disability grade"),
    "hardship_area_class": ("艰苦边远地区类别", "hardship-area class"),
    "gross_income": ("收入合计", "gross income"),
    "excluded_basic_pension": ("不计入的基础养老金", "basic pension not counted"),
    "employment_cost_deduction": ("就业成本扣减", "employment-cost deduction"),
    "rigid_expenditure_deduction": ("刚性支出扣减", "rigid-expenditure deduction"),
    "countable_income_net": ("计入家庭收入", "income counted for the household"),
    "own_countable_income": ("本人可计收入", "own countable income"),
    "dibao_points_labour": ("劳动力积分", "labour points"),
    "dibao_points_income": ("收入积分", "income points"),
    "dibao_points_property": ("财产积分", "property points"),
    "dibao_points_adjustment": ("加减分", "adjustment points"),
    "dibao_points_score": ("积分", "points score"),
    "dibao_months_above_standard": ("收入超标月数", "months above the standard"),
    "dibao_exit_base_benefit": ("渐退前常规低保金", "regular benefit before the exit"),
    "tekun_age_threshold": ("特困年龄条件", "tekun age threshold"),
    "price_subsidy_rise": ("价格补贴启动涨幅", "triggering price rise"),
    "temporary_assistance_requested": ("临时救助申请金额", "temporary assistance requested"),
    "temporary_assistance_township_limit": ("乡镇审批权限", "township approval limit"),
    "temporary_assistance_cap": ("临时救助上限", "temporary assistance cap"),
    "rigid_expenditure_past_12_months": ("申请前十二个月刚性支出", "rigid spending over the past twelve months"),
    "household_income_past_12_months": ("申请前十二个月家庭总收入", "household income over the past twelve months"),
    "previous_year_per_capita_disposable_income": (
        "上年度当地居民人均可支配收入",
        "last year's local per-capita disposable income",
    ),
    "rigid_expenditure_to_income_threshold": ("刚性支出占收入比例标准", "local spending-to-income threshold"),
}


# ---------------------------------------------------------------------------------------------
# The account: plain data, JSON-serialisable
# ---------------------------------------------------------------------------------------------


def _json_value(value):
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        value = float(value)
        return None if math.isnan(value) else value
    return value


def format_number(value, lang: str = "zh") -> str:
    """How the text writes a number: at most 2 decimals, no trailing zeros, no thousands separator."""
    if value is None:
        return "—"
    if isinstance(value, (bool, np.bool_)):
        return ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")
    if isinstance(value, str):
        return value
    value = float(value)
    if math.isnan(value):
        return "—"
    rounded = round(value, 2)
    if rounded == int(rounded):
        return str(int(rounded))
    return f"{rounded:.2f}".rstrip("0").rstrip(".")


@dataclass
class Item:
    """One number (or yes/no, or category) that a line states, and where it comes from.

    ``kind`` is ``variable`` (the value of ``variable`` for ``entity`` ``id`` in ``period``, read from
    the trace), ``parameter`` (``field`` of ``resolver_for(system)[parameter].source(jurisdiction,
    period)``: ``value`` as the source quotes it, ``monthly_value`` as the formulas use it), or
    ``constant`` (a fixed number of the rule, such as the 12 months of a yearly amount).
    """

    label: str
    value: Any
    kind: str = "variable"
    unit: str | None = None
    variable: str | None = None
    entity: str | None = None
    id: str | None = None
    period: str | None = None
    parameter: str | None = None
    field: str | None = None
    jurisdiction: str | None = None
    lang: str = dataclass_field(default="zh", repr=False, compare=False)

    def __str__(self) -> str:
        return format_number(self.value, self.lang)

    def to_dict(self) -> dict:
        data = {"label": self.label, "value": _json_value(self.value), "kind": self.kind}
        for name in ("unit", "variable", "entity", "id", "period", "parameter", "field", "jurisdiction"):
            value = getattr(self, name)
            if value is not None:
                data[name] = value
        return data


@dataclass
class Line:
    """A sentence of the account. ``kind``: step (a computation), rule (the parameter it uses and
    where that comes from), source (the document), note, not_computed."""

    text: str
    items: list[Item] = dataclass_field(default_factory=list)
    kind: str = "step"
    level: int = 1

    def to_dict(self) -> dict:
        return {"text": self.text, "kind": self.kind, "level": self.level, "items": [i.to_dict() for i in self.items]}


@dataclass
class Section:
    key: str
    title: str
    lines: list[Line] = dataclass_field(default_factory=list)

    def to_dict(self) -> dict:
        return {"key": self.key, "title": self.title, "lines": [line.to_dict() for line in self.lines]}


@dataclass
class Verdict:
    """A programme's result for the household (``person`` None) or one member, with the reason."""

    programme: str
    person: str | None
    status: str
    amount: float | None
    text: str
    items: list[Item] = dataclass_field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "programme": self.programme,
            "person": self.person,
            "status": self.status,
            "amount": _json_value(self.amount),
            "text": self.text,
            "items": [i.to_dict() for i in self.items],
        }


@dataclass
class NotComputed:
    """One reason why some outputs cannot be computed, and the outputs it affects."""

    number: int
    outputs: list[str]
    error: str
    variable: str
    parameters: list[tuple[str, str]]
    message: str
    text: str

    def to_dict(self) -> dict:
        return {
            "number": self.number,
            "outputs": list(self.outputs),
            "error": self.error,
            "variable": self.variable,
            "parameters": [{"parameter": path, "date": date} for path, date in self.parameters],
            "message": self.message,
            "text": self.text,
        }


@dataclass
class HouseholdExplanation:
    """The account of one household for one month: verdicts, then each step with its numbers and sources."""

    household: str
    period: str
    lang: str
    jurisdiction: str
    jurisdiction_name: str
    area: str | None
    members: list[str]
    header: str
    verdicts: list[Verdict]
    sections: list[Section]
    not_computed: list[NotComputed]
    parameters: list[dict]
    computed_alone: bool = False
    # {output: [value used past its horizon, as a dict]}: only where the system carries values forward
    carried_forward: dict = dataclass_field(default_factory=dict)

    def lines(self) -> list[Line]:
        return [line for section in self.sections for line in section.lines]

    def items(self) -> list[Item]:
        """Every number the account states (verdicts and lines)."""
        return [i for v in self.verdicts for i in v.items] + [i for line in self.lines() for i in line.items]

    def verdict(self, programme: str, person: str | None = None) -> Verdict | None:
        for v in self.verdicts:
            if v.programme == programme and v.person == person:
                return v
        return None

    def to_dict(self) -> dict:
        return {
            "household": self.household,
            "period": self.period,
            "lang": self.lang,
            "jurisdiction": self.jurisdiction,
            "jurisdiction_name": self.jurisdiction_name,
            "area": self.area,
            "members": list(self.members),
            "computed_alone": self.computed_alone,
            "header": self.header,
            "verdicts": [v.to_dict() for v in self.verdicts],
            "sections": [s.to_dict() for s in self.sections],
            "not_computed": [n.to_dict() for n in self.not_computed],
            "parameters": self.parameters,
            "carried_forward": self.carried_forward,
        }

    def to_text(self) -> str:
        zh = self.lang == "zh"
        out = [self.header, ""]
        out.append("【结论】" if zh else "== Result ==")
        for v in self.verdicts:
            out.append(f"  · {v.text}")
        for section in self.sections:
            if not section.lines:
                continue
            out.append("")
            out.append(f"【{section.title}】" if zh else f"== {section.title} ==")
            for line in section.lines:
                out.append("  " * line.level + line.text)
        if self.carried_forward:
            out.append("")
            out.append("【沿用已超出来源期限的数值】" if zh else "== Values carried past their horizon ==")
            out.extend(f"  · {line}" for line in describe_carried(self.carried_forward))
        return "\n".join(out)


# ---------------------------------------------------------------------------------------------
# One traced simulation and what its trace says
# ---------------------------------------------------------------------------------------------


class _Missing(Exception):
    """A value the account needs is not in the trace: its computation failed (or never ran)."""

    def __init__(self, variable: str, period: str):
        super().__init__(variable)
        self.variable = variable
        self.period = period


class _Run:
    """A situation simulated for one month with the tracer on, and an index of its trace."""

    def __init__(self, system, situation: dict, period):
        self.system = system
        self.resolver = resolver_for(system)
        self.period = period
        self.month = str(period)
        self.date = str(period.start)
        self.simulation = SimulationBuilder().build_from_entities(system, situation)
        self.simulation.trace = True
        # what the user gave, before anything is computed (a formula variable may be given as an input)
        self.inputs = {
            (name, str(known))
            for population in self.simulation.populations.values()
            for name, holder in population._holders.items()
            for known in holder.get_known_periods()
        }
        self.errors: dict[str, Exception] = {}
        self.yearly = yearly_outputs(system)
        self.labels = _labels(system)
        for name in _stated(system):
            try:
                if name in self.yearly:  # paid once a year in an unknown month: known only when 0 all year
                    check_known_in(self.simulation, name, period)
                    continue
                self.simulation.calculate(name, period)
            except (MissingParameterValueError, InputError) as error:
                self.errors[name] = error
        # The first node of a (variable, period) in the trace with a value is where it was computed
        # (later requests read the cache); a node without a value is a computation that failed.
        self.nodes: dict[tuple[str, str], Any] = {}
        self.failed: dict[tuple[str, str], Any] = {}
        for node in self.simulation.tracer.browse_trace():
            key = (node.name, str(node.period))
            if node.value is not None:
                self.nodes.setdefault(key, node)
            else:
                self.failed.setdefault(key, node)

    def given(self, name: str, month: str | None = None) -> bool:
        return (name, month or self.month) in self.inputs

    def value(self, name: str, row: int, month: str | None = None):
        month = month or self.month
        node = self.nodes.get((name, month))
        if node is None:
            raise _Missing(name, month)
        values = node.value
        if isinstance(values, EnumArray):
            return str(values.decode_to_str()[row])
        value = values[row]
        if isinstance(value, (bool, np.bool_)):
            return bool(value)
        if isinstance(value, (int, np.integer)):
            return int(value)
        return float(value)

    def lookup(self, variable: str, path: str, row: int, month: str | None = None) -> float | None:
        """The value of jurisdictional parameter ``path`` that ``variable``'s formula looked up for ``row``."""
        month = month or self.month
        node = self.nodes.get((variable, month)) or self.failed.get((variable, month))
        if node is None:
            return None
        date = str(as_period(month).start)
        for parameter in reversed(node.parameters):
            if parameter.name == path and str(parameter.period) == date:
                return float(parameter.value[row])
        return None

    def cause(self, variable: str, month: str, rows: dict[str, list[int]]):
        """The computation that raised (the deepest failed node) and the lookups it found missing,
        as (parameter, date) pairs."""
        error = self.errors.get(variable)
        node = self.failed.get((variable, month))
        if node is None:
            return variable, [], error
        while True:
            failed_children = [c for c in node.children if c.value is None]
            if not failed_children:
                break
            node = failed_children[-1]  # the call that raised is the last one the formula made
        entity = self.system.variables[node.name].entity.key
        missing = []
        for parameter in node.parameters:
            values = np.asarray(parameter.value, dtype=float)[rows.get(entity, [])]
            if np.isnan(values).any() and (parameter.name, str(parameter.period)) not in missing:
                missing.append((parameter.name, str(parameter.period)))
        if not isinstance(error, MissingParameterValueError):
            return node.name, [], error
        if missing:
            # one lookup raised (the last); require_any raises after several optional ones
            return node.name, missing if str(error).startswith("None of the alternatives") else missing[-1:], error
        # raised after the lookups (a monthly series used outside its month): the error names them
        if getattr(error, "parameter", None) and getattr(error, "date", None):
            return node.name, [(error.parameter, error.date)], error
        return node.name, list(dict.fromkeys(_MISSING.findall(str(error)))), error


# ---------------------------------------------------------------------------------------------
# Building the account of one household
# ---------------------------------------------------------------------------------------------


def _stated(system) -> list[str]:
    """Every variable the account may state, in the order it is computed: each entity's steps, then its outputs."""
    return [
        *HOUSEHOLD_STEPS,
        *(o.name for o in declared_outputs(system, entity="household") if o.name not in HOUSEHOLD_STEPS),
        *PERSON_STEPS,
        *(o.name for o in declared_outputs(system, entity="person") if o.name not in PERSON_STEPS),
    ]


def _labels(system) -> dict[str, tuple[str, str]]:
    """The short (zh, en) label of each variable the account states: declared on the outputs, or LABELS."""
    return {
        **LABELS,
        **{o.name: o.declaration.short_label for o in declared_outputs(system) if o.declaration.short_label},
    }


def _split_label(text: str | None) -> tuple[str, str]:
    if not text:
        return "", ""
    zh, _, en = text.partition(" / ")
    return zh.strip(), (en or zh).strip()


class _Account:
    def __init__(self, run: _Run, row: int, lang: str, computed_alone: bool = False):
        self.run = run
        self.h = row
        self.lang = lang
        self.computed_alone = computed_alone
        simulation = run.simulation
        self.household_id = str(simulation.household.ids[row])
        self.person_rows = [int(p) for p in np.flatnonzero(simulation.household.members_entity_id == row)]
        self.person_ids = {p: str(simulation.persons.ids[p]) for p in self.person_rows}
        jurisdictions = simulation.household("jurisdiction", run.period)
        self.key = str(jurisdictions.decode_to_str()[row])
        self.registry = run.system.registry
        self.sections: dict[str, Section] = {}
        self.verdicts: list[Verdict] = []
        self.causes: list[NotComputed] = []
        self.parameters: dict[tuple[str, str], dict] = {}
        self._ruled: set[tuple[str, str]] = set()

    # -- language helpers ---------------------------------------------------------------------

    def t(self, zh: str, en: str) -> str:
        return zh if self.lang == "zh" else en

    def place(self, key: str) -> str:
        j = self.registry[key]
        return j.name_zh if self.lang == "zh" else j.name_en

    def enum_label(self, variable: str, name: str) -> str:
        enum = self.run.system.variables[variable].possible_values
        zh, en = _split_label(enum[name].value)
        return zh if self.lang == "zh" else en

    def add(self, section: str, text: str, items=(), kind: str = "step", level: int = 1) -> None:
        self.sections[section].lines.append(Line(text, list(items), kind, level))

    # -- values -------------------------------------------------------------------------------

    def var(self, name: str, row: int | None = None, month: str | None = None, label: str | None = None) -> Item:
        """A variable's value from the trace, as an item (raises _Missing when it was not computed)."""
        entity = self.run.system.variables[name].entity.key
        if row is None:
            row = self.h
        value = self.run.value(name, row, month)
        zh, en = self.run.labels.get(name) or _split_label(self.run.system.variables[name].label)
        return Item(
            label=label or (zh if self.lang == "zh" else en),
            value=value,
            kind="variable",
            variable=name,
            entity=entity,
            id=self.household_id if entity == "household" else self.person_ids[row],
            period=month or self.run.month,
            lang=self.lang,
        )

    def val(self, name: str, row: int | None = None):
        return self.var(name, row).value

    def source(self, path: str, month: str | None = None) -> ValueSource | None:
        date = str(as_period(month).start) if month else self.run.date
        return self.run.resolver[path].source(self.key, date)

    def param(self, variable: str, path: str, row: int | None = None, month: str | None = None) -> Item | None:
        """The monthly value ``variable``'s formula looked up for ``path`` (None when it made no such lookup)."""
        value = self.run.lookup(variable, path, self.h if row is None else row, month)
        if value is None:
            return None
        date = str(as_period(month).start) if month else self.run.date
        self._register(path, date)
        return Item(
            label=self.param_label(path),
            value=value,
            kind="parameter",
            parameter=path,
            field="monthly_value",
            jurisdiction=self.key,
            period=date,
            lang=self.lang,
        )

    def param_label(self, path: str) -> str:
        node = self.run.resolver[path].node
        zh, en = _split_label(node.description)
        return zh if self.lang == "zh" else ((node.metadata or {}).get("label_en") or en)

    def _register(self, path: str, date: str) -> None:
        source = self.run.resolver[path].source(self.key, date)
        if (path, date) in self.parameters:
            return
        entry = {"parameter": path, "jurisdiction": self.key, "date": date, "label": self.param_label(path)}
        if source is None:
            entry["in_force"] = False
        else:
            entry.update(
                in_force=True,
                source_jurisdiction=source.source_jurisdiction,
                inherited=source.inherited,
                start=source.start,
                value=_json_value(source.value),
                period=source.period,
                monthly_value=_json_value(source.monthly_value),
                unit=source.unit,
                file=_relative(source.file_path),
                reference=source.reference,
                confidence=source.confidence,
                note=source.note,
            )
        self.parameters[(path, date)] = entry

    def unit(self, source: ValueSource | None, monthly: bool = False) -> str:
        if source is None:
            return ""
        unit = source.unit or ""
        if unit.startswith("currency"):
            period = "month" if monthly else source.period
            return {"year": self.t(" 元/年", " yuan a year"), "case": self.t(" 元/次", " yuan per case")}.get(
                period, self.t(" 元/月", " yuan a month")
            )
        return {
            "year": self.t(" 岁", " years"),
            "month": self.t(" 个月", " months"),
            "point": self.t(" 分", " points"),
            "class": self.t(" 类", ""),
            "percent": "%",
        }.get(unit, "")

    def rule(self, section: str, item: Item | None, level: int, month: str | None = None) -> list[Item]:
        """Two lines under a computation: the parameter with where its value comes from, and its source.

        Returns the items stated (the value as the source quotes it)."""
        if item is None:
            return []
        path = item.parameter
        source = self.source(path, month)
        label = self.param_label(path)
        repeated = (path, item.period) in self._ruled
        self._ruled.add((path, item.period))
        if source is None:
            self.add(
                section,
                self.t(
                    f"依据：{label}（{path}）：{self.place(self.key)}及其上级此时都没有有效值",
                    f"Rule: {label} ({path}): no value in force for {self.place(self.key)} or its parents",
                ),
                [],
                "rule",
                level,
            )
            return []
        quoted = Item(
            label=label,
            value=source.value,
            kind="parameter",
            parameter=path,
            field="value",
            jurisdiction=self.key,
            period=item.period,
            lang=self.lang,
        )
        if (source.unit or "") == "bool":
            quoted.value = bool(source.value)
        shown = f"{quoted}{self.unit(source)}"
        if source.inherited:
            origin = self.t(
                f"{self.place(self.key)}使用{self.place(source.source_jurisdiction)} {source.start} 起的值",
                f"{self.place(self.key)} uses {self.place(source.source_jurisdiction)}'s value from {source.start}",
            )
        else:
            origin = self.t(
                f"{self.place(self.key)}自己的值，{source.start} 起",
                f"{self.place(self.key)}'s own value from {source.start}",
            )
        confidence = source.confidence or "?"
        confidence_zh, confidence_en = CONFIDENCE_LABELS.get(confidence, (confidence, confidence))
        if repeated:  # sources and notes were given with the first use
            self.add(
                section,
                self.t(
                    f"依据：{label}（{path}）= {shown}（来源同上）",
                    f"Rule: {label} ({path}) = {shown} (source as above)",
                ),
                [quoted],
                "rule",
                level,
            )
            return [quoted]
        self.add(
            section,
            self.t(
                f"依据：{label}（{path}）= {shown}；{origin}；可信度 {confidence}（{confidence_zh}）",
                f"Rule: {label} ({path}) = {shown}; {origin}; confidence {confidence} ({confidence_en})",
            ),
            [quoted],
            "rule",
            level,
        )
        references = (
            source.reference if isinstance(source.reference, list) else [source.reference] if source.reference else []
        )
        for reference in references[:1]:
            if isinstance(reference, dict):
                title = reference.get("title", "")
                quote = reference.get("quote") or reference.get("summary") or ""
                reading = reference.get("reading")
                where = reference.get("source") or reference.get("url") or ""
                text = self.t(f"来源：{title}：“{quote}”", f"Source: {title}: “{quote}”")
                if reading:
                    text += self.t(f"（解读：{reading}）", f" (reading: {reading})")
                if where:
                    text += f" [{where}]"
            else:
                text = self.t(f"来源：{reference}", f"Source: {reference}")
            if len(references) > 1:
                text += self.t(f"（另有 {len(references) - 1} 条来源）", f" (and {len(references) - 1} more)")
            self.add(section, text, [], "source", level)
        if confidence == "assumed" and source.note:
            self.add(section, self.t(f"说明：{source.note}", f"Note: {source.note}"), [], "source", level)
        return [quoted]

    # -- not computed -------------------------------------------------------------------------

    def cause_of(self, missing: _Missing) -> NotComputed:
        rows = {"household": [self.h], "person": self.person_rows}
        variable, parameters, error = self.run.cause(missing.variable, missing.period, rows)
        message = str(error) if error is not None else f"{missing.variable} was not computed"
        for known in self.causes:
            if known.message == message and known.parameters == parameters:
                break
        else:
            known = NotComputed(
                number=len(self.causes) + 1,
                outputs=[],
                error=type(error).__name__ if error is not None else "NotComputed",
                variable=variable,
                parameters=parameters,
                message=message,
                text=self._cause_text(variable, parameters, error, message),
            )
            self.causes.append(known)
        if missing.variable not in known.outputs:
            known.outputs.append(missing.variable)
        return known

    def _cause_text(self, variable: str, parameters: list[str], error, message: str) -> str:
        if isinstance(error, InputError):
            return self.t(
                f"输入无法使用（{variable}）：{message}", f"an input the rules cannot use ({variable}): {message}"
            )
        if not parameters:
            return self.t(f"缺少数值（{variable}）：{message}", f"a missing figure ({variable}): {message}")
        chain = self.registry.chain(self.key)
        searched = self.t("、".join(self.place(k) for k in chain), ", ".join(self.place(k) for k in chain))
        parts = []
        for path, date in parameters:
            resolved = self.run.resolver[path]
            parts.append(
                self.t(
                    f"缺少参数 {path}（{self.param_label(path)}）：{date} 时{searched}都没有有效值"
                    f"（已有值：{resolved.describe_availability()}）",
                    f"missing parameter {path} ({self.param_label(path)}): no value in force on {date} "
                    f"for {searched} (values exist for: {resolved.describe_availability()})",
                )
            )
        hint = self.t(
            "可在 parameters/<参数>/<辖区>.yaml 中补充该值（注明来源，或标为 confidence: assumed），或把相应变量作为输入给出。",
            "Add the value in parameters/<parameter>/<jurisdiction>.yaml (with its source, or confidence: assumed), "
            "or give the variable as an input.",
        )
        return self.t("；".join(parts) + "。" + hint, "; ".join(parts) + ". " + hint)

    def short_cause(self, cause: NotComputed) -> str:
        if cause.parameters:
            what = self.t("缺少参数 ", "missing parameter ") + ", ".join(path for path, _ in cause.parameters)
        elif cause.error == "InputError":
            what = self.t("输入无法使用", "an input the rules cannot use")
        else:
            what = self.t("缺少数值", "a missing figure")
        return self.t(
            f"无法计算：{what}（见“无法计算”第 {cause.number} 条）",
            f"cannot be computed: {what} (see “Not computed” #{cause.number})",
        )

    @contextmanager
    def block(self, section: str, what_zh: str, what_en: str, level: int = 1, verdict: tuple | None = None):
        """Explain a part; if a value it needs was not computed, say so instead (and in the verdicts)."""
        try:
            yield
        except _Missing as missing:
            cause = self.cause_of(missing)
            what = self.t(what_zh, what_en)
            self.add(section, f"{what}{self.t('：', ': ')}{self.short_cause(cause)}", [], "not_computed", level)
            if verdict is not None:
                programme, person = verdict
                self.verdicts.append(
                    Verdict(
                        programme, person, "not_computed", None, f"{what}{self.t('：', ': ')}{self.short_cause(cause)}"
                    )
                )

    # -- the account --------------------------------------------------------------------------

    def build(self) -> HouseholdExplanation:
        titles = {
            "income": ("一、各成员收入", "1. Income of each member"),
            "per_capita": ("二、家庭人均收入", "2. Per-capita income"),
            "standard": ("三、低保标准", "3. Dibao standard"),
            "dibao": ("四、低保", "4. Dibao (minimum living guarantee)"),
            "tekun": ("五、特困人员救助供养", "5. Tekun (extreme-poverty support)"),
            "other": ("六、其他救助", "6. Other benefits"),
            "total": ("七、合计", "7. Total"),
            "not_computed": ("无法计算", "Not computed"),
        }
        for key, (zh, en) in titles.items():
            self.sections[key] = Section(key, self.t(zh, en))
        area = None
        try:
            area = self.val("area")
        except _Missing:
            pass
        self.area = area
        self.explain_income()
        self.explain_per_capita()
        self.explain_standard()
        self.explain_dibao()
        self.explain_tekun()
        self.explain_other()
        self.explain_total()
        for cause in self.causes:
            self.add("not_computed", f"{cause.number}. {cause.text}", [], "not_computed", 1)
            self.add(
                "not_computed",
                self.t("受影响：", "Affects: ") + ", ".join(cause.outputs),
                [],
                "not_computed",
                2,
            )
        members = [self.person_ids[p] for p in self.person_rows]
        area_text = self.enum_label("area", area) if area else "?"
        header = self.t(
            f"家庭 {self.household_id}：{self.place(self.key)}，{area_text}，{self.run.month}，"
            f"{len(members)} 名成员（{'、'.join(members)}）",
            f"Household {self.household_id}: {self.place(self.key)}, {area_text.lower()}, {self.run.month}, "
            f"{len(members)} member(s) ({', '.join(members)})",
        )
        if self.computed_alone:
            header += self.t(
                "\n（本户单独计算：同一情形中有无法计算的输出，各户分别计算，互不影响。）",
                "\n(Computed on its own: something in the situation cannot be computed, so each household was computed separately.)",
            )
        return HouseholdExplanation(
            household=self.household_id,
            period=self.run.month,
            lang=self.lang,
            jurisdiction=self.key,
            jurisdiction_name=self.place(self.key),
            area=area,
            members=members,
            header=header,
            verdicts=self.verdicts,
            sections=list(self.sections.values()),
            not_computed=self.causes,
            parameters=list(self.parameters.values()),
            computed_alone=self.computed_alone,
        )

    # 1. income ---------------------------------------------------------------------------------

    def explain_income(self) -> None:
        s = "income"
        for p in self.person_rows:
            pid = self.person_ids[p]
            with self.block(s, pid, pid):
                age = self.var("age", p)
                self.add(s, self.t(f"{pid}（{age} 岁）", f"{pid} (age {age})"), [age], "step", 1)
                stated = False
                for name in INCOME_PARTS:
                    part = self.var(name, p)
                    if part.value:
                        stated = True
                        self.add(
                            s,
                            self.t(f"{part.label} {part} 元：计入", f"{_cap(part.label)} {part}: counted"),
                            [part],
                            "step",
                            2,
                        )
                self.explain_pension(p)
                self.explain_employment_cost(p)
                self.explain_rigid_expenditure(p)
                with self.block(s, "计入家庭收入", "Income counted", 2):
                    gross = self.var("gross_income", p)
                    net = self.var("countable_income_net", p)
                    terms = [
                        self.var(n, p)
                        for n in ("excluded_basic_pension", "employment_cost_deduction", "rigid_expenditure_deduction")
                    ]
                    terms = [term for term in terms if term.value]
                    if not terms and not gross.value and not stated:
                        self.add(s, self.t(f"无收入，计入 {net} 元", f"no income: {net} counted"), [net], "step", 2)
                    elif not terms:
                        self.add(
                            s,
                            self.t(
                                f"计入家庭收入：{net} 元（全部计入）", f"Counted for the household: {net} (all of it)"
                            ),
                            [net],
                            "step",
                            2,
                        )
                    else:
                        expression = " − ".join([str(gross)] + [str(term) for term in terms])
                        self.add(
                            s,
                            self.t(
                                f"计入家庭收入 = 收入合计 {expression} = {net} 元",
                                f"Counted for the household = gross income {expression} = {net}",
                            ),
                            [gross, *terms, net],
                            "step",
                            2,
                        )

    def explain_pension(self, p: int) -> None:
        s = "income"
        with self.block(s, "基础养老金", "Basic pension", 2):
            pension = self.var("basic_pension_income", p)
            if not pension.value:
                return
            excluded = self.var("excluded_basic_pension", p)
            flag = self.param("excluded_basic_pension", "income.basic_pension_excluded", p)
            if excluded.value:
                self.add(
                    s,
                    self.t(
                        f"基础养老金 {excluded} 元：不计入（规则：{self.param_label('income.basic_pension_excluded')}）",
                        f"Basic pension {excluded}: not counted (rule: {self.param_label('income.basic_pension_excluded')})",
                    ),
                    [pension, excluded],
                    "step",
                    2,
                )
            else:
                self.add(
                    s,
                    self.t(
                        f"基础养老金 {pension} 元：计入（此时当地不适用基础养老金不计入规则）",
                        f"Basic pension {pension}: counted (the exclusion rule does not apply here at this date)",
                    ),
                    [pension],
                    "step",
                    2,
                )
            self.rule(s, flag, 3)

    def explain_employment_cost(self, p: int) -> None:
        s = "income"
        with self.block(s, "就业成本扣减", "Employment-cost deduction", 2):
            if not self.val("is_employed", p):
                return
            deduction = self.var("employment_cost_deduction", p)
            rate = self.param("employment_cost_deduction", "income.employment_cost_rate", p)
            if rate is None:
                return
            if not rate.value:
                self.add(
                    s,
                    self.t(
                        f"就业成本：当地扣减比例为 {rate}，不扣减（扣减 {deduction} 元）",
                        f"Employment cost: the local rate is {rate}, nothing deducted ({deduction})",
                    ),
                    [rate, deduction],
                    "step",
                    2,
                )
            else:
                standard = self.var("dibao_standard")
                earnings = [self.var(n, p) for n in ("wage_income", "business_income")]
                shown = [e for e in earnings if e.value] or earnings[:1]
                total = " + ".join(str(e) for e in shown)
                if sum(e.value for e in earnings) < 0:
                    total = f"max(0, {total})"
                self.add(
                    s,
                    self.t(
                        f"就业成本扣减 = min({rate} × 低保标准 {standard}，就业收入 {total}) = {deduction} 元",
                        f"Employment-cost deduction = min({rate} × dibao standard {standard}, earnings {total}) = {deduction}",
                    ),
                    [rate, standard, *shown, deduction],
                    "step",
                    2,
                )
            self.rule(s, rate, 3)

    def explain_rigid_expenditure(self, p: int) -> None:
        s = "income"
        with self.block(s, "刚性支出扣减", "Rigid-expenditure deduction", 2):
            spending = [self.var(n, p) for n in ("medical_expenses", "education_expenses")]
            shown = [x for x in spending if x.value]
            if not shown:
                return
            deduction = self.var("rigid_expenditure_deduction", p)
            share = self.param("rigid_expenditure_deduction", "income.rigid_expenditure_deduction_share", p)
            parts = " + ".join(f"{x.label} {x}" for x in shown)
            if len(shown) > 1:
                parts = f"({parts})"
            self.add(
                s,
                self.t(
                    f"刚性支出扣减 = {share} × {parts} = {deduction} 元",
                    f"Rigid-expenditure deduction = {share} × {parts} = {deduction}",
                ),
                [x for x in [share, *shown, deduction] if x is not None],
                "step",
                2,
            )
            self.rule(s, share, 3)

    # 2. per-capita income ----------------------------------------------------------------------

    def counted_members(self) -> tuple[list[int], list[int]]:
        counted, tekun = [], []
        for p in self.person_rows:
            (tekun if self.val("tekun_eligible", p) else counted).append(p)
        return counted, tekun

    def explain_per_capita(self) -> None:
        s = "per_capita"
        with self.block(s, "人均收入", "Per-capita income"):
            counted, tekun = self.counted_members()
            size = self.var("dibao_unit_size")
            names = (
                "、".join(self.person_ids[p] for p in counted)
                if self.lang == "zh"
                else ", ".join(self.person_ids[p] for p in counted)
            )
            text = self.t(
                f"计入低保的成员：{names or '无'}（{size} 人）",
                f"Members counted for dibao: {names or 'none'} ({size})",
            )
            if tekun:
                excluded = self.t("、", ", ").join(self.person_ids[p] for p in tekun)
                text += self.t(
                    f"；特困人员 {excluded} 不计入（另按特困供养）",
                    f"; tekun member(s) {excluded} not counted (supported as tekun)",
                )
            self.add(s, text, [size])
            countable = self.var("dibao_countable_income")
            terms = [self.var("countable_income_net", p) for p in counted]
            if len(terms) > 1 or any(t.value < 0 for t in terms):
                expression = " + ".join(f"({t})" if t.value < 0 else str(t) for t in terms)
                if any(t.value < 0 for t in terms):
                    expression = f"max(0, {expression})"
                self.add(
                    s,
                    self.t(
                        f"家庭可计收入 = {expression} = {countable} 元/月",
                        f"Household countable income = {expression} = {countable} a month",
                    ),
                    [*terms, countable],
                )
            else:
                self.add(
                    s,
                    self.t(f"家庭可计收入 = {countable} 元/月", f"Household countable income = {countable} a month"),
                    [countable],
                )
            per_capita = self.var("dibao_per_capita_income")
            if size.value:
                self.add(
                    s,
                    self.t(
                        f"人均收入 = {countable} ÷ {size} = {per_capita} 元/人·月",
                        f"Per-capita income = {countable} ÷ {size} = {per_capita} per person a month",
                    ),
                    [countable, size, per_capita],
                )
            else:
                self.add(
                    s,
                    self.t(
                        f"没有成员计入低保，人均收入记为 {per_capita}",
                        f"Nobody is counted for dibao; per-capita income reads {per_capita}",
                    ),
                    [per_capita],
                )

    # 3. standard -------------------------------------------------------------------------------

    def explain_standard(self) -> None:
        s = "standard"
        with self.block(s, "低保标准", "Dibao standard"):
            standard = self.var("dibao_standard")
            if self.run.given("dibao_standard"):
                self.add(
                    s,
                    self.t(
                        f"低保标准 {standard} 元/人·月：作为输入给出（没有使用参数）",
                        f"Dibao standard {standard} per person a month: given as an input (no parameter used)",
                    ),
                    [standard],
                )
                return
            path = f"dibao.standard_{self.area}"
            monthly = self.param("dibao_standard", path)
            source = self.source(path)
            area = self.enum_label("area", self.area)
            if source is not None and source.period == "year":
                quoted = Item(
                    self.param_label(path),
                    source.value,
                    "parameter",
                    parameter=path,
                    field="value",
                    jurisdiction=self.key,
                    period=self.run.date,
                    lang=self.lang,
                )
                divisor = Item(
                    self.t("每年月数", "months a year"), int(PERIOD_DIVISORS["year"]), "constant", lang=self.lang
                )
                self.add(
                    s,
                    self.t(
                        f"{area}低保标准：{quoted} 元/人·年 ÷ {divisor} = {standard} 元/人·月",
                        f"{area} dibao standard: {quoted} yuan per person a year ÷ {divisor} = {standard} per person a month",
                    ),
                    [quoted, divisor, standard] + ([monthly] if monthly else []),
                )
            else:
                self.add(
                    s,
                    self.t(
                        f"{area}低保标准：{standard} 元/人·月", f"{area} dibao standard: {standard} per person a month"
                    ),
                    [standard] + ([monthly] if monthly else []),
                )
            self.rule(s, monthly, 2)

    # 4. dibao ----------------------------------------------------------------------------------

    def explain_dibao(self) -> None:
        s = "dibao"
        with self.block(s, "低保", "Dibao", verdict=("dibao", None)):
            size = self.var("dibao_unit_size")
            if not size.value:
                benefit = self.var("dibao_benefit")
                text = self.t(
                    "低保：全体成员都是特困人员，低保不适用", "Dibao: every member is tekun; dibao does not apply"
                )
                self.add(s, text, [])
                self.verdicts.append(Verdict("dibao", None, "not_applicable", benefit.value, text, [benefit]))
                return
            per_capita = self.var("dibao_per_capita_income")
            standard = self.var("dibao_standard")
            eligible = self.var("dibao_eligible")
            below = per_capita.value < standard.value
            points_ok = self.explain_points()
            comparison = self.t(
                f"人均收入 {per_capita} 元 {'<' if below else '≥'} 标准 {standard} 元",
                f"per-capita income {per_capita} {'<' if below else '≥'} standard {standard}",
            )
            if eligible.value:
                outcome = self.t("，符合低保", ", eligible for dibao")
            elif below and not self.val("property_within_limits"):
                outcome = self.t(
                    "，但家庭财产超出当地规定，不符合低保", ", but property is over the local limits: not eligible"
                )
            elif below and not points_ok:
                outcome = self.t("，但积分未达标，不符合低保", ", but the points fall short: not eligible")
            else:
                outcome = self.t("，不符合低保", ", not eligible for dibao")
            self.add(s, self.t("认定：", "Test: ") + comparison + outcome, [per_capita, standard])
            verdict_text = self.t("低保：", "Dibao: ") + comparison + outcome
            verdict_items = [per_capita, standard]
            status = "eligible" if eligible.value else "not_eligible"

            if eligible.value:
                regular = self.var("dibao_regular_benefit")
                payment = self.explain_payment(regular, per_capita, standard, size)
                verdict_text += self.t(f"；{payment}", f"; {payment}")
                verdict_items.append(regular)
            else:
                exit_text, exit_items, in_exit = self.explain_gradual_exit()
                if exit_text:
                    verdict_text += self.t(f"；{exit_text}", f"; {exit_text}")
                    verdict_items += exit_items
                if in_exit:
                    status = "gradual_exit"
            single_text, single_items = self.explain_single_person(standard)
            if single_text:
                verdict_text += self.t(f"；{single_text}", f"; {single_text}")
                verdict_items += single_items
                if status == "not_eligible":
                    status = "single_person"
            marginal_text, marginal_items = self.explain_marginal(per_capita, standard)
            if marginal_text:
                verdict_text += self.t(f"；{marginal_text}", f"; {marginal_text}")
                verdict_items += marginal_items
            benefit = self.explain_dibao_total()
            verdict_text += self.t(f"。本月低保金 {benefit} 元", f". Dibao this month: {benefit}")
            verdict_items.append(benefit)
            self.verdicts.append(Verdict("dibao", None, status, benefit.value, verdict_text, verdict_items))

    def explain_points(self) -> bool:
        """玉溪's points test, where the jurisdiction uses it; True when it passes or is not used."""
        s = "dibao"
        uses = self.param("dibao_points_pass", "dibao.uses_points")
        if uses is None or not uses.value:
            return True
        parts = [
            self.var(n)
            for n in ("dibao_points_labour", "dibao_points_income", "dibao_points_property", "dibao_points_adjustment")
        ]
        score = self.var("dibao_points_score")
        mark = self.param("dibao_points_pass", "dibao.points_pass_mark")
        passed = self.val("dibao_points_pass")
        expression = " + ".join(f"{p.label} {p}" for p in parts)
        self.add(
            s,
            self.t(
                f"积分制：{expression} = {score} 分 {'≥' if passed else '<'} 认定分数线 {mark} 分 → {'达标' if passed else '未达标'}",
                f"Points: {expression} = {score} {'≥' if passed else '<'} pass mark {mark} → {'passes' if passed else 'fails'}",
            ),
            [*parts, score, mark],
        )
        self.rule(s, uses, 2)
        self.rule(s, mark, 2)
        return bool(passed)

    def explain_payment(self, regular: Item, per_capita: Item, standard: Item, size: Item) -> str:
        s = "dibao"
        by_class = self.val("dibao_pays_by_class")
        method = self.param("dibao_pays_by_class", f"dibao.pays_by_class_{self.area}")
        if by_class:
            counted, _ = self.counted_members()
            terms, items, paths = [], [], {}
            for p in counted:
                cls = self.val("dibao_class", p)
                amount = self.var("dibao_class_amount", p)
                terms.append(
                    self.t(
                        f"{self.person_ids[p]} {cls.upper()} 类 {amount}",
                        f"{self.person_ids[p]} class {cls.upper()} {amount}",
                    )
                )
                items.append(amount)
                paths.setdefault(f"dibao.class_amount_{cls}", p)
            text = self.t(
                f"分档发放：{' + '.join(terms)} = {regular} 元/月",
                f"Paid by class: {' + '.join(terms)} = {regular} a month",
            )
            self.add(s, text, [*items, regular])
            self.rule(s, method, 2)
            for path, p in paths.items():
                self.rule(s, self.param("dibao_class_amount", path, p), 2)
            short = self.t(f"分档发放 {regular} 元/月", f"paid by class: {regular} a month")
        else:
            text = self.t(
                f"差额发放：（{standard} − {per_capita}）× {size} = {regular} 元/月",
                f"Paid by the gap: ({standard} − {per_capita}) × {size} = {regular} a month",
            )
            self.add(s, text, [standard, per_capita, size, regular])
            self.rule(s, method, 2)
            short = self.t(f"差额发放 {regular} 元/月", f"gap payment {regular} a month")
        return short

    def explain_gradual_exit(self) -> tuple[str, list[Item], bool]:
        s = "dibao"
        last = self.var("dibao_recipient_last_month")
        if not last.value:
            return "", [], False
        months = self.var("dibao_months_above_standard")
        active = self.var("dibao_gradual_exit_active")
        length = self.param("dibao_gradual_exit_active", "dibao.gradual_exit_months")
        given = self.t("（输入）", " (input)") if self.run.given("dibao_recipient_last_month") else ""
        if active.value:
            base = self.var("dibao_exit_base_benefit")
            share = self.param("dibao_gradual_exit_benefit", "dibao.gradual_exit_benefit_share")
            benefit = self.var("dibao_gradual_exit_benefit")
            self.add(
                s,
                self.t(
                    f"渐退：上月享受低保{given}，本月收入超标，处于渐退期第 {months} 个月（渐退期 {length} 个月）",
                    f"Gradual exit: on dibao last month{given}, income now above the standard: month {months} of the {length}-month exit period",
                ),
                [months, length],
            )
            base_given = self.t("（输入）", " (input)") if self.run.given("dibao_exit_base_benefit") else ""
            self.add(
                s,
                self.t(
                    f"渐退期低保金 = {share} × 渐退前常规低保金 {base}{base_given} = {benefit} 元/月",
                    f"Gradual-exit benefit = {share} × regular benefit before the exit {base}{base_given} = {benefit} a month",
                ),
                [share, base, benefit],
            )
            self.rule(s, length, 2)
            self.rule(s, share, 2)
            return (
                self.t(
                    f"处于渐退期第 {months} 个月，渐退期低保金 {benefit} 元/月",
                    f"in month {months} of the gradual exit, paying {benefit} a month",
                ),
                [months, benefit],
                True,
            )
        self.add(
            s,
            self.t(
                f"渐退：上月享受低保{given}，本月为收入超标第 {months} 个月，超过渐退期 {length} 个月，低保停发",
                f"Gradual exit: on dibao last month{given}; this is month {months} above the standard, past the {length}-month exit period: dibao stops",
            ),
            [months, length],
        )
        self.rule(s, length, 2)
        return (
            self.t(
                f"渐退期已满（第 {months} 个月 > {length} 个月）",
                f"the gradual exit is over (month {months} > {length})",
            ),
            [months, length],
            False,
        )

    def explain_single_person(self, standard: Item) -> tuple[str, list[Item]]:
        s = "dibao"
        summaries, summary_items = [], []
        for p in self.person_rows:
            pid = self.person_ids[p]
            with self.block(s, f"单人户（{pid}）", f"Single-person unit ({pid})", 1):
                severe = self.val("is_severely_disabled", p)
                ill = self.val("has_serious_illness", p)
                if not (severe or ill):
                    continue
                who = self.t("重度残疾" if severe else "重病", "severely disabled" if severe else "seriously ill")
                unit = self.val("dibao_single_person_unit", p)
                allowed = self.param("dibao_single_person_unit", "dibao.single_person_unit_allowed", p)
                own = self.var("own_countable_income", p)
                if unit:
                    benefit = self.var("dibao_single_person_benefit", p)
                    if self.val("dibao_pays_by_class"):
                        cls = self.val("dibao_class", p).upper()
                        pay = self.t(f"按 {cls} 类发放 {benefit} 元/月", f"paid class {cls}: {benefit} a month")
                        pay_items = [benefit]
                    else:
                        pay = self.t(f"{standard} − {own} = {benefit} 元/月", f"{standard} − {own} = {benefit} a month")
                        pay_items = [standard, own, benefit]
                    self.add(
                        s,
                        self.t(
                            f"单人户：{pid}（{who}），家庭为低保边缘家庭，本人可计收入 {own} 元 < 标准 {standard} 元 → 单独纳入低保；{pay}",
                            f"Single-person unit: {pid} ({who}), in a marginal family, own countable income {own} < standard {standard} → covered alone; {pay}",
                        ),
                        [own, standard, *pay_items],
                    )
                    self.rule(s, allowed, 2)
                    summaries.append(
                        self.t(f"{pid} 作为单人户纳入低保 {benefit} 元/月", f"{pid} covered alone ({benefit} a month)")
                    )
                    summary_items.append(benefit)
                    continue
                if self.val("tekun_eligible", p):
                    reason, items = self.t("本人是特困人员", "they are tekun"), []
                elif allowed is not None and not allowed.value:
                    reason, items = self.t("当地此时不实行单人户", "not allowed here at this date"), []
                elif self.val("dibao_recipient"):
                    reason, items = self.t("家庭已享受低保", "the family already receives dibao"), []
                elif not self.val("dibao_marginal_family"):
                    reason, items = self.t("家庭不是低保边缘家庭", "the family is not a marginal family"), []
                elif own.value < standard.value and not self.val("dibao_single_person_points_pass", p):
                    reason, items = self.t("本人积分未达标", "their own points fall short of the pass mark"), []
                else:
                    reason = self.t(
                        f"本人可计收入 {own} 元 ≥ 标准 {standard} 元",
                        f"own countable income {own} ≥ standard {standard}",
                    )
                    items = [own, standard]
                self.add(
                    s,
                    self.t(
                        f"单人户：{pid}（{who}）不单独纳入低保：{reason}",
                        f"Single-person unit: {pid} ({who}) is not covered alone: {reason}",
                    ),
                    items,
                )
                self.rule(s, allowed, 2)
        return self.t("；".join(summaries), "; ".join(summaries)), summary_items

    def explain_marginal(self, per_capita: Item, standard: Item) -> tuple[str, list[Item]]:
        s = "dibao"
        text, items = "", []
        with self.block(s, "低保边缘家庭", "Marginal family"):
            if self.val("dibao_recipient"):
                return "", []
            marginal = self.val("dibao_marginal_family")
            multiple = self.param("dibao_marginal_family", "dibao.marginal_income_multiplier")
            if multiple is None:
                return "", []
            below = per_capita.value < multiple.value * standard.value
            relation = "<" if below else "≥"
            verdict = self.t(
                "是低保边缘家庭" if marginal else "不是低保边缘家庭",
                "a marginal family" if marginal else "not a marginal family",
            )
            if below and not marginal:  # property over the local limits
                verdict = self.t("但家庭财产超出当地规定，", "but property is over the local limits: ") + verdict
            self.add(
                s,
                self.t(
                    f"低保边缘：人均收入 {per_capita} 元 {relation} {multiple} × 标准 {standard} 元 → {verdict}",
                    f"Marginal family: per-capita income {per_capita} {relation} {multiple} × standard {standard} → {verdict}",
                ),
                [per_capita, multiple, standard],
            )
            self.rule(s, multiple, 2)
            if marginal:
                text = self.t("属低保边缘家庭", "a marginal (低保边缘) family")
        return text, items

    def explain_dibao_total(self) -> Item:
        s = "dibao"
        benefit = self.var("dibao_benefit")
        parts = [self.var("dibao_regular_benefit"), self.var("dibao_gradual_exit_benefit")]
        parts += [self.var("dibao_single_person_benefit", p) for p in self.person_rows]
        shown = [p for p in parts if p.value]
        if len(shown) > 1:
            expression = " + ".join(f"{p.label} {p}" for p in shown)
            self.add(
                s,
                self.t(f"本月低保金 = {expression} = {benefit} 元", f"Dibao this month = {expression} = {benefit}"),
                [*shown, benefit],
            )
        else:
            self.add(s, self.t(f"本月低保金 {benefit} 元", f"Dibao this month: {benefit}"), [benefit])
        return benefit

    # 5. tekun ----------------------------------------------------------------------------------

    def explain_tekun(self) -> None:
        s = "tekun"
        for p in self.person_rows:
            pid = self.person_ids[p]
            with self.block(s, f"特困（{pid}）", f"Tekun ({pid})", verdict=("tekun", pid)):
                self.explain_tekun_person(p, pid)

    def explain_tekun_person(self, p: int, pid: str) -> None:
        s = "tekun"
        self.add(s, pid, [], "step", 1)
        # condition 1: no work capacity
        age = self.var("age", p)
        threshold = self.var("tekun_age_threshold", p)
        minor = self.param("tekun_no_work_capacity", "tekun.minor_age_limit", p)
        severe = self.val("tekun_severely_disabled", p)
        no_capacity = self.val("tekun_no_work_capacity", p)
        general = self.param("tekun_age_threshold", "tekun.age_threshold", p)
        hardship_rule = []
        if general is not None and threshold.value != general.value:
            area_class = self.var("hardship_area_class")
            min_class = self.param("tekun_age_threshold", "tekun.hardship_area_min_class", p)
            hardship_age = self.param("tekun_age_threshold", "tekun.age_threshold_hardship_area", p)
            self.add(
                s,
                self.t(
                    f"艰苦边远地区 {area_class} 类（≥ {min_class} 类）：年龄条件为 {threshold} 岁（一般为 {general} 岁）",
                    f"Hardship area class {area_class} (≥ {min_class}): age threshold {threshold} (generally {general})",
                ),
                [area_class, min_class, threshold, general],
                "step",
                2,
            )
            hardship_rule = [hardship_age, min_class]
        for item in hardship_rule:
            self.rule(s, item, 3)
        reasons, items = [], []
        if no_capacity:
            if age.value >= threshold.value:
                reasons.append(self.t(f"{age} 岁 ≥ {threshold} 岁", f"age {age} ≥ {threshold}"))
                items += [age, threshold]
            if minor is not None and age.value < minor.value:
                reasons.append(self.t(f"{age} 岁 < {minor} 岁（未成年）", f"age {age} < {minor} (a minor)"))
                items += [age, minor]
            if severe:
                reasons.append(self.t("重度残疾", "severely disabled"))
            condition = self.t(
                f"① 无劳动能力：满足（{'；'.join(reasons)}）", f"(a) No work capacity: met ({'; '.join(reasons)})"
            )
        elif minor is not None:
            condition = self.t(
                f"① 无劳动能力：不满足（{age} 岁，不满 {threshold} 岁，也不小于 {minor} 岁；非重度残疾）",
                f"(a) No work capacity: not met (age {age}: below {threshold}, not below {minor}; not severely disabled)",
            )
            items += [age, threshold, minor]
        else:
            condition = self.t(
                f"① 无劳动能力：不满足（{age} 岁，不满 {threshold} 岁；非重度残疾）",
                f"(a) No work capacity: not met (age {age}, below {threshold}; not severely disabled)",
            )
            items += [age, threshold]
        self.add(s, condition, items, "step", 2)
        # condition 2: no livelihood
        own = self.var("own_countable_income", p)
        standard = self.var("dibao_standard")
        no_livelihood = self.val("tekun_no_livelihood", p)
        below = own.value < standard.value
        over_property = (
            self.t("，但家庭财产超出当地规定", "; but property is over the local limits")
            if below and not no_livelihood
            else ""
        )
        self.add(
            s,
            self.t(
                f"② 无生活来源：{'满足' if no_livelihood else '不满足'}（本人可计收入 {own} 元 {'<' if below else '≥'} 低保标准 {standard} 元{over_property}）",
                f"(b) No livelihood: {'met' if no_livelihood else 'not met'} (own countable income {own} {'<' if below else '≥'} dibao standard {standard}{over_property})",
            ),
            [own, standard],
            "step",
            2,
        )
        # condition 3: no able supporter
        supporter = self.val("has_able_supporter", p)
        self.add(
            s,
            self.t(
                f"③ 无法定赡养、抚养、扶养义务人或其无履行能力：{'不满足（有具备能力的义务人）' if supporter else '满足'}",
                f"(c) No legal supporter able to support: {'not met (has one)' if supporter else 'met'}",
            ),
            [],
            "step",
            2,
        )
        excluded = self.val("tekun_excluded_as_supported_child", p)
        if excluded:  # 特困人员认定办法 2021 (R): not also 特困
            text = self.t(
                "已纳入孤儿或事实无人抚养儿童基本生活保障，不再认定为特困",
                "under orphan or de facto unsupported child support: not also tekun",
            )
            self.add(s, text, [], "step", 2)
        eligible = self.val("tekun_eligible", p)
        if not eligible:
            failed = [
                name
                for name, ok in (
                    (self.t("有劳动能力", "can work"), no_capacity),
                    (self.t("有生活来源", "has a livelihood"), no_livelihood),
                    (self.t("有赡养人", "has a supporter"), not supporter),
                    (self.t("已享受孤儿保障", "under orphan support"), not excluded),
                )
                if not ok
            ]
            text = self.t(
                f"特困：{pid} 不符合（{'、'.join(failed)}）", f"Tekun: {pid} not eligible ({', '.join(failed)})"
            )
            self.add(s, self.t("→ 不符合特困供养条件", "→ not eligible for tekun"), [], "step", 2)
            basic = self.var("tekun_basic_allowance", p)
            self.verdicts.append(Verdict("tekun", pid, "not_eligible", basic.value, text, [basic]))
            return
        self.add(s, self.t("→ 三项条件均满足，为特困人员", "→ all three conditions met: tekun"), [], "step", 2)
        basic = self.var("tekun_basic_allowance", p)
        own_standard = self.param("tekun_basic_allowance", f"tekun.basic_standard_{self.area}", p)
        ratio = self.param("tekun_basic_allowance", "tekun.basic_ratio_to_dibao", p)
        if own_standard is not None and not math.isnan(own_standard.value):
            own_text = self.t(f"当地特困标准 {own_standard}", f"local tekun standard {own_standard}")
        else:
            own_text = "—"
        if ratio is not None and not math.isnan(ratio.value):
            ratio_text = self.t(f"{ratio} × 低保标准 {standard}", f"{ratio} × dibao standard {standard}")
            ratio_items = [ratio, standard]
        else:
            ratio_text, ratio_items = "—", []
        self.add(
            s,
            self.t(
                f"基本生活费 = max({own_text}，{ratio_text}) = {basic} 元/月",
                f"Basic allowance = max({own_text}, {ratio_text}) = {basic} a month",
            ),
            [x for x in [own_standard] if x is not None and not math.isnan(x.value)] + ratio_items + [basic],
            "step",
            2,
        )
        for item in (own_standard, ratio):
            if item is not None and not math.isnan(item.value):
                self.rule(s, item, 3)
        text = self.t(
            f"特困：{pid} 符合，基本生活费 {basic} 元/月", f"Tekun: {pid} eligible, basic allowance {basic} a month"
        )
        items = [basic]
        care_text = ""
        with self.block(s, "照料护理费", "Care allowance", 2):
            level = self.val("self_care_level", p)
            care = self.var("tekun_care_allowance", p)
            rate = self.param("tekun_care_allowance", f"tekun.care_rate_{level}", p)
            wage = self.param("tekun_care_allowance", "wages.minimum_wage", p)
            self.add(
                s,
                self.t(
                    f"照料护理费（{self.enum_label('self_care_level', level)}）= {rate} × 最低工资 {wage} = {care} 元/月",
                    f"Care allowance ({self.enum_label('self_care_level', level).lower()}) = {rate} × minimum wage {wage} = {care} a month",
                ),
                [rate, wage, care],
                "step",
                2,
            )
            self.rule(s, rate, 3)
            self.rule(s, wage, 3)
            care_text = self.t(f"，照料护理费 {care} 元/月", f", care allowance {care} a month")
            items.append(care)
        if not care_text:
            care_text = self.t(
                "，照料护理费无法计算（见“无法计算”）", "; the care allowance cannot be computed (see “Not computed”)"
            )
        self.verdicts.append(Verdict("tekun", pid, "eligible", basic.value, text + care_text, items))

    # 6. other benefits -------------------------------------------------------------------------

    def explain_other(self) -> None:
        for p in self.person_rows:
            pid = self.person_ids[p]
            for name, method in (
                ("orphan_allowance", self.explain_orphan),
                ("disability_living_subsidy", self.explain_disability_living),
                ("disability_care_subsidy", self.explain_disability_care),
                ("one_off_living_subsidy", self.explain_one_off),
                ("price_subsidy", self.explain_price_subsidy),
            ):
                zh, en = self.run.labels[name]
                with self.block("other", f"{zh}（{pid}）", f"{en.capitalize()} ({pid})", verdict=(name, pid)):
                    method(p, pid)
        with self.block("other", "临时救助", "Temporary assistance", verdict=("temporary_assistance", None)):
            self.explain_temporary_assistance()
        with self.block(
            "other",
            "刚性支出困难家庭",
            "Rigid-expenditure hardship family",
            verdict=("rigid_expenditure_hardship", None),
        ):
            self.explain_rigid_hardship()

    def _benefit_verdict(self, programme: str, pid: str | None, amount: Item, reason: str, items: list[Item]) -> None:
        status = "paid" if amount.value else "not_paid"
        who = self.t(f"（{pid}）", f" ({pid})") if pid else ""
        text = self.t(f"{amount.label}{who}：{amount} 元", f"{_cap(amount.label)}{who}: {amount}")
        text += self.t(f"（{reason}）", f" ({reason})") if reason else ""
        self.verdicts.append(Verdict(programme, pid, status, amount.value, text, [*items, amount]))

    def explain_orphan(self, p: int, pid: str) -> None:
        s = "other"
        status = self.val("child_care_status", p)
        if status == "none":
            return
        amount = self.var("orphan_allowance", p)
        label = self.enum_label("child_care_status", status)
        standard = None
        if status == "orphan_institutional":
            standard = self.param("orphan_allowance", "orphan.standard_institutional", p)
        elif (
            status == "orphan_scattered" or amount.value
        ):  # a de facto unsupported child paid at the scattered standard
            standard = self.param("orphan_allowance", "orphan.standard_scattered", p)
        flag = (
            self.param("orphan_allowance", "orphan.de_facto_unsupported_at_scattered_standard", p)
            if status == "de_facto_unsupported"
            else None
        )
        self.add(
            s,
            self.t(
                f"{pid}：{label} → {amount.label} {amount} 元/月",
                f"{pid}: {label.lower()} → {amount.label} {amount} a month",
            ),
            [amount],
        )
        for item in (flag, standard):
            if item is not None and not math.isnan(item.value):
                self.rule(s, item, 2)
        self._benefit_verdict("orphan_allowance", pid, amount, label, [])

    def explain_disability_living(self, p: int, pid: str) -> None:
        s = "other"
        grade = self.var("disability_grade", p)
        if grade.value < 1:
            return
        amount = self.var("disability_living_subsidy", p)
        in_dibao = self.val("dibao_recipient") or self.val("dibao_covered_person", p)
        if amount.value or (in_dibao and grade.value <= 4):
            rate = self.param("disability_living_subsidy", self._disability_living_path(p, grade.value), p)
            reason = self.t(f"残疾 {grade} 级，享受低保", f"disability grade {grade}, on dibao")
            self.add(
                s,
                self.t(
                    f"{pid}：{reason} → {amount.label} {amount} 元/月",
                    f"{pid}: {reason} → {amount.label} {amount} a month",
                ),
                [grade, amount],
            )
            self.rule(s, rate, 2)
        else:
            reason = self.t(f"残疾 {grade} 级，但不享受低保", f"disability grade {grade}, but not on dibao")
            self.add(s, self.t(f"{pid}：{reason} → 无{amount.label}", f"{pid}: {reason} → no {amount.label}"), [grade])
        self._benefit_verdict("disability_living_subsidy", pid, amount, reason, [grade])

    def _disability_living_path(self, p: int, grade: int) -> str:
        """The living-subsidy amount the formula paid this person: a minors' or grades 3–4 amount where the
        jurisdiction sets one, else the general amount (variables/disability/disability_living_subsidy.py)."""

        def looked_up(path):
            value = self.run.lookup("disability_living_subsidy", path, p)
            return None if value is None or math.isnan(value) else value

        limit = looked_up("disability.living_subsidy_minor_age_limit")
        if (
            limit is not None
            and self.val("age", p) < limit
            and looked_up("disability.living_subsidy_amount_minor") is not None
        ):
            return "disability.living_subsidy_amount_minor"
        if grade >= 3 and looked_up("disability.living_subsidy_amount_grades_3_4") is not None:
            return "disability.living_subsidy_amount_grades_3_4"
        return "disability.living_subsidy_amount"

    def explain_disability_care(self, p: int, pid: str) -> None:
        s = "other"
        grade = self.var("disability_grade", p)
        if grade.value < 1:
            return
        amount = self.var("disability_care_subsidy", p)
        level = self.val("self_care_level", p)
        level_label = self.enum_label("self_care_level", level)
        max_grade = self.param("disability_care_subsidy", "disability.care_subsidy_max_grade", p)
        if amount.value:
            grade_2 = self.run.lookup("disability_care_subsidy", "disability.care_subsidy_amount_grade_2", p)
            own_grade_2 = grade.value == 2 and grade_2 is not None and not math.isnan(grade_2)
            path = "disability.care_subsidy_amount" + ("_grade_2" if own_grade_2 else "")
            subsidy = self.param("disability_care_subsidy", path, p)
            reason = self.t(
                f"残疾 {grade} 级 ≤ {max_grade} 级，{level_label}，需长期照护",
                f"grade {grade} ≤ {max_grade}, {level_label.lower()}: needs long-term care",
            )
            self.add(
                s,
                self.t(
                    f"{pid}：{reason} → {amount.label} {amount} 元/月",
                    f"{pid}: {reason} → {amount.label} {amount} a month",
                ),
                [grade, max_grade, amount],
            )
            self.rule(s, max_grade, 2)
            self.rule(s, subsidy, 2)
            items = [grade, max_grade]
        elif level == "self_care":
            reason = self.t(
                f"残疾 {grade} 级，{level_label}，不需长期照护",
                f"grade {grade}, {level_label.lower()}: no long-term care needed",
            )
            self.add(s, self.t(f"{pid}：{reason} → 无{amount.label}", f"{pid}: {reason} → no {amount.label}"), [grade])
            items = [grade]
        else:
            reason = self.t(f"残疾 {grade} 级 > {max_grade} 级", f"grade {grade} > {max_grade}")
            self.add(
                s,
                self.t(f"{pid}：{reason} → 无{amount.label}", f"{pid}: {reason} → no {amount.label}"),
                [grade, max_grade],
            )
            self.rule(s, max_grade, 2)
            items = [grade, max_grade]
        self._benefit_verdict("disability_care_subsidy", pid, amount, reason, items)

    def explain_one_off(self, p: int, pid: str) -> None:
        if not (self.val("dibao_covered_person", p) or self.val("tekun_eligible", p)):
            return
        path = self.run.yearly["one_off_living_subsidy"][0]
        amount = self.run.resolver[path].table(f"{self.run.date[:4]}-01-01")[self.registry.index[self.key]]
        if amount == 0:
            return  # no payment in the year here: 0 in every month
        self.var("one_off_living_subsidy", p)  # paid in the year, month unknown: reported as not computed

    def explain_price_subsidy(self, p: int, pid: str) -> None:
        s = "other"
        if not self.val("price_subsidy_covered", p):
            return
        amount = self.var("price_subsidy", p)
        rise = self.var("price_subsidy_rise")
        if rise.value:
            standard = self.var("dibao_standard")
            self.add(
                s,
                self.t(
                    f"{pid}：价格临时补贴 = 低保标准 {standard} × 涨幅 {rise}% = {amount} 元",
                    f"{pid}: price subsidy = dibao standard {standard} × rise {rise}% = {amount}",
                ),
                [standard, rise, amount],
            )
            reason, items = self.t(f"启动涨幅 {rise}%", f"triggering rise {rise}%"), [rise]
        else:
            self.add(
                s,
                self.t(
                    f"{pid}：属价格临时补贴保障对象，但上月物价涨幅未达到启动条件 → {amount} 元",
                    f"{pid}: covered by the price subsidy, but last month's price rise did not reach the trigger → {amount}",
                ),
                [amount],
            )
            reason, items = self.t("未启动", "not triggered"), []
        self._benefit_verdict("price_subsidy", pid, amount, reason, items)

    def explain_temporary_assistance(self) -> None:
        s = "other"
        requested = self.var("temporary_assistance_requested")
        if not requested.value:
            return
        limit = self.var("temporary_assistance_township_limit")
        level = self.val("temporary_assistance_approval_level")
        level_label = self.enum_label("temporary_assistance_approval_level", level)
        limit_rule = self.param("temporary_assistance_township_limit", "temporary_assistance.township_approval_limit")
        items = [requested, limit]
        if requested.value <= limit.value:
            text = self.t(
                f"临时救助申请 {requested} 元 ≤ 乡镇审批权限 {limit} 元 → {level_label}",
                f"Temporary assistance requested {requested} ≤ township limit {limit} → {level_label.lower()}",
            )
            self.add(s, text, items)
            self.rule(s, limit_rule, 2)
        else:
            cap = self.var("temporary_assistance_cap")
            multiple = self.param(
                "temporary_assistance_cap", "temporary_assistance.cap_multiple_of_annual_urban_standard"
            )
            urban = self.param("temporary_assistance_cap", "dibao.standard_urban")
            twelve = Item(self.t("每年月数", "months a year"), 12, "constant", lang=self.lang)
            relation = "≤" if requested.value <= cap.value else ">"
            text = self.t(
                f"临时救助申请 {requested} 元 > 乡镇审批权限 {limit} 元；上限 = {multiple} × {twelve} × 城市低保标准 {urban} = {cap} 元，"
                f"申请 {relation} 上限 → {level_label}",
                f"Temporary assistance requested {requested} > township limit {limit}; cap = {multiple} × {twelve} × urban "
                f"standard {urban} = {cap}; request {relation} cap → {level_label.lower()}",
            )
            items += [multiple, twelve, urban, cap]
            self.add(s, text, items)
            self.rule(s, limit_rule, 2)
            self.rule(s, multiple, 2)
        self.verdicts.append(
            Verdict(
                "temporary_assistance",
                None,
                level,
                None,
                self.t(
                    f"临时救助：申请 {requested} 元，{level_label}",
                    f"Temporary assistance: {requested} requested, {level_label.lower()}",
                ),
                [requested],
            )
        )

    def explain_rigid_hardship(self) -> None:
        s = "other"
        spending = self.var("rigid_expenditure_past_12_months")
        if not spending.value:
            return
        if self.run.system.variables["rigid_expenditure_hardship_family"].get_formula(self.run.period) is None:
            text = self.t(
                "刚性支出困难家庭：本月尚无认定规则（民政部认定办法 2024 年 11 月起适用）",
                "Rigid-expenditure hardship family: no rule in force this month (the national measure applies from 2024-11)",
            )
            self.add(s, text, [])
            self.verdicts.append(Verdict("rigid_expenditure_hardship", None, "not_applicable", None, text))
            return
        family = self.val("rigid_expenditure_hardship_family")
        if not self.val("rigid_expenditure_hardship_candidate"):
            text = self.t(
                "刚性支出困难家庭：不认定（已享受低保或特困、属低保边缘家庭，或财产超出当地规定）",
                "Rigid-expenditure hardship family: no (on dibao or tekun, a marginal family, or property above the limits)",
            )
            self.add(s, text, [])
            self.verdicts.append(Verdict("rigid_expenditure_hardship", None, "not_eligible", None, text))
            return
        income = self.var("household_income_past_12_months")
        disposable = self.var("previous_year_per_capita_disposable_income")
        threshold = self.var("rigid_expenditure_to_income_threshold")
        verdict = self.t("是" if family else "否", "yes" if family else "no")
        text = self.t(
            f"刚性支出困难家庭：申请前十二个月刚性支出 {spending} 元，家庭总收入 {income} 元，上年度当地居民人均可支配收入 {disposable} 元，"
            f"当地刚性支出占收入比例标准 {threshold} → {verdict}",
            f"Rigid-expenditure hardship family: rigid spending {spending} and household income {income} over the past twelve months, "
            f"last year's local per-capita disposable income {disposable}, local threshold {threshold} → {verdict}",
        )
        items = [spending, income, disposable, threshold]
        self.add(s, text, items)
        self.verdicts.append(
            Verdict("rigid_expenditure_hardship", None, "eligible" if family else "not_eligible", None, text, items)
        )

    # 7. total ----------------------------------------------------------------------------------

    def _person_parts(self) -> list[str]:
        """The members' benefits the total adds (declared ``adds``), in order."""
        variables = self.run.system.variables
        parts = declaration(variables[total_output(self.run.system)]).adds
        return [p for p in parts if variables[p].entity.key == "person"]

    def explain_total(self) -> None:
        s = "total"
        with self.block(s, "社会救助合计", "Social assistance total", verdict=("total", None)):
            total = self.var("social_assistance_total")
            terms = []
            dibao = self.var("dibao_benefit")
            if dibao.value:
                terms.append((self.t(f"低保 {dibao}", f"dibao {dibao}"), dibao))
            for p in self.person_rows:
                for name in self._person_parts():
                    amount = self.var(name, p)
                    if amount.value:
                        terms.append((f"{self.person_ids[p]} {amount.label} {amount}", amount))
            if terms:
                expression = " + ".join(text for text, _ in terms)
                text = self.t(
                    f"本月现金救助合计 = {expression} = {total} 元（不含临时救助）",
                    f"Cash assistance this month = {expression} = {total} (temporary assistance not included)",
                )
            else:
                text = self.t(
                    f"本月现金救助合计 {total} 元（不含临时救助）",
                    f"Cash assistance this month: {total} (temporary assistance not included)",
                )
            self.add(s, text, [item for _, item in terms] + [total])
            self.verdicts.append(
                Verdict(
                    "total",
                    None,
                    "paid" if total.value else "not_paid",
                    total.value,
                    self.t(f"合计：本月现金救助 {total} 元", f"Total: {total} in cash this month"),
                    [total],
                )
            )


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _relative(path: str | None) -> str | None:
    if not path:
        return None
    parts = path.replace("\\", "/").split("/")
    return "/".join(parts[parts.index("parameters") :]) if "parameters" in parts else path


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------


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
