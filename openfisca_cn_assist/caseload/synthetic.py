"""SYNTHETIC data for benchmarks and load tests: invented jurisdictions, values and households.

Nothing here is policy. The jurisdictions (keys ``syn_…``, codes ``9xxxxx``, which no real
division uses), their parameter values and the households are drawn at random from a seed,
so that the engine can be exercised at national scale (~3,000 jurisdictions, 10⁶
households) before the real data exist. Every synthetic value is tagged
``confidence: assumed`` with a note saying it is synthetic, so it cannot pass for a
sourced one. The real parameter files are never touched: synthetic values live only in the
in-memory parameter tree of the system they are added to.

Three parts:

* registries: :func:`synthetic_registry` — the built-in jurisdictions that the parameter
  files need, plus synthetic provinces, prefectures and counties (parents first);
* parameters: :func:`add_synthetic_parameters` — dated values for the synthetic
  jurisdictions, added as OpenFisca ``Parameter`` children of the by-jurisdiction nodes;
  counties often have no value of their own, so inheritance is exercised;
* households: :func:`synthetic_households` draws a caseload as numpy arrays, and
  :func:`build_simulation` turns arrays into an OpenFisca ``Simulation`` without the
  per-entity dictionaries of ``SimulationBuilder.build_from_entities`` (which costs as much
  as computing at 10⁶ persons, DESIGN.md "Performance habits"). ``build_simulation`` is
  not synthetic: it lives in :mod:`openfisca_cn_assist.caseload.bulk` and is re-exported here.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import yaml
from openfisca_core.parameters import Parameter
from openfisca_core.periods import period as as_period
from openfisca_core.simulations import Simulation

from openfisca_cn_assist.caseload.bulk import build_simulation  # noqa: F401  (re-exported: the bulk builder used to live here)
from openfisca_cn_assist.engine.enums import Area, ChildCareStatus, DibaoClass, DisabilityCategory, SelfCareLevel
from openfisca_cn_assist.engine.jurisdictions import ALIASES_FILE, Registry
from openfisca_cn_assist.engine.paths import PARAMETERS_DIR
from openfisca_cn_assist.engine.resolver import refresh_resolver, resolver_for

SYNTHETIC_PREFIX = "syn_"
SYNTHETIC_NOTE = "SYNTHETIC value invented for benchmarks (openfisca_cn_assist.caseload.synthetic); not policy"
# Shares of provinces, prefectures and counties in China's ~3,200 divisions (31 / 333 / 2,844).
LEVEL_SHARES = (31, 333, 2844)


# --- Registries -------------------------------------------------------------------------------


def builtin_records() -> list[dict]:
    """The built-in registry (jurisdictions.yaml) as records, in index order."""
    with open(ALIASES_FILE, encoding="utf-8") as f:
        return yaml.safe_load(f)


def required_builtin_records() -> list[dict]:
    """Built-in jurisdictions that own a parameter file, with their ancestors, in registry order.

    A system cannot load without them: the resolver rejects a parameter file whose
    jurisdiction is not in the registry.
    """
    records = builtin_records()
    by_key = {r["key"]: r for r in records}
    needed = set()
    for index in PARAMETERS_DIR.rglob("index.yaml"):
        with open(index, encoding="utf-8") as f:
            if not ((yaml.safe_load(f) or {}).get("metadata") or {}).get("by_jurisdiction"):
                continue
        for file in index.parent.glob("*.yaml"):
            key = file.stem
            while key is not None and key != "index":
                needed.add(key)
                key = by_key[key]["parent"] if key in by_key else None
    needed.add(records[0]["key"])  # the root
    return [r for r in records if r["key"] in needed]


def synthetic_records(count: int, code_start: int = 1) -> list[dict]:
    """``count`` synthetic jurisdictions under china: provinces, then prefectures, then counties.

    Levels follow China's proportions (at least one province). Prefectures are spread
    round-robin over provinces and counties over prefectures (or over provinces when there
    is no prefecture). Codes are ``9xxxxx``, a range no real division uses.
    """
    if count < 1:
        return []
    total = sum(LEVEL_SHARES)
    n_prov = max(1, round(count * LEVEL_SHARES[0] / total))
    n_pref = min(count - n_prov, round(count * LEVEL_SHARES[1] / total))
    n_county = count - n_prov - n_pref
    records, code = [], code_start

    def add(key, name_zh, name_en, level, parent):
        nonlocal code
        records.append(
            {
                "key": key,
                "code": f"9{code:05d}",
                "name_zh": name_zh,
                "name_en": name_en,
                "level": level,
                "parent": parent,
            }
        )
        code += 1

    provinces = [f"{SYNTHETIC_PREFIX}p{i:02d}" for i in range(n_prov)]
    for i, key in enumerate(provinces):
        add(key, f"合成省{i}", f"Synthetic Province {i}", "province", "china")
    prefectures = []
    for i in range(n_pref):
        parent = provinces[i % n_prov]
        key = f"{parent}_f{i // n_prov:03d}"
        prefectures.append(key)
        add(key, f"合成市{i}", f"Synthetic Prefecture {i}", "prefecture", parent)
    parents = prefectures or provinces
    for i in range(n_county):
        parent = parents[i % len(parents)]
        add(f"{parent}_c{i // len(parents):03d}", f"合成县{i}", f"Synthetic County {i}", "county", parent)
    return records


def synthetic_registry(total: int) -> Registry:
    """A registry of ``total`` jurisdictions: the required built-in ones plus synthetic ones."""
    base = required_builtin_records()
    if total < len(base) + 1:
        raise ValueError(
            f"a synthetic registry needs at least {len(base) + 1} jurisdictions: the {len(base)} built-in ones "
            f"that parameter files refer to ({', '.join(r['key'] for r in base)}) and one synthetic province"
        )
    return Registry.from_records(base + synthetic_records(total - len(base)))


def is_synthetic(key: str) -> bool:
    return key.startswith(SYNTHETIC_PREFIX)


def synthetic_indices(registry: Registry) -> np.ndarray:
    """Registry indices of the synthetic jurisdictions (every one can compute every output)."""
    return np.array([i for i, key in enumerate(registry.keys) if is_synthetic(key)], dtype=np.int64)


# --- Parameters -------------------------------------------------------------------------------


def _node(system, path: str):
    node = system.parameters
    for name in path.split("."):
        node = node.children[name]
    return node


def _month(rng, years) -> str:
    """1st of a random month in ``years``: local standards start on many different dates."""
    return f"{rng.choice(years)}-{rng.integers(1, 13):02d}-01"


def _round(x: float, step: float) -> float:
    return float(round(x / step) * step)


@dataclass
class _Writer:
    """Adds synthetic ``Parameter`` children to by-jurisdiction nodes and counts them."""

    system: object
    count: int = 0
    values: int = 0

    def add(self, path: str, key: str, values: dict, unit: str, period: str | None = None) -> None:
        node = _node(self.system, path)
        metadata = {"unit": unit, "confidence": "assumed", "note": SYNTHETIC_NOTE}
        if period:
            metadata["period"] = period
        data = {
            "description": f"{(node.description or path).split(' / ')[0]} (synthetic)",
            "metadata": metadata,
            "values": {date: (v if isinstance(v, dict) else {"value": v}) for date, v in sorted(values.items())},
        }
        node.add_child(key, Parameter(f"{path}.{key}", data))
        self.count += 1
        self.values += len(values)


@dataclass
class _Base:
    """A jurisdiction's latest monthly levels, which its children's values are drawn around."""

    urban: float
    rural: float
    wage: float
    by_class: bool


def add_synthetic_parameters(system, seed: int = 0, records: Collection[str] | None = None) -> dict:
    """Give every synthetic jurisdiction of ``system.registry`` (or the ``records`` given) dated values; re-resolve.

    Provinces carry a full set (dibao standards, some year-quoted; class payment and class
    amounts for one in three; 特困 basic standards, a ratio to the dibao standard or both;
    minimum wage and care rates; disability subsidy and orphan amounts; monthly CPI and
    food-CPI series for 2023–2025; some employment-cost, rigid-expenditure and hardship-area
    rules). Prefectures and counties own a value only now and then and otherwise inherit,
    from a later start date than their parent's. Provinces' values start in 2021–2022, so
    every output of the microsimulation (``analysis.outputs.MicrosimOutputs``) computes
    for any month from 2023-02 to 2026-01 (the price subsidy of a month uses the previous
    month's index). The values added for those outputs come from their own random stream,
    so the other values are the same as before they were added. The tables are re-resolved at the end
    (:func:`openfisca_cn_assist.engine.resolver.refresh_resolver`). Returns the numbers of
    parameters and dated values added.

    ``records`` (registry keys) chooses other records than the synthetic ones, such as provinces of the
    national register and their descendants (benchmarks/jurisdiction_scaling.py ``--national``). Each chosen
    province gets a full set; any other chosen record draws around its parent's values (its parent at its
    last date), so that parent must be chosen too. A chosen record must not have a parameter file of its own.
    """
    chosen = is_synthetic if records is None else set(records).__contains__
    rng = np.random.default_rng(seed)
    extra = np.random.default_rng([seed, 3])  # disability, orphan and price-index values
    registry = system.registry
    w = _Writer(system)
    base: dict[str, _Base] = {}
    provinces = 0
    for j in registry.jurisdictions:
        if not chosen(j.key):
            continue
        if j.level == "province":
            base[j.key] = _province(w, j.key, provinces % 3 == 0, rng, extra)
            provinces += 1
        elif j.parent in base:  # registries list parents before their children
            base[j.key] = _local(w, j.key, j.level, base[j.parent], rng)
        else:
            raise ValueError(f"synthetic values for {j.key}: its parent {j.parent} must be chosen too")
    refresh_resolver(system)
    return {"parameters": w.count, "values": w.values}


def _province(w: _Writer, key: str, by_class: bool, rng, extra) -> _Base:
    """A full set of values; one province in three pays rural dibao by class (the first one does)."""
    first, update = _month(rng, [2021, 2022]), _month(rng, [2023, 2024])
    urban0 = _round(rng.uniform(600, 900), 10)
    urban1 = _round(urban0 * rng.uniform(1.03, 1.10), 5)
    w.add("dibao.standard_urban", key, {first: urban0, update: urban1}, "currency-CNY", "month")
    rural0 = _round(urban0 * rng.uniform(0.6, 0.85), 10)
    rural1 = _round(rural0 * rng.uniform(1.03, 1.10), 5)
    style = rng.random()
    if style < 0.4:  # quoted per person per year, as many rural notices do
        w.add("dibao.standard_rural", key, {first: rural0 * 12, update: rural1 * 12}, "currency-CNY", "year")
    elif style < 0.6:  # a monthly file whose latest entry is quoted per year
        w.add(
            "dibao.standard_rural",
            key,
            {first: rural0, update: {"value": rural1 * 12, "metadata": {"period": "year"}}},
            "currency-CNY",
            "month",
        )
    else:
        w.add("dibao.standard_rural", key, {first: rural0, update: rural1}, "currency-CNY", "month")

    if by_class:
        w.add("dibao.pays_by_class_rural", key, {first: True}, "bool")
        _class_amounts(w, key, {first: rural0, update: rural1})

    tekun = rng.random()
    if tekun < 0.6:
        factor = rng.uniform(1.3, 1.5)
        for area, level0, level1 in (("urban", urban0, urban1), ("rural", rural0, rural1)):
            values = {first: _round(level0 * factor, 10), update: _round(level1 * factor, 10)}
            w.add(f"tekun.basic_standard_{area}", key, values, "currency-CNY", "month")
    if tekun >= 0.4:
        w.add("tekun.basic_ratio_to_dibao", key, {first: 1.3}, "/1")

    wage = _round(rng.uniform(1700, 2700), 10)
    w.add("wages.minimum_wage", key, {first: _round(wage * 0.93, 10), update: wage}, "currency-CNY", "month")
    rates = (("self_care", 0.10, 0.14), ("partial_care", 0.15, 0.25), ("full_care", 0.25, 0.40))
    for name, low, high in rates:
        w.add(f"tekun.care_rate_{name}", key, {first: _round(rng.uniform(low, high), 0.01)}, "/1")

    # 残疾人两项补贴 and 孤儿 standards, so that every output computes (the built-in files have only 广西/贺州 ones).
    w.add("disability.living_subsidy_amount", key, {first: _round(extra.uniform(50, 120), 10)}, "currency-CNY", "month")
    w.add("disability.care_subsidy_amount", key, {first: _round(extra.uniform(50, 120), 10)}, "currency-CNY", "month")
    scattered = _round(extra.uniform(900, 1400), 10)
    w.add("orphan.standard_scattered", key, {first: scattered}, "currency-CNY", "month")
    institutional = _round(scattered * extra.uniform(1.3, 1.5), 10)
    w.add("orphan.standard_institutional", key, {first: institutional}, "currency-CNY", "month")
    w.add("orphan.de_facto_unsupported_at_scattered_standard", key, {first: bool(extra.random() < 0.7)}, "bool")
    _price_indices(w, key, extra)

    if rng.random() < 0.3:
        w.add("income.employment_cost_rate", key, {first: float(rng.choice([0.2, 0.25, 0.3]))}, "/1")
    if rng.random() < 0.3:
        w.add("income.rigid_expenditure_deduction_share", key, {first: float(rng.choice([0.5, 1.0]))}, "/1")
    if rng.random() < 0.15:
        w.add("tekun.age_threshold_hardship_area", key, {"2020-01-01": 60, update: 55}, "year")
        w.add("tekun.hardship_area_min_class", key, {"2020-01-01": int(rng.choice([4, 5]))}, "class")
    return _Base(urban1, rural1, wage, by_class)


# Monthly CPI and food-CPI series (a value counts only in the month it is dated): every month of
# these years, so that the price subsidy computes for any month from 2023-02 to 2026-01.
PRICE_INDEX_YEARS = (2023, 2024, 2025)


def _price_indices(w: _Writer, key: str, rng) -> None:
    """A province's monthly CPI and food-CPI rises (%): mostly below the 3.5 % / 6 % triggers, now and then above."""
    months = [f"{year}-{month:02d}-01" for year in PRICE_INDEX_YEARS for month in range(1, 13)]
    cpi = np.round(rng.normal(2.0, 1.0, len(months)), 1)
    food = np.round(rng.normal(3.0, 2.5, len(months)), 1)
    w.add("price_linkage.cpi_yoy", key, dict(zip(months, cpi.tolist())), "percent")
    w.add("price_linkage.food_cpi_yoy", key, dict(zip(months, food.tolist())), "percent")


def _class_amounts(w: _Writer, key: str, rural_by_date: dict) -> None:
    for name, share in (("a", 0.85), ("b", 0.6), ("c", 0.45)):
        values = {date: _round(rural * share, 5) for date, rural in rural_by_date.items()}
        w.add(f"dibao.class_amount_{name}", key, values, "currency-CNY", "month")


def _local(w: _Writer, key: str, level: str, parent: _Base, rng) -> _Base:
    """A prefecture or county: a few values of its own, the rest inherited."""
    county = level == "county"
    start = _month(rng, [2023, 2024] if county else [2022, 2023, 2024])
    urban, rural, wage, by_class = parent.urban, parent.rural, parent.wage, parent.by_class
    if rng.random() < (0.10 if county else 0.5):
        urban = _round(parent.urban * rng.uniform(0.98, 1.15), 5)
        w.add("dibao.standard_urban", key, {start: urban}, "currency-CNY", "month")
    if rng.random() < (0.15 if county else 0.5):
        rural = _round(parent.rural * rng.uniform(0.98, 1.15), 5)
        if rng.random() < 0.3:
            w.add("dibao.standard_rural", key, {start: rural * 12}, "currency-CNY", "year")
        else:
            w.add("dibao.standard_rural", key, {start: rural}, "currency-CNY", "month")
    if rng.random() < (0.4 if county else 0.3):  # minimum-wage tiers are set by county
        wage = _round(parent.wage * rng.uniform(0.8, 1.0), 10)
        w.add("wages.minimum_wage", key, {start: wage}, "currency-CNY", "month")
    flip = rng.random() < (0.03 if county else 0.05)
    if flip:  # a local switch between the class and the gap method
        by_class = not parent.by_class
        w.add("dibao.pays_by_class_rural", key, {start: by_class}, "bool")
    if by_class and (flip or rng.random() < 0.25):
        # One that switches to classes needs amounts; one that inherits classes may set its own.
        _class_amounts(w, key, {start: rural})
    if not county and rng.random() < 0.15:
        w.add("tekun.basic_ratio_to_dibao", key, {start: _round(rng.uniform(1.3, 1.5), 0.05)}, "/1")
    return _Base(urban, rural, wage, by_class)


# --- Households and bulk simulations ------------------------------------------------------------


@dataclass
class HouseholdArrays:
    """Households and persons as arrays (a synthetic benchmark caseload). Persons are sorted by household.

    Not to be confused with :class:`openfisca_cn_assist.caseload.readers.Caseload`, a caseload read from files.

    ``household_of_person[i]`` is the 0-based household row of person ``i``. ``persons`` and
    ``households`` map input variable names to arrays (enum inputs as integer indices).
    """

    household_of_person: np.ndarray
    persons: dict[str, np.ndarray] = field(default_factory=dict)
    households: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def n_households(self) -> int:
        return int(self.household_of_person[-1]) + 1 if len(self.household_of_person) else 0

    @property
    def n_persons(self) -> int:
        return len(self.household_of_person)


Caseload = HouseholdArrays  # the former name, kept for existing callers

HOUSEHOLD_SIZE_SHARES = {1: 0.15, 2: 0.25, 3: 0.25, 4: 0.20, 5: 0.10, 6: 0.05}  # mean 3.0


def synthetic_households(n_households: int, seed: int = 0) -> HouseholdArrays:
    """A random caseload of ``n_households`` (about 3 persons each), without jurisdictions.

    Incomes are mostly zero or low, so that many households are near the dibao line and
    every branch (gap and class payment, 特困 with care levels, deductions, 单人户, 渐退
    for households that received 低保 last month, orphans and de facto unsupported children,
    the groups the price subsidy covers) is reached.
    ``jurisdiction`` and ``dibao_class`` depend on the registry: see
    :func:`draw_jurisdictions` and :func:`draw_dibao_classes`.
    """
    rng = np.random.default_rng(seed)
    sizes_values = np.array(list(HOUSEHOLD_SIZE_SHARES))
    sizes = rng.choice(sizes_values, size=n_households, p=list(HOUSEHOLD_SIZE_SHARES.values()))
    household_of_person = np.repeat(np.arange(n_households, dtype=np.int64), sizes)
    n = len(household_of_person)
    f32 = np.float32

    def some(p, low, high):
        """Amounts in [low, high) for a share ``p`` of persons, zero for the others."""
        return np.where(rng.random(n) < p, rng.uniform(low, high, n), 0).astype(f32)

    kind = rng.random(n)
    age = np.select(
        [kind < 0.2, kind < 0.75], [rng.integers(0, 18, n), rng.integers(18, 60, n)], rng.integers(60, 96, n)
    )
    working_age = (age >= 18) & (age < 65)
    employed = working_age & (rng.random(n) < 0.6)
    wage = np.where(employed & (rng.random(n) < 0.85), rng.lognormal(np.log(2000), 0.7, n), 0).astype(f32)
    grade = np.where(rng.random(n) < 0.07, rng.integers(1, 5, n), 0)
    category = np.where(grade > 0, rng.integers(1, len(DisabilityCategory), n), DisabilityCategory.none.index)
    dependent = (age >= 75) | (grade > 0) & (grade <= 2)
    care = np.where(
        dependent,
        rng.choice(3, n, p=[0.5, 0.3, 0.2]),
        np.where(rng.random(n) < 0.03, 1, SelfCareLevel.self_care.index),
    )
    persons = {
        "age": age.astype(np.int32),
        "is_employed": employed,
        "wage_income": wage,
        "business_income": some(0.08, 200, 3000),
        "property_income": some(0.05, 10, 400),
        "transfer_income": some(0.15, 50, 800),
        "basic_pension_income": some(0.85, 150, 260) * (age >= 60),
        "medical_expenses": some(0.15, 50, 1500),
        "education_expenses": some(0.3, 50, 800) * ((age >= 6) & (age < 23)),
        "disability_grade": grade.astype(np.int32),
        "disability_category": category.astype(np.int16),
        "has_serious_illness": rng.random(n) < 0.03,
        "self_care_level": care.astype(np.int16),
        "has_able_supporter": rng.random(n) < 0.9,
    }
    # Orphans and the price subsidy's other groups, drawn from their own stream so that every other
    # input is the same as before they were added.
    extra = np.random.default_rng([seed, 4])
    orphan_like = (age < 18) & (extra.random(n) < 0.02)
    status = extra.choice(len(ChildCareStatus), n, p=[0.0, 0.2, 0.4, 0.4])  # institutional, scattered, de facto
    persons["child_care_status"] = np.where(orphan_like, status, ChildCareStatus.none.index).astype(np.int16)
    persons["receives_unemployment_insurance"] = working_age & (extra.random(n) < 0.02)
    persons["is_entitled_veteran"] = (age >= 18) & (extra.random(n) < 0.01)
    m = n_households
    recipient_last_month = rng.random(m) < 0.35  # so that some are in their 渐退 (gradual exit) period
    households = {
        "area": np.where(rng.random(m) < 0.55, Area.rural.index, Area.urban.index).astype(np.int16),
        "hardship_area_class": np.where(rng.random(m) < 0.05, rng.integers(1, 7, m), 0).astype(np.int32),
        "dibao_recipient_last_month": recipient_last_month,
        "dibao_exit_base_benefit": np.where(recipient_last_month, rng.uniform(200, 2000, m), np.nan).astype(f32),
    }
    return HouseholdArrays(household_of_person, persons, households)


def draw_jurisdictions(n_households: int, candidates: np.ndarray, seed: int = 0) -> np.ndarray:
    """A jurisdiction index per household, uniform over ``candidates`` (registry indices)."""
    rng = np.random.default_rng([seed, 1])
    return np.asarray(candidates)[rng.integers(0, len(candidates), n_households)].astype(np.int16)


def draw_dibao_classes(
    system, caseload: HouseholdArrays, jurisdiction: np.ndarray, period, seed: int = 0
) -> np.ndarray:
    """Class a/b/c for every member of a rural household whose jurisdiction pays rural dibao by class."""
    rng = np.random.default_rng([seed, 2])
    date = str(as_period(period).start)
    pays = np.nan_to_num(resolver_for(system)["dibao.pays_by_class_rural"].table(date), nan=0.0) > 0
    household_needs = pays[jurisdiction] & (caseload.households["area"] == Area.rural.index)
    needs = household_needs[caseload.household_of_person]
    classes = [DibaoClass.a.index, DibaoClass.b.index, DibaoClass.c.index]
    drawn = rng.choice(classes, caseload.n_persons, p=[0.2, 0.4, 0.4])
    return np.where(needs, drawn, DibaoClass.unclassified.index).astype(np.int16)


def build_caseload_simulation(
    system, caseload: HouseholdArrays, jurisdiction: np.ndarray, dibao_class: np.ndarray, period
) -> Simulation:
    """``build_simulation`` for :class:`HouseholdArrays` with its registry-dependent inputs."""
    return build_simulation(
        system,
        caseload.household_of_person,
        {**caseload.persons, "dibao_class": dibao_class},
        {**caseload.households, "jurisdiction": jurisdiction},
        period,
    )


def synthetic_caseload(
    system, households: HouseholdArrays, jurisdiction: np.ndarray, dibao_class: np.ndarray, name: str = "synthetic"
):
    """The arrays as a :class:`openfisca_cn_assist.caseload.readers.Caseload`: pandas DataFrames as a user passes them.

    Integer ``person_id`` and ``household_id`` columns; enum columns (``jurisdiction``, ``area``,
    ``dibao_class``, ``self_care_level`` …) as member names, as :func:`~openfisca_cn_assist.caseload.readers.read_caseload`
    returns them; numbers and booleans as they are. SYNTHETIC, and labelled so.
    """
    from openfisca_core.indexed_enums import Enum

    from openfisca_cn_assist.caseload.model import Caseload as FileCaseload

    def column(variable_name, values):
        variable = system.variables[variable_name]
        if variable.value_type is not Enum:
            return values
        names = np.array([member.name for member in variable.possible_values], dtype=object)
        return pd.array(names[values], dtype="str")

    persons = {"person_id": np.arange(households.n_persons), "household_id": households.household_of_person}
    persons.update({k: column(k, v) for k, v in {**households.persons, "dibao_class": dibao_class}.items()})
    frame = {"household_id": np.arange(households.n_households)}
    frame.update({k: column(k, v) for k, v in {**households.households, "jurisdiction": jurisdiction}.items()})
    return FileCaseload(
        pd.DataFrame(persons),
        pd.DataFrame(frame),
        name=name,
        synthetic=True,
        description="SYNTHETIC benchmark caseload (openfisca_cn_assist.caseload.synthetic); not real households",
    )
