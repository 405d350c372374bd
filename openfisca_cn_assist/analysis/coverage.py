"""Which programme is modelled for which jurisdiction, from which date: generated from the parameters.

A programme is in force for a jurisdiction on a date when one of its alternatives has every
parameter in force there (own or inherited): a value, and not false or zero (a zero rate or a
false flag means the rule is not applied). docs/coverage.md's table is this module's output,
and a test keeps the two identical.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from openfisca_cn_assist.engine.resolver import JurisdictionResolver

# (programme, alternatives): the programme is in force where every parameter of one alternative is.
PROGRAMMES: list[tuple[str, list[list[str]]]] = [
    ("低保 standard, urban", [["dibao.standard_urban"]]),
    ("低保 standard, rural", [["dibao.standard_rural"]]),
    (
        "低保 paid by class (rural A/B/C)",
        [["dibao.pays_by_class_rural", "dibao.class_amount_a", "dibao.class_amount_b", "dibao.class_amount_c"]],
    ),
    ("Basic pension not counted", [["income.basic_pension_excluded"]]),
    ("Employment-cost deduction", [["income.employment_cost_rate"]]),
    ("Rigid-expenditure deduction", [["income.rigid_expenditure_deduction_share"]]),
    ("渐退 gradual exit", [["dibao.gradual_exit_months", "dibao.gradual_exit_benefit_share"]]),
    ("单人户", [["dibao.single_person_unit_allowed"]]),
    ("低保边缘", [["dibao.marginal_income_multiplier"]]),
    (
        "特困 basic allowance (urban)",
        [["tekun.basic_standard_urban"], ["tekun.basic_ratio_to_dibao", "dibao.standard_urban"]],
    ),
    ("特困 age rule", [["tekun.age_threshold", "tekun.minor_age_limit"]]),
    ("特困 care allowance", [["tekun.care_rate_self_care", "wages.minimum_wage"]]),
    ("积分制 points test", [["dibao.uses_points", "dibao.points_pass_mark"]]),
    ("临时救助 township limit", [["temporary_assistance.township_approval_limit"]]),
    ("临时救助 cap", [["temporary_assistance.cap_multiple_of_annual_urban_standard", "dibao.standard_urban"]]),
    (
        "刚性支出困难家庭",
        [["statistics.per_capita_disposable_income", "rigid_expenditure_hardship.spending_to_income_threshold"]],
    ),
    ("孤儿 allowance", [["orphan.standard_scattered", "orphan.standard_institutional"]]),
    (
        "事实无人抚养儿童 allowance",
        [["orphan.de_facto_unsupported_at_scattered_standard", "orphan.standard_scattered"]],
    ),
    ("残疾人生活补贴", [["disability.living_subsidy_amount"]]),
    (
        "残疾人护理补贴",
        [
            ["disability.care_subsidy_amount", "disability.care_subsidy_max_grade"],
            # 峨山 2024 knows only its grade-2 amount (seed 004)
            ["disability.care_subsidy_amount_grade_2", "disability.care_subsidy_max_grade"],
        ],
    ),
    ("一次性生活补贴", [["one_off.living_subsidy_amount"]]),
    (
        "价格临时补贴 triggers (CPI to be supplied)",
        [["price_linkage.cpi_threshold", "price_linkage.food_cpi_threshold"]],
    ),
]
COLUMNS = ["china", "qinghai", "yunnan", "xishuangbanna", "yuxi", "eshan", "shaanxi", "hanzhong", "guangxi", "hezhou"]


@dataclass(frozen=True)
class Span:
    start: str
    end: str | None
    assumed: bool
    inherited: bool


def _in_force(resolver: JurisdictionResolver, path: str, key: str, date: str) -> bool:
    value = resolver[path].table(date)[resolver.registry.index[key]]
    return not np.isnan(value) and value != 0


def _segments(resolver: JurisdictionResolver, alternatives, key: str):
    """Per date boundary: in force?, rests on an assumed value?, only inherited values?"""
    paths = {p for alternative in alternatives for p in alternative}
    for date in sorted({d for p in paths for d in resolver[p].dates}):
        chosen = next((alt for alt in alternatives if all(_in_force(resolver, p, key, date) for p in alt)), None)
        if chosen is None:
            yield date, False, False, False
            continue
        sources = [resolver[p].source(key, date) for p in chosen]
        yield (
            date,
            True,
            any(s.confidence == "assumed" for s in sources),
            all(s.inherited for s in sources),
        )


def spans(resolver: JurisdictionResolver, alternatives, key: str) -> list[Span]:
    """Maximal periods in force; a period is marked assumed or inherited if any part of it is."""
    result: list[Span] = []
    for date, ok, assumed, inherited in _segments(resolver, alternatives, key):
        open_span = result[-1] if result and result[-1].end is None else None
        if open_span and ok:
            result[-1] = Span(open_span.start, None, open_span.assumed or assumed, open_span.inherited and inherited)
        elif open_span:
            result[-1] = Span(open_span.start, date, open_span.assumed, open_span.inherited)
        elif ok:
            result.append(Span(date, None, assumed, inherited))
    return result


def _month_before(date: str) -> str:
    year, month = int(date[:4]), int(date[5:7])
    return f"{year - (month == 1)}-{12 if month == 1 else month - 1:02d}"


def _cell(span_list: list[Span]) -> str:
    if not span_list:
        return "—"
    parts = []
    for s in span_list:
        text = f"{s.start[:7]}–{_month_before(s.end) if s.end else ''}"
        if s.assumed:
            text += " A"
        if s.inherited:
            text += " ↑"
        parts.append(text)
    return "<br>".join(parts)


def coverage_table(resolver: JurisdictionResolver) -> str:
    """Markdown table: programme × jurisdiction, the periods in which it can be computed."""
    registry = resolver.registry
    header = "| Programme | " + " | ".join(registry[k].name_zh for k in COLUMNS) + " |"
    lines = [header, "|" + "---|" * (len(COLUMNS) + 1)]
    for name, groups in PROGRAMMES:
        cells = [_cell(spans(resolver, groups, key)) for key in COLUMNS]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "Periods are first–last month. A period ends at the horizon of its values, the last date their source "
        "supports them; past it the computation stops unless the caller opts in to carrying values forward "
        "(`--carry-forward`), and then results list what rests on them. Open-ended periods rest only on standing "
        "rules that hold until replaced. **A**: rests on at least one `assumed` value (`cn-assist assumed-values`). "
        "**↑**: inherited from a parent jurisdiction. 景洪, 勐海 and 勐腊 have no values of their own and compute as "
        "their prefecture. —: not computable (no value known).",
    ]
    return "\n".join(lines)


MARK_START = "<!-- coverage:start (generated by `cn-assist coverage --update docs/coverage.md`; do not edit) -->"
MARK_END = "<!-- coverage:end -->"


def replace_in_readme(text: str, table: str) -> str:
    start, end = text.index(MARK_START), text.index(MARK_END)
    return text[: start + len(MARK_START)] + "\n" + table + "\n" + text[end:]
