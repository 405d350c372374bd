"""SYNTHETIC built-in caseload ``xishuangbanna_2022``: invented households calibrated to published counts.

No household in it is real. The households are drawn from a seed so that, with the model's 2022
parameters, the counts the 西双版纳州 2022 summary publishes come out of the model (S0,
POLICY_REFERENCE §2.2; :data:`PUBLISHED`):

* rural 低保: 7078 households, 16419 persons, of whom class A 2000, B 6691, C 7728;
* urban 低保: 3645 households, 5598 persons;
* 特困: 1245 persons in 1191 households, 284 supported in institutions (集中) and 961 at home (分散).

Everything else is assumed and said so here: how households spread over 景洪, 勐海 and 勐腊
(:data:`COUNTY_SHARES`), household sizes, ages, disabilities, incomes and expenses, the
caseworker's A/B/C class (the model cannot derive it: the class is an assessment, POLICY_REFERENCE
§4.3, so persons are ranked by a hardship score and the published numbers of each class taken in
order), and a few hundred non-recipient households just above the standard (低保边缘), which a reform
raising the standard can make newly eligible. Recipients have a per-capita countable income below
the standard (urban 700, rural 450 元/月), everyone but the 特困 persons has an able supporter, and
200 recipient households see a wage rise from 2022-10 (``wage_income_2022_10`` … ``_12``) that takes
them above the standard, so a 2022 simulation exercises 渐退 (they stay recipients to the year end).

    python -m openfisca_cn_assist.caseload.generator [--output-dir DIR] [--check]

rewrites ``openfisca_cn_assist/caseload/caseloads/xishuangbanna_2022_{persons,households}.parquet`` (the same
values from the same seed) and, with ``--check``, prints the model's counts beside the published ones.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from openfisca_cn_assist.caseload.model import Caseload
from openfisca_cn_assist.caseload.readers import CASELOADS_DIR, write_caseload
from openfisca_cn_assist.engine.enums import DisabilityCategory

NAME = "xishuangbanna_2022"
SEED = 532800_2022
MONTHS_OF_RISE = ("2022-10", "2022-11", "2022-12")
DESCRIPTION = (
    "SYNTHETIC caseload: invented households, not real people. Calibrated so that the model's 2022 rules "
    "reproduce the 低保 and 特困 counts that 西双版纳州 published for 2022 (rural 低保 7078 households / 16419 "
    "persons, classes A 2000, B 6691, C 7728; urban 低保 3645 / 5598; 特困 1191 households / 1245 persons, "
    "284 集中, 961 分散), plus 450 non-recipient 低保边缘 households. Counties, sizes, ages, disabilities, "
    "incomes and classes are assumed (openfisca_cn_assist/caseload/generator.py)."
)

# 西双版纳州 2022 年度社会救助工作总结 (S0; POLICY_REFERENCE §2.2), year-end caseload.
PUBLISHED = {
    "source": "西双版纳州 2022 年度社会救助工作总结 (seeds/000_690c142274851b2a.txt; POLICY_REFERENCE §2.2)",
    "rural_dibao_households": 7078,
    "rural_dibao_persons": 16419,
    "rural_dibao_class_a": 2000,
    "rural_dibao_class_b": 6691,
    "rural_dibao_class_c": 7728,
    "urban_dibao_households": 3645,
    "urban_dibao_persons": 5598,
    "tekun_households": 1191,
    "tekun_persons": 1245,
    "tekun_centralized": 284,
    "tekun_dispersed": 961,
    # Spending over the year, 万元 (the caseload changed during the year; compare loosely).
    "rural_dibao_spending_10k_yuan": 5824.5,
    "urban_dibao_spending_10k_yuan": 2989.44,
    "tekun_spending_10k_yuan": 1478.79,
}

# ASSUMED: no source splits the caseload by county. Roughly each county's share of the prefecture's
# population (景洪 about half, 勐海 and 勐腊 about a quarter each; recalled, not in the sources),
# urban cases weighted towards 景洪 (the prefecture seat) and rural ones towards 勐海 and 勐腊.
COUNTY_SHARES = {
    "urban": {"jinghong": 0.55, "menghai": 0.25, "mengla": 0.20},
    "rural": {"jinghong": 0.34, "menghai": 0.36, "mengla": 0.30},
    "tekun": {"jinghong": 0.36, "menghai": 0.34, "mengla": 0.30},
}
# ASSUMED household sizes (shares), drawn then nudged to the published person totals.
SIZE_SHARES = {
    "rural": {1: 0.38, 2: 0.22, 3: 0.18, 4: 0.13, 5: 0.07, 6: 0.02},
    "urban": {1: 0.62, 2: 0.24, 3: 0.10, 4: 0.04},
    "marginal_rural": {1: 0.12, 2: 0.22, 3: 0.26, 4: 0.22, 5: 0.12, 6: 0.06},
    "marginal_urban": {1: 0.25, 2: 0.30, 3: 0.28, 4: 0.17},
}
MARGINAL_HOUSEHOLDS = {"rural": 300, "urban": 150}
RISERS = {"rural": 140, "urban": 60}  # 低保 households whose wage rises above the standard from 2022-10
TEKUN_AREA_RURAL_SHARE = 0.85  # ASSUMED
TEKUN_COUPLES = 54  # 1245 − 1191: households of two 特困 persons (elderly couples), the rest live alone
STANDARD = {"urban": 700.0, "rural": 450.0}  # the 2022 standards (元/人·月), only to place incomes
BASIC_PENSION = 103.0  # ASSUMED monthly basic residents' pension; not counted as income in 2021–2025
CATEGORY_SHARES = {
    "physical": 0.45,
    "visual": 0.10,
    "hearing": 0.10,
    "speech": 0.03,
    "intellectual": 0.12,
    "mental": 0.12,
    "multiple": 0.08,
}


# --- Households of one group ---------------------------------------------------------------------


def _sizes(rng, n: int, shares: dict, total: int | None = None) -> np.ndarray:
    """``n`` household sizes drawn from ``shares``, nudged by ±1 until they add up to ``total``."""
    values = np.array(list(shares))
    sizes = rng.choice(values, n, p=list(shares.values()))
    while total is not None and sizes.sum() != total:
        diff = int(total - sizes.sum())
        movable = np.flatnonzero(sizes < values.max()) if diff > 0 else np.flatnonzero(sizes > 1)
        pick = rng.choice(movable, min(abs(diff), len(movable)), replace=False)
        sizes[pick] += np.sign(diff)
    return sizes


def _allocate(rng, n: int, shares: dict) -> np.ndarray:
    """Exactly rounded counts (largest remainder) of ``n`` over ``shares``' keys, in random order."""
    keys = list(shares)
    raw = np.array([shares[k] for k in keys]) * n
    counts = np.floor(raw).astype(int)
    counts[np.argsort(counts - raw)[: n - counts.sum()]] += 1
    return rng.permutation(np.repeat(np.array(keys, dtype=object), counts))


def _group(rng, programme: str, area: str, sizes: np.ndarray) -> pd.DataFrame:
    """Members of households of the given sizes: roles (elderly, adult, child) and ages."""
    n_households = len(sizes)
    household = np.repeat(np.arange(n_households), sizes)
    start = np.repeat(np.cumsum(sizes) - sizes, sizes)
    position = np.arange(len(household)) - start
    size = sizes[household]
    n = len(household)
    u_household = rng.random(n_households)[household]
    u_person = rng.random(n)
    elderly_alone = 0.65 if area == "rural" else 0.5
    role = np.select(
        [
            (size == 1) & (u_household < elderly_alone),
            size == 1,
            (size == 2) & (u_household < 0.40),  # an elderly couple
            (size == 2) & (position == 0),
            (size == 2) & (u_household < 0.65),  # a parent and a child
            (size == 2) & (u_household < 0.85),  # an adult and an elderly parent
            size == 2,  # two adults
            position == 0,
            position == 1,
        ],
        [
            "elderly",
            "adult",
            "elderly",
            "adult",
            "child",
            "elderly",
            "adult",
            "adult",
            np.where(u_person < 0.8, "adult", "elderly"),
        ],
        np.where(u_person < 0.8, "child", "elderly"),
    )
    if programme == "marginal":  # working families: fewer elderly living alone
        role = np.where((size == 1) & (u_household < 0.5), "adult", role)
    age = np.select(
        [role == "elderly", role == "adult", role == "child"],
        [60 + np.floor(rng.triangular(0, 0, 33, n)), rng.integers(22, 60, n), rng.integers(0, 18, n)],
    ).astype(np.int64)
    # A child is at least 18 years younger than the household's first member when that one is an adult.
    head_age = age[np.flatnonzero(position == 0)][household]
    parent = role[np.flatnonzero(position == 0)][household] == "adult"
    age = np.where((role == "child") & parent, np.clip(age, 0, np.maximum(head_age - 18, 0)), age)
    return pd.DataFrame({"household": household, "position": position, "size": size, "role": role, "age": age})


def _health(rng, people: pd.DataFrame, mild_only: bool) -> None:
    """Disability (grade, category), serious illness and self-care level, by role."""
    n = len(people)
    alone_adult = (people["role"] == "adult") & (people["size"] == 1)
    p_disabled = np.select(
        [alone_adult, people["role"] == "elderly", people["role"] == "adult"], [0.45, 0.15, 0.10], 0.04
    )
    p_ill = np.select([alone_adult, people["role"] == "elderly", people["role"] == "adult"], [0.20, 0.08, 0.06], 0.01)
    disabled = rng.random(n) < p_disabled
    grade = np.where(disabled, rng.choice([1, 2, 3, 4], n, p=[0.15, 0.25, 0.30, 0.30]), 0)
    category = np.where(
        disabled, rng.choice(list(CATEGORY_SHARES), n, p=list(CATEGORY_SHARES.values())), "none"
    ).astype(object)
    ill = rng.random(n) < p_ill
    if mild_only:  # 低保边缘 members: none severely disabled or seriously ill (they would be 单人户)
        grade = np.where(disabled, rng.choice([3, 4], n), 0)
        category = np.where(np.isin(category, ["intellectual", "mental"]), "physical", category)
        ill = np.zeros(n, dtype=bool)
    severe = _severe(grade, category)
    _care(rng, people, severe | (people["age"].to_numpy() >= 80))
    people["disability_grade"] = grade.astype(np.int64)
    people["disability_category"] = category
    people["has_serious_illness"] = ill


def _severe(grade, category) -> np.ndarray:
    """Grade 1–2, or grade 3 intellectual or mental (汉民发〔2021〕52号; the model's rule)."""
    intellectual_or_mental = np.isin(category, ["intellectual", "mental"])
    return (grade >= 1) & ((grade <= 2) | ((grade == 3) & intellectual_or_mental))


def _care(rng, people: pd.DataFrame, dependent: np.ndarray, shares=(0.4, 0.4, 0.2)) -> None:
    drawn = rng.choice(["self_care", "partial_care", "full_care"], len(people), p=list(shares))
    people["self_care_level"] = np.where(dependent, drawn, "self_care").astype(object)


def _incomes(rng, people: pd.DataFrame, per_capita: np.ndarray, area: str) -> None:
    """Income parts and expenses such that each household's countable income is ⌊per-capita × size⌋.

    Working-age members who are neither severely disabled nor seriously ill earn the household's
    income (rural: mostly net farm business income; urban: mostly wages); a household without
    them lives on transfers (support from relatives). Some rural households rent out land
    (property income). Medical and education expenses are deducted from countable income where
    the jurisdiction deducts them (西双版纳: in full, assumed), so they are added to the earnings
    of households with income: the countable income stays on target.
    """
    n = len(people)
    household = people["household"].to_numpy()
    n_households = int(household.max()) + 1
    size = np.bincount(household)
    target = np.floor(per_capita * size + 1e-9)
    age = people["age"].to_numpy()
    earner = (
        (people["role"].to_numpy() == "adult")
        & ~_severe(people["disability_grade"].to_numpy(), people["disability_category"].to_numpy())
        & ~people["has_serious_illness"].to_numpy()
    )
    has_earner = np.bincount(household, weights=earner, minlength=n_households) > 0
    head = people["position"].to_numpy() == 0

    medical = np.where(
        people["has_serious_illness"].to_numpy(),
        rng.integers(100, 601, n),
        np.where((age >= 60) & (rng.random(n) < 0.15), rng.integers(30, 201, n), 0),
    ).astype(float)
    education = np.where((age >= 6) & (age < 18) & (rng.random(n) < 0.3), rng.integers(50, 301, n), 0).astype(float)
    expenses = np.bincount(household, weights=medical + education, minlength=n_households)
    # The income of a household with none stays zero; its expenses then reduce nothing.
    total = target + np.where(target > 0, expenses, 0)

    land = (area == "rural") & (rng.random(n_households) < 0.10) & (target > 0)
    rent = np.where(land, np.minimum(target, rng.integers(10, 61, n_households)), 0)
    total -= rent
    weight = np.where(earner, rng.random(n) + 0.1, 0.0)
    share = weight / np.maximum(np.bincount(household, weights=weight, minlength=n_households), 1e-12)[household]
    earned = np.floor(total[household] * share)
    # the remainder of the rounding goes to the household's first earner
    earners_so_far = np.cumsum(earner)
    before_household = np.concatenate([[0], earners_so_far])[np.arange(n) - people["position"].to_numpy()]
    first_earner = earner & (earners_so_far - before_household == 1)
    remainder = total - np.bincount(household, weights=earned, minlength=n_households)
    earned += np.where(first_earner, remainder[household], 0)
    farm = rng.random(n) < (0.65 if area == "rural" else 0.2)
    wage = np.where(earner & ~farm, earned, 0)
    business = np.where(earner & farm, earned, 0)
    transfer = np.where(head & ~has_earner[household], total[household], 0)
    people["is_employed"] = wage > 0
    people["wage_income"] = wage
    people["business_income"] = business
    people["property_income"] = np.where(head, rent[household], 0).astype(float)
    people["transfer_income"] = transfer.astype(float)
    people["basic_pension_income"] = np.where((age >= 60) & (rng.random(n) < 0.9), BASIC_PENSION, 0.0)
    people["medical_expenses"] = medical
    people["education_expenses"] = education
    people["first_earner"] = first_earner


def _dibao_group(rng, area: str, n_households: int, n_persons: int) -> pd.DataFrame:
    sizes = _sizes(rng, n_households, SIZE_SHARES[area], n_persons)
    people = _group(rng, "dibao", area, sizes)
    _health(rng, people, mild_only=False)
    zero_share, low, high = (0.15, 40, 440) if area == "rural" else (0.22, 60, 595)
    per_capita = np.where(rng.random(n_households) < zero_share, 0.0, rng.uniform(low, high, n_households))
    _incomes(rng, people, per_capita, area)
    people["has_able_supporter"] = True
    people["tekun_centralized"] = False
    people["area"] = area
    people["programme"] = f"{area}_dibao"
    return people


def _marginal_group(rng, area: str) -> pd.DataFrame:
    """Non-recipients just above the standard (1.0–1.5 ×): 低保边缘 families."""
    n_households = MARGINAL_HOUSEHOLDS[area]
    sizes = _sizes(rng, n_households, SIZE_SHARES[f"marginal_{area}"])
    people = _group(rng, "marginal", area, sizes)
    _health(rng, people, mild_only=True)
    standard = STANDARD[area]
    near = rng.random(n_households) < 0.6
    ratio = np.where(near, rng.uniform(1.005, 1.15, n_households), rng.uniform(1.15, 1.45, n_households))
    per_capita = np.ceil(ratio * standard * sizes) / sizes  # at least the standard, never exactly on it
    _incomes(rng, people, per_capita, area)
    people["has_able_supporter"] = True
    people["tekun_centralized"] = False
    people["area"] = area
    people["programme"] = f"{area}_marginal"
    return people


def _tekun_group(rng) -> pd.DataFrame:
    """特困 persons: 284 in institutions (alone), 54 couples and 853 alone at home."""
    centralized = PUBLISHED["tekun_centralized"]
    households = PUBLISHED["tekun_households"]
    sizes = np.ones(households, dtype=int)
    sizes[centralized : centralized + TEKUN_COUPLES] = 2
    assert sizes.sum() == PUBLISHED["tekun_persons"]
    household = np.repeat(np.arange(households), sizes)
    n = len(household)
    in_institution = household < centralized
    couple = sizes[household] == 2
    disabled_adult = ~couple & (rng.random(n) < 0.15)
    age = np.where(disabled_adult, rng.integers(25, 60, n), 60 + np.floor(rng.triangular(2, 8, 35, n))).astype(np.int64)
    grade = np.where(disabled_adult, rng.choice([1, 2, 3], n, p=[0.4, 0.4, 0.2]), 0)
    category = np.where(
        disabled_adult, rng.choice(list(CATEGORY_SHARES), n, p=list(CATEGORY_SHARES.values())), "none"
    ).astype(object)
    category = np.where((grade == 3), rng.choice(["intellectual", "mental"], n), category)  # severe at grade 3
    # On the 特困 list (intellectual/mental 1–3, physical 1–2, visual 1); others become physical, with no new draw.
    listed = np.isin(category, ["intellectual", "mental", "physical"]) | ((category == "visual") & (grade == 1))
    category = np.where(disabled_adult & ~listed, "physical", category)
    elderly_disabled = ~disabled_adult & (rng.random(n) < 0.12)
    grade = np.where(elderly_disabled, rng.choice([1, 2, 3, 4], n), grade)
    category = np.where(elderly_disabled, rng.choice(["physical", "visual", "hearing"], n), category)
    people = pd.DataFrame(
        {
            "household": household,
            "position": np.arange(n) - np.repeat(np.cumsum(sizes) - sizes, sizes),
            "size": sizes[household],
            "role": np.where(disabled_adult, "adult", "elderly"),
            "age": age,
            "disability_grade": grade.astype(np.int64),
            "disability_category": category,
            "has_serious_illness": rng.random(n) < 0.08,
        }
    )
    dependent = _severe(grade, category) | (age >= 80)
    people["self_care_level"] = "self_care"
    for mask, shares in ((in_institution, (0.35, 0.4, 0.25)), (~in_institution, (0.6, 0.3, 0.1))):
        drawn = rng.choice(["self_care", "partial_care", "full_care"], n, p=list(shares))
        people.loc[mask & dependent, "self_care_level"] = drawn[mask & dependent]
    # Own income well below the standard: small transfers for some at home; the basic pension is not counted.
    transfer = np.where(~in_institution & (rng.random(n) < 0.25), rng.integers(20, 201, n), 0).astype(float)
    people["is_employed"] = False
    people["wage_income"] = 0.0
    people["business_income"] = 0.0
    people["property_income"] = 0.0
    people["transfer_income"] = transfer
    people["basic_pension_income"] = np.where((age >= 60) & (rng.random(n) < 0.9), BASIC_PENSION, 0.0)
    people["medical_expenses"] = np.where(people["has_serious_illness"], rng.integers(50, 301, n), 0).astype(float)
    people["education_expenses"] = 0.0
    people["first_earner"] = False
    people["has_able_supporter"] = False
    people["tekun_centralized"] = in_institution
    rural = rng.random(households) < TEKUN_AREA_RURAL_SHARE
    people["area"] = np.where(rural[household], "rural", "urban")
    people["programme"] = "tekun"
    return people


# --- Classes, 渐退 and assembly ----------------------------------------------------------------------


def _classes(rng, people: pd.DataFrame) -> np.ndarray:
    """A/B/C for rural 低保 members (the published numbers, by hardship rank); B/C for rural 低保边缘.

    ASSUMED: the class is a caseworker's assessment that no source defines (POLICY_REFERENCE §4.3,
    W19: A for those who have lost their capacity to work or have no income, B for weak capacity
    or low income, C for those with some income). Persons are ranked by a hardship score (severe
    disability, serious illness, old age, childhood, no household income; earning lowers it) with
    some noise, and the published numbers of A, B and C are taken from the top down. Rural 低保边缘
    members, not on 低保, get the class they would plausibly be given: B for the old (70+), young
    children (under 6) and the disabled, C otherwise. Urban and 特困 persons are unclassified.
    """
    classes = np.full(len(people), "unclassified", dtype=object)
    age = people["age"].to_numpy()
    grade = people["disability_grade"].to_numpy()
    severe = _severe(grade, people["disability_category"].to_numpy())
    household_income = people.groupby("hid")["countable"].transform("sum").to_numpy()
    score = (
        3.0 * severe
        + 1.0 * ((grade > 0) & ~severe)
        + 2.0 * people["has_serious_illness"].to_numpy()
        + 1.0 * (age >= 60)
        + 1.5 * (age >= 75)
        + 1.0 * (age < 18)
        + 1.5 * (household_income <= 0)
        - 1.0 * (people["wage_income"].to_numpy() + people["business_income"].to_numpy() > 0)
        + rng.normal(0, 0.7, len(people))
    )
    rural_dibao = np.flatnonzero(people["programme"].to_numpy() == "rural_dibao")
    order = rural_dibao[np.argsort(-score[rural_dibao], kind="stable")]
    n_a, n_b = PUBLISHED["rural_dibao_class_a"], PUBLISHED["rural_dibao_class_b"]
    classes[order[:n_a]] = "a"
    classes[order[n_a : n_a + n_b]] = "b"
    classes[order[n_a + n_b :]] = "c"
    marginal = people["programme"].to_numpy() == "rural_marginal"
    vulnerable = (age >= 70) | (age < 6) | (grade > 0)
    classes[marginal] = np.where(vulnerable[marginal], "b", "c")
    return classes


def _rises(rng, people: pd.DataFrame) -> np.ndarray:
    """The wage from 2022-10 of the first earner of some 低保 households, taking them 10–40 % above the standard."""
    wage_from_october = np.full(len(people), np.nan)
    for area, count in RISERS.items():
        candidates = people[(people["programme"] == f"{area}_dibao") & people["first_earner"]]
        chosen = candidates.loc[rng.choice(candidates.index.to_numpy(), count, replace=False)]
        size = chosen["size"].to_numpy()
        household_countable = people.groupby("hid")["countable"].sum().loc[chosen["hid"]].to_numpy()
        new_total = np.ceil(rng.uniform(1.1, 1.4, count) * STANDARD[area] * size)
        wage_from_october[chosen.index.to_numpy()] = chosen["wage_income"].to_numpy() + new_total - household_countable
    return wage_from_october


def _jurisdictions(rng, households: pd.DataFrame) -> pd.Series:
    """Each household's county, drawn programme by programme from the published shares."""
    jurisdiction = pd.Series(index=households.index, dtype=object)
    for programme, shares_key in (
        ("rural_dibao", "rural"),
        ("rural_marginal", "rural"),
        ("urban_dibao", "urban"),
        ("urban_marginal", "urban"),
        ("tekun", "tekun"),
    ):
        rows = households.index[households["programme"] == programme]
        jurisdiction.loc[rows] = _allocate(rng, len(rows), COUNTY_SHARES[shares_key])
    return jurisdiction


def _persons_table(people: pd.DataFrame) -> pd.DataFrame:
    """The persons table's columns, typed, from the generated people."""
    return pd.DataFrame(
        {
            "person_id": people["person_id"],
            "household_id": people["household_id"],
            "age": people["age"].astype(np.int64),
            "is_employed": people["is_employed"].astype(bool),
            "wage_income": people["wage_income"].astype(float),
            "business_income": people["business_income"].astype(float),
            "property_income": people["property_income"].astype(float),
            "transfer_income": people["transfer_income"].astype(float),
            "basic_pension_income": people["basic_pension_income"].astype(float),
            "medical_expenses": people["medical_expenses"].astype(float),
            "education_expenses": people["education_expenses"].astype(float),
            "disability_grade": people["disability_grade"].astype(np.int64),
            "disability_category": people["disability_category"].astype(str),
            "has_serious_illness": people["has_serious_illness"].astype(bool),
            "self_care_level": people["self_care_level"].astype(str),
            "has_able_supporter": people["has_able_supporter"].astype(bool),
            "tekun_centralized": people["tekun_centralized"].astype(bool),
            "dibao_class": people["dibao_class"].astype(str),
            **{f"wage_income_{m.replace('-', '_')}": people["rise"].astype(float) for m in MONTHS_OF_RISE},
        }
    )


def generate(seed: int = SEED) -> Caseload:
    """The SYNTHETIC ``xishuangbanna_2022`` caseload, the same for the same seed."""
    rng = np.random.default_rng(seed)
    groups = [
        _dibao_group(rng, "rural", PUBLISHED["rural_dibao_households"], PUBLISHED["rural_dibao_persons"]),
        _dibao_group(rng, "urban", PUBLISHED["urban_dibao_households"], PUBLISHED["urban_dibao_persons"]),
        _tekun_group(rng),
        _marginal_group(rng, "rural"),
        _marginal_group(rng, "urban"),
    ]
    offset = 0
    for people in groups:  # a caseload-wide household number per group
        people["hid"] = people["household"] + offset
        offset += int(people["household"].max()) + 1
    people = pd.concat(groups, ignore_index=True)
    people["countable"] = (
        people["wage_income"]
        + people["business_income"]
        + people["property_income"]
        + people["transfer_income"]
        - people["medical_expenses"]
        - people["education_expenses"]
    )

    households = people.groupby("hid", sort=True).agg(area=("area", "first"), programme=("programme", "first"))
    households["jurisdiction"] = _jurisdictions(rng, households)

    people["dibao_class"] = _classes(rng, people)
    rise = _rises(rng, people)

    # Households in random order, numbered 1…; persons by household, then position.
    order = rng.permutation(len(households))
    household_id = np.empty(len(households), dtype=np.int64)
    household_id[order] = np.arange(1, len(households) + 1)
    people["household_id"] = household_id[people["hid"].to_numpy()]
    people["rise"] = rise
    people = people.sort_values(["household_id", "position"], kind="stable").reset_index(drop=True)
    people["person_id"] = np.arange(1, len(people) + 1, dtype=np.int64)

    persons = _persons_table(people)
    households_table = (
        pd.DataFrame(
            {
                "household_id": household_id[households.index.to_numpy()],
                "weight": 1.0,
                "jurisdiction": households["jurisdiction"].astype(str).to_numpy(),
                "area": households["area"].astype(str).to_numpy(),
            }
        )
        .sort_values("household_id", kind="stable")
        .reset_index(drop=True)
    )
    assert set(persons["disability_category"]) <= {m.name for m in DisabilityCategory}
    return Caseload(
        persons,
        households_table,
        name=NAME,
        synthetic=True,
        description=DESCRIPTION,
        metadata={"generator": "openfisca_cn_assist.caseload.generator", "seed": seed, "published": PUBLISHED},
    )


def main(argv=None) -> int:
    from openfisca_cn_assist.caseload.calibration import calibration, yearly_spending  # it imports this module

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output-dir", default=str(CASELOADS_DIR), help="where to write the Parquet files")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--check", action="store_true", help="run the model and print its counts beside the published")
    args = parser.parse_args(argv)
    caseload = generate(args.seed)
    out = Path(args.output_dir)
    out.mkdir(parents=True, exist_ok=True)
    write_caseload(caseload, out / f"{NAME}_persons.parquet", out / f"{NAME}_households.parquet")
    print(f"wrote {len(caseload.persons)} persons and {len(caseload.households)} households to {out} (SYNTHETIC)")
    if args.check:
        result = calibration(caseload)
        print(f"\n{'count':<28}{'model':>10}{'published':>12}  ({result['period']})")
        for key, value in result["model"].items():
            print(f"{key:<28}{value:>10}{result['published'][key]:>12}")
        for key, value in result["other"].items():
            print(f"{key:<28}{value:>10.1f}")
        spending = yearly_spending(caseload)
        print(
            "\nspending over 2022 (万元): model",
            spending["model_10k_yuan"],
            "published",
            spending["published_10k_yuan"],
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
