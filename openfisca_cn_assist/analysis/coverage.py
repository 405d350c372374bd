"""Which programme is modelled for which jurisdiction, from which date: generated from the parameters.

A programme is in force for a jurisdiction on a date when one of its alternatives has every
parameter in force there (own or inherited): a value, and not false or zero (a zero rate or a
false flag means the rule is not applied). docs/coverage.md's tables are this module's output,
and a test keeps the two identical: one table per province that has divisions with values of their
own (the national register has 6,800 divisions; every other one computes as its nearest listed
ancestor). :func:`division_coverage` says for any code at a date which programmes are computable and
from which level (own, prefecture, province, national) each value comes.
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


# Deprecated (kept one release): the tables' columns were these keys; they are now every division with a file of
# its own, grouped by province (with_own_values).
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


def with_own_values(resolver: JurisdictionResolver) -> list[str]:
    """Keys of the records that have a file of their own under some jurisdictional parameter, in register order."""
    own = {key for resolved in resolver.resolved.values() for key in resolved.own}
    return sorted(own, key=resolver.registry.index.__getitem__)


def _province(registry, key: str) -> str | None:
    """The province a record lies in (its own key for a province), None for the national root."""
    chain = registry.chain(key)
    return chain[-2] if len(chain) > 1 else None


def _programme_table(resolver: JurisdictionResolver, keys: list[str]) -> list[str]:
    registry = resolver.registry
    names = [registry[k].name_zh + (f" {registry[k].code}" if registry[k].code else "") for k in keys]
    lines = ["| Programme | " + " | ".join(names) + " |", "|" + "---|" * (len(keys) + 1)]
    for name, groups in PROGRAMMES:
        lines.append(f"| {name} | " + " | ".join(_cell(spans(resolver, groups, key)) for key in keys) + " |")
    return lines


def coverage_table(resolver: JurisdictionResolver) -> str:
    """Markdown: the national defaults, then one programme × division table per province with values of its own
    (the province and its divisions that have values), the periods in which each programme can be computed."""
    registry = resolver.registry
    listed = with_own_values(resolver)
    by_province: dict[str, list[str]] = {}
    for key in listed:
        province = _province(registry, key)
        if province is not None:
            by_province.setdefault(province, []).append(key)
    root = registry.keys[0]
    lines = [f"#### {registry[root].name_zh}: national rules (every division without a value of its own uses them)", ""]
    lines += _programme_table(resolver, [root])
    for province in sorted(by_province, key=registry.index.__getitem__):
        keys = by_province[province]
        keys = keys if keys[0] == province else [province, *keys]
        lines += ["", f"#### {registry[province].name_zh} {registry[province].code}", ""]
        lines += _programme_table(resolver, keys)
    others = [
        j.name_zh
        for j in registry.jurisdictions
        if j.level == "province" and j.valid_until is None and j.key not in by_province
    ]
    lines += [
        "",
        f"Provinces with no values of their own (they compute as {registry[root].name_zh}): {'、'.join(others)}.",
        "",
        "Periods are first–last month. A period ends at the horizon of its values, the last date their source "
        "supports them; past it the computation stops unless the caller opts in to carrying values forward "
        "(`--carry-forward`), and then results list what rests on them. Open-ended periods rest only on standing "
        "rules that hold until replaced. **A**: rests on at least one `assumed` value (`cn-assist assumed-values`). "
        "**↑**: inherited from a parent jurisdiction. A division not shown (景洪, 勐海 and 勐腊 among them) has no "
        "values of its own and computes as its nearest ancestor shown: `cn-assist coverage --code CODE --date "
        "YYYY-MM-DD` says, for any code, which programmes are computable and from which level. —: not computable "
        "(no value known).",
    ]
    return "\n".join(lines)


MARK_START = "<!-- coverage:start (generated by `cn-assist coverage --update docs/coverage.md`; do not edit) -->"
MARK_END = "<!-- coverage:end -->"


def replace_in_readme(text: str, table: str) -> str:
    start, end = text.index(MARK_START), text.index(MARK_END)
    return text[: start + len(MARK_START)] + "\n" + table + "\n" + text[end:]


# --- one division at one date --------------------------------------------------------------------------------

SOURCE_LEVELS = ("own", "prefecture", "province", "national")


class UnknownDivisionError(ValueError):
    """A code or key that names no division in force at the date (the message says why and what is near)."""


def record_at(registry, name: str, date: str) -> int:
    """The record ``name`` (a code or key) names at ``date``; UnknownDivisionError naming its validity and
    successors when it was not in force then, or the nearest codes and names when it never existed."""
    from openfisca_cn_assist.engine.division_search import did_you_mean

    if name in registry.records_by_code:
        records = registry.records_by_code[name]
    else:
        index = registry.resolve_name(name)
        if index is None:
            raise UnknownDivisionError(f"unknown division {name!r}{did_you_mean(registry, name)}")
        if registry.jurisdictions[index].code is None or registry.jurisdictions[index].in_force(date):
            return index
        records = [index]  # a key names one record, which may have been retired by then
    found = next((i for i in reversed(records) if registry.jurisdictions[i].in_force(date)), None)
    if found is not None:
        return found
    spans = "; ".join(_validity(registry.jurisdictions[i]) for i in records)
    raise UnknownDivisionError(f"division {name} was not in force on {date} ({spans})")


def _validity(j) -> str:
    return f"{j.code} {j.name_zh} {j.validity}" + (f", successors {' '.join(j.successors)}" if j.successors else "")


def _source_level(registry, key: str, source_key: str) -> str:
    return (
        "own"
        if source_key == key
        else "national"
        if registry[source_key].level == "national"
        else registry[source_key].level
    )


def _parameter_row(resolver: JurisdictionResolver, path: str, key: str, date: str) -> dict:
    """Where ``key``'s value of ``path`` at ``date`` comes from, and whether it can be used."""
    registry = resolver.registry
    source = resolver[path].source(key, date)
    if source is None:
        return {"parameter": path, "usable": False, "why": "no value in force anywhere in the chain"}
    origin = registry[source.source_jurisdiction]
    row = {
        "parameter": path,
        "from": _source_level(registry, key, source.source_jurisdiction),
        "source": source.source_jurisdiction,
        "source_code": origin.code,
        "source_name": origin.name_zh,
        "value": source.value,
        "period": source.period,
        "unit": source.unit,
        "start": source.start,
        "confidence": source.confidence,
        "horizon": source.horizon,
        "past_horizon": source.past_horizon,
    }
    usable = _in_force(resolver, path, key, date)
    row["usable"] = bool(usable)
    if not usable:
        row["why"] = (
            f"past its horizon {source.horizon} (--carry-forward uses it)"
            if source.past_horizon and not resolver.carry_forward
            else "false or zero here: the rule is not applied"
        )
    return row


def division_coverage(resolver: JurisdictionResolver, name: str, date: str) -> dict:
    """For the division ``name`` (code or key) at ``date``: its chain, and for each programme whether it is
    computable and from which level (own, prefecture, province, national) each of its values comes."""
    registry = resolver.registry
    index = record_at(registry, name, date)
    j = registry.jurisdictions[index]
    programmes = []
    for programme, alternatives in PROGRAMMES:
        rows = [[_parameter_row(resolver, path, j.key, date) for path in alternative] for alternative in alternatives]
        chosen = next((alt for alt in rows if all(r["usable"] for r in alt)), None)
        parameters = chosen if chosen is not None else rows[0]
        levels = sorted({r["from"] for r in parameters if r.get("usable")}, key=SOURCE_LEVELS.index)
        programmes.append(
            {"programme": programme, "computable": chosen is not None, "levels": levels, "parameters": parameters}
        )
    chain = [registry[k] for k in registry.chain(j.key, date)]
    return {
        "code": j.code,
        "key": j.key,
        "name": j.name_zh,
        "level": j.level,
        "date": date,
        "valid_from": j.valid_from,
        "valid_until": j.valid_until,
        "chain": [{"code": c.code, "key": c.key, "name": c.name_zh, "level": c.level} for c in chain],
        "programmes": programmes,
    }


def describe_division_coverage(report: dict) -> str:
    """The text ``cn-assist coverage --code`` prints for :func:`division_coverage`'s report."""
    chain = " → ".join(f"{c['name']} {c['code']}" if c["code"] else c["name"] for c in report["chain"])
    name = f"{report['name']} {report['code']}" if report["code"] else report["name"]
    lines = [f"{name} ({report['level']}) on {report['date']}: {chain}", ""]
    computable = [p for p in report["programmes"] if p["computable"]]
    lines.append(f"Computable ({len(computable)} of {len(report['programmes'])} programmes):")
    for p in computable:
        parts = ", ".join(f"{r['parameter']} {r['from']} ({r['source_name']})" for r in p["parameters"])
        lines.append(f"  {p['programme']}: from {' + '.join(p['levels'])}; {parts}")
    lines.append("Not computable:")
    for p in report["programmes"]:
        if not p["computable"]:
            missing = [r for r in p["parameters"] if not r["usable"]]
            lines.append(f"  {p['programme']}: " + "; ".join(f"{r['parameter']} {r['why']}" for r in missing))
    return "\n".join(lines)
