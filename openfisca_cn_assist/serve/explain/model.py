"""What an explanation is made of (items, lines, sections, verdicts) and the labels it uses."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

import numpy as np

from openfisca_cn_assist.engine.horizons import describe_carried

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
