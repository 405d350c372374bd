"""A hand-written numpy kernel of the model's core rules, the yardstick of ``benchmarks/run.py``.

The core rules, for each month: countable income (gross − excluded basic pension − employment-cost
deduction − rigid-expenditure deduction, pooled over the members counted for 低保 and floored at 0),
特困 eligibility (no work capacity, no able supporter, own countable income below the 低保 standard,
property within the limits, not a child under orphan support),
the 低保 standard, per-capita income and eligibility, the gap and class methods of the regular 低保
benefit, and the 特困 basic allowance (the larger of the jurisdiction's own standard and its multiple
of the 低保 standard).

It is what a careful numpy programmer would write by hand for the same numbers, from the same
DataFrames, as tight as numpy allows: no input checks, no caching between variables, parameters read
from the same per-jurisdiction tables (``resolver_for(system)[path].table(date)``, built once and
cached, as the model reads them), and the hand optimisations: each string column factorised once
(disability categories to the 特困 list's groups); a parameter that is the same in every
jurisdiction present used as one number; the 低保 standard in one take per household from a
(jurisdiction, area) table; the employment-cost and rigid-expenditure deductions worked out only for
the persons they apply to; 特困 tested only for persons without an able supporter, not under orphan
support and in a household within the property limits; the 特困 allowance and the class amounts
only for the few persons concerned. Like the model, it redoes each month's work every month (a caseload's
inputs may change from month to month). It stores what the model stores in ``float32`` (OpenFisca's
``float``) at the same steps, so that the two give the same numbers to the last bit, threshold
comparisons included; ``run.py`` checks that they do. Rules the synthetic jurisdictions do not use
(玉溪's points) are refused, not skipped.

Not covered, and so not in the kernel's time: 渐退 and its month-to-month state, 单人户, 低保边缘,
care allowances, child, disability, one-off and price subsidies, the total. ``run.py`` times the
model's full set of outputs separately.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from openfisca_cn_assist.engine.resolver import resolver_for

F32 = np.float32
CORE_OUTPUTS = ("dibao_countable_income", "dibao_regular_benefit", "tekun_basic_allowance")
INCOMES = ("wage_income", "business_income", "property_income", "transfer_income", "basic_pension_income")
EXPENSES = ("medical_expenses", "education_expenses")
INTELLECTUAL_OR_MENTAL = ("intellectual", "mental")


@dataclass
class KernelInputs:
    household_of_person: np.ndarray
    n_households: int
    jurisdiction: np.ndarray  # registry index per household
    person_jurisdiction: np.ndarray
    urban: np.ndarray  # per household
    person_urban: np.ndarray
    area_index: np.ndarray  # per household: 2 × jurisdiction + urban, into a (jurisdiction, area) table
    hardship_area_class: np.ndarray  # per household
    household_size: np.ndarray
    age: np.ndarray
    has_able_supporter: np.ndarray
    is_employed: np.ndarray
    disability_grade: np.ndarray
    severe_group: np.ndarray  # 0 not on the 特困 list, 1 intellectual or mental, 2 physical, 3 visual
    supported_child: np.ndarray  # under 孤儿 or 事实无人抚养儿童 support: not also 特困
    property_ok: np.ndarray  # per household
    dibao_class: np.ndarray  # "a", "b", "c" as 1, 2, 3; 0 unclassified
    amounts: dict  # income and expense columns, float32


def _severe_groups(column) -> np.ndarray:
    """The 特困 list's categories as small codes, from one factorisation of the column."""
    codes, names = pd.factorize(column.astype(str))
    lookup = np.array(
        [1 if n in INTELLECTUAL_OR_MENTAL else 2 if n == "physical" else 3 if n == "visual" else 0 for n in names],
        dtype=np.int8,
    )
    return lookup[codes] if len(names) else np.zeros(len(column), dtype=np.int8)


def prepare(system, caseload) -> KernelInputs:
    """DataFrame columns to arrays: ids to rows, member names to codes, amounts to float32."""
    persons, households = caseload.persons, caseload.households
    household_of_person = pd.Index(households["household_id"]).get_indexer(persons["household_id"])
    jurisdiction = pd.Index(system.registry.keys).get_indexer(households["jurisdiction"])
    urban = (households["area"] == "urban").to_numpy()
    classes = pd.Index(["unclassified", "a", "b", "c"]).get_indexer(persons["dibao_class"])
    return KernelInputs(
        household_of_person=household_of_person,
        n_households=len(households),
        jurisdiction=jurisdiction,
        person_jurisdiction=jurisdiction[household_of_person],
        urban=urban,
        person_urban=urban[household_of_person],
        area_index=2 * jurisdiction + urban,
        hardship_area_class=households["hardship_area_class"].to_numpy(),
        household_size=np.bincount(household_of_person, minlength=len(households)),
        age=persons["age"].to_numpy(),
        has_able_supporter=persons["has_able_supporter"].to_numpy(),
        is_employed=persons["is_employed"].to_numpy(),
        disability_grade=persons["disability_grade"].to_numpy(),
        severe_group=_severe_groups(persons["disability_category"]),
        supported_child=(persons["child_care_status"].astype(str) != "none").to_numpy()
        if "child_care_status" in persons
        else np.zeros(len(persons), dtype=bool),
        property_ok=households["property_within_limits"].to_numpy(dtype=bool)
        if "property_within_limits" in households
        else np.ones(len(households), dtype=bool),
        dibao_class=classes,
        amounts={name: persons[name].to_numpy(dtype=F32) for name in INCOMES + EXPENSES},
    )


def compute(system, k: KernelInputs, months: list[str]) -> dict:
    """``{month: {output: array}}`` for ``CORE_OUTPUTS`` (and 低保 / 特困 eligibility), months as "YYYY-MM"."""
    resolver = resolver_for(system)
    hp, jh = k.household_of_person, k.jurisdiction
    present = np.unique(jh)
    a = k.amounts
    results = {}
    for month in months:
        date = f"{month}-01"

        def table(path, fill=None, date=date):
            values = resolver[path].table(date)
            return values if fill is None else np.nan_to_num(values, nan=fill)

        def per_household(path, fill=None):
            """By household: one value when it is the same in every jurisdiction present, else a gather."""
            values = table(path, fill)
            here = values[present]
            if (here == here[0]).all():
                return here[0]
            return values[jh]

        def per_person(path, fill=None, rows=None):
            value = per_household(path, fill)
            if np.ndim(value) == 0:
                return value
            return value[hp] if rows is None else value[hp[rows]]

        if (np.nan_to_num(per_household("dibao.uses_points")) > 0).any():
            raise NotImplementedError("the kernel does not do 玉溪's points (dibao.uses_points)")
        urban_standard, rural_standard = per_household("dibao.standard_urban"), per_household("dibao.standard_rural")
        if np.ndim(urban_standard) == 0 and np.ndim(rural_standard) == 0:
            standard = np.where(k.urban, urban_standard, rural_standard).astype(F32)
        else:  # one take from a (jurisdiction, area) table instead of two gathers and a select
            both = np.stack([table("dibao.standard_rural"), table("dibao.standard_urban")], axis=1).ravel()
            standard = both.take(k.area_index).astype(F32)
        person_standard = standard[hp]

        # Countable income, person by person (float32 sums in the model's order).
        gross = (
            a["wage_income"]
            + a["business_income"]
            + a["property_income"]
            + a["transfer_income"]
            + a["basic_pension_income"]
        )
        excluded_flag = per_person("income.basic_pension_excluded", fill=0.0) > 0
        net = gross - (a["basic_pension_income"] * excluded_flag)
        # The deductions only where they apply: subtracting 0 elsewhere would change no bit.
        employed = np.flatnonzero(k.is_employed)
        rate = per_household("income.employment_cost_rate", fill=0.0)
        if np.ndim(rate) == 0 and rate == 0:
            employed = employed[:0]
        if len(employed):
            households = hp[employed]
            cap = rate * (standard[households]) if np.ndim(rate) == 0 else rate[households] * standard[households]
            earnings = np.maximum(a["wage_income"][employed] + a["business_income"][employed], 0)
            net[employed] -= np.minimum(cap, earnings).astype(F32)
        spending = a["medical_expenses"] + a["education_expenses"]
        spends = np.flatnonzero(spending > 0)
        share = per_person("income.rigid_expenditure_deduction_share", fill=0.0, rows=spends)
        if len(spends) and not (np.ndim(share) == 0 and share == 0):
            net[spends] -= (share * spending[spends]).astype(F32)

        # 特困, tested only for persons without an able supporter and not under orphan support, in a
        # household within the property limits: no work capacity, own income below the 低保 standard.
        candidates = np.flatnonzero(~k.has_able_supporter & ~k.supported_child & k.property_ok[hp])
        cand_households = hp[candidates]
        own = np.maximum(net[candidates], 0)
        general_age = per_household("tekun.age_threshold")
        hardship_age = per_household("tekun.age_threshold_hardship_area")
        min_class = per_household("tekun.hardship_area_min_class", fill=np.inf)

        def at_candidates(value, rows=cand_households):
            return value if np.ndim(value) == 0 else value[rows]

        area_class = k.hardship_area_class[cand_households]
        in_hardship_area = (
            (at_candidates(hardship_age) != at_candidates(general_age))
            & (area_class > 0)
            & (area_class >= at_candidates(min_class))
        )
        age_threshold = np.where(in_hardship_area, at_candidates(hardship_age), at_candidates(general_age)).astype(F32)
        group = k.severe_group[candidates]
        severe_limit = np.choose(  # the 特困 list; other categories are not on it
            group,
            [
                0,
                at_candidates(per_household("tekun.no_work_capacity_max_grade_intellectual_mental")),
                at_candidates(per_household("tekun.no_work_capacity_max_grade_physical")),
                at_candidates(per_household("tekun.no_work_capacity_max_grade_visual")),
            ],
        )
        grade = k.disability_grade[candidates]
        age = k.age[candidates]
        no_work_capacity = (
            (age >= age_threshold)
            | (age < at_candidates(per_household("tekun.minor_age_limit")))
            | ((grade >= 1) & (grade <= severe_limit))
        )
        tekun_rows = candidates[no_work_capacity & (own < person_standard[candidates])]
        tekun = np.zeros(len(hp), dtype=bool)
        tekun[tekun_rows] = True

        # 低保: pooled over the members not supported as 特困.
        counted = ~tekun
        size = (k.household_size - np.bincount(hp[tekun_rows], minlength=k.n_households)).astype(np.int32)
        income = np.maximum(np.bincount(hp, weights=net * counted, minlength=k.n_households), 0).astype(F32)
        per_capita = np.divide(income, size, out=np.zeros_like(income), where=size > 0)
        eligible = (size > 0) & (per_capita < standard) & k.property_ok
        by_class = np.where(
            k.urban,
            per_household("dibao.pays_by_class_urban", fill=0.0) > 0,
            per_household("dibao.pays_by_class_rural", fill=0.0) > 0,
        )
        rows = np.flatnonzero((by_class & eligible)[hp] & counted)  # members paid by class: a few per cent
        classes = k.dibao_class[rows]
        if (classes == 0).any():
            raise ValueError("an eligible member of a class-paying household is unclassified")
        amount = np.zeros(len(rows))
        for code, name in ((1, "a"), (2, "b"), (3, "c")):
            in_class = classes == code
            amount[in_class] = table(f"dibao.class_amount_{name}")[jh[hp[rows[in_class]]]]
        class_total = np.bincount(hp[rows], weights=amount.astype(F32), minlength=k.n_households)
        gap = (standard - per_capita) * size
        regular = np.where(eligible, np.where(by_class, class_total, gap), 0).astype(F32)

        # 特困 basic allowance, for the 特困 persons: max(own standard, multiple × 低保 standard).
        j = jh[hp[tekun_rows]]
        own_standard = np.where(
            k.person_urban[tekun_rows], table("tekun.basic_standard_urban")[j], table("tekun.basic_standard_rural")[j]
        )
        basic = np.fmax(own_standard, table("tekun.basic_ratio_to_dibao")[j] * person_standard[tekun_rows])
        if np.isnan(basic).any():
            raise ValueError("a 特困 person's jurisdiction has no basic standard")
        allowance = np.zeros(len(hp), dtype=F32)
        allowance[tekun_rows] = basic

        results[month] = {
            "dibao_countable_income": income,
            "dibao_regular_benefit": regular,
            "tekun_basic_allowance": allowance,
            "dibao_eligible": eligible,
            "tekun_eligible": tekun,
        }
    return results
