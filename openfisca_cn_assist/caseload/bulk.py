"""Build one vectorised ``Simulation`` from arrays, without ``SimulationBuilder``'s per-entity dictionaries.

``SimulationBuilder.build_from_entities`` (and its bulk API) copies ids into Python lists and
fills a per-person array of role objects: at 10⁶ persons that costs as much as computing the
caseload (DESIGN.md, "Performance habits"). Here the populations are set directly from arrays:
ids are integer ranges and the household's single role is filled in lazily by OpenFisca if a
formula asks for it. Any caseload given as arrays can use it: the synthetic benchmark caseloads
(:mod:`openfisca_cn_assist.caseload.synthetic`) and caseload files (:mod:`openfisca_cn_assist.caseload.readers`).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping

import numpy as np
from openfisca_core.experimental import MemoryConfig
from openfisca_core.indexed_enums import Enum, EnumArray
from openfisca_core.periods import ETERNITY
from openfisca_core.periods import period as as_period
from openfisca_core.populations import GroupPopulation, Population
from openfisca_core.simulations import Simulation

from openfisca_cn_assist.engine.enums import allowed_values, member_lookup
from openfisca_cn_assist.engine.errors import rows_text

# Intermediate variables that one formula only reads, once a month: a bulk simulation computes them
# when asked and does not keep them (OpenFisca's MemoryConfig.variables_to_drop), which saves 12 MB
# a month each at 3×10⁶ persons and never computes them twice. Asked for again, they are computed again.
NOT_KEPT = frozenset(
    {
        "gross_income",  # read by countable_income_net (and household_income_past_12_months, rarely)
        "excluded_basic_pension",  # countable_income_net
        "employment_cost_deduction",  # countable_income_net
        "rigid_expenditure_deduction",  # countable_income_net
        "tekun_age_threshold",  # tekun_old_enough
        "dibao_class_amount",  # dibao_regular_benefit
    }
)


def strictly_increasing(keys: np.ndarray) -> bool:
    """Integer ids in strictly increasing order (as generated ids are): unique, and found by bisection."""
    return keys.dtype.kind == "i" and bool(np.all(keys[1:] > keys[:-1]))


def rows_of(keys: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """The row of each ``wanted`` id among ``keys`` (unique), -1 where absent: ``pd.Index.get_indexer``."""
    if len(keys) and wanted.dtype.kind == "i" and strictly_increasing(keys):
        if keys[-1] - keys[0] == len(keys) - 1:  # consecutive ids: the row is an offset
            rows = wanted - keys[0]
            return np.where((rows >= 0) & (rows < len(keys)), rows, -1)
        rows = np.searchsorted(keys, wanted)
        found = rows < len(keys)
        found[found] = keys[rows[found]] == wanted[found]
        return np.where(found, rows, -1)
    import pandas as pd  # only for ids neither integer nor sorted: building a simulation needs no pandas

    return pd.Index(keys).get_indexer(wanted)


def enum_indices(variable, values) -> np.ndarray:
    """Integer indices of an Enum variable's values, given as an EnumArray, indices or member names.

    Raises ``ValueError`` naming the variable, the allowed values and the first bad rows.
    """
    enum = variable.possible_values
    if isinstance(values, EnumArray):
        return np.asarray(values).astype(np.int16)
    values = np.asarray(values)
    size = len(enum)
    if values.dtype.kind in "iu":
        bad = (values < 0) | (values >= size)
        if bad.any():
            rows = np.flatnonzero(bad)
            raise ValueError(f"{variable.name}: enum indices must lie in [0, {size}); rows {rows_text(rows)} do not")
        return values.astype(np.int16, copy=False)
    if values.dtype.kind in "OUS":
        names = [member.name for member in enum]
        uniques, inverse = np.unique(values.astype(str), return_inverse=True)
        lookup = member_lookup(enum)
        codes = np.array([lookup.get(u, -1) for u in uniques], dtype=np.int16)  # one entry per distinct value
        unknown = uniques[codes < 0]
        if len(unknown):
            rows = np.flatnonzero(np.isin(values.astype(str), unknown))
            expected = allowed_values(enum, unknown[0]) or f"; allowed: {', '.join(names)}"
            raise ValueError(
                f"{variable.name}: unknown values {unknown[:5].tolist()} on rows {rows_text(rows)}{expected}"
            )
        return codes[inverse.reshape(-1)]
    raise TypeError(f"{variable.name}: enum values must be member names or integer indices, got {values.dtype}")


def as_input(variable, values) -> np.ndarray | EnumArray:
    """``values`` in the variable's own dtype (an EnumArray for Enum variables)."""
    if variable.value_type is Enum:
        return EnumArray(enum_indices(variable, values), variable.possible_values)
    return np.asarray(values).astype(variable.dtype, copy=False)


def build_simulation(
    system,
    household_of_person: np.ndarray,
    person_inputs: Mapping,
    household_inputs: Mapping,
    period=None,
    keep_intermediates: bool = False,
) -> Simulation:
    """A ``Simulation`` from arrays: each person's household row, and person and household inputs.

    ``household_of_person[i]`` is the 0-based household row of person ``i``; every household
    row from 0 to the largest must have a member. Persons need not be sorted by household.

    Each input is either an array, set for ``period`` through the variable's own ``set_input``
    (so a yearly amount given for a year is divided over its months), or a mapping from periods
    to arrays (``{"2022-07": wages_july, "2022-08": wages_august}``), each set for its period.
    Inputs of ``ETERNITY`` variables are set once, whatever the period. Enum inputs may be
    EnumArrays, integer indices or member-name strings.

    The intermediate variables in :data:`NOT_KEPT` are not kept once used, unless
    ``keep_intermediates`` (results are the same; asking for one again computes it again).

    Equivalent to ``SimulationBuilder``'s bulk API (``create_entities``, ``declare_person_entity``,
    ``declare_entity``, ``join_with_persons``, ``build``) for this package's one group entity with
    its one role, without that API's Python-level copies (0.9 s at 3×10⁶ persons against 0.03 s).
    """
    household_of_person = np.asarray(household_of_person)
    if not np.issubdtype(household_of_person.dtype, np.integer):
        raise TypeError("household_of_person must be integer household rows")
    n_persons = len(household_of_person)
    n_households = int(household_of_person.max()) + 1 if n_persons else 0
    if n_persons and household_of_person.min() < 0:
        raise ValueError("household_of_person has negative rows")
    empty = np.flatnonzero(np.bincount(household_of_person, minlength=n_households) == 0)
    if len(empty):
        raise ValueError(f"households without members: rows {empty[:5].tolist()} ({len(empty)} in all)")

    populations = system.instantiate_entities()
    persons: Population = populations[system.person_entity.key]
    persons.ids = np.arange(n_persons)
    persons.count = n_persons
    groups = [p for p in populations.values() if isinstance(p, GroupPopulation)]
    if len(groups) != 1 or len(groups[0].entity.flattened_roles) != 1:
        raise ValueError("build_simulation handles one group entity with one role (the household and its members)")
    for population in groups:
        population.ids = np.arange(n_households)
        population.count = n_households
        population.members_entity_id = household_of_person
    simulation = Simulation(system, populations)
    if not keep_intermediates:
        with warnings.catch_warnings():  # MemoryConfig warns that it is experimental
            warnings.simplefilter("ignore")
            simulation.memory_config = MemoryConfig(
                max_memory_occupation=1,  # never to disk
                priority_variables=set(system.variables),  # none goes to disk: no temporary folder, no memory probe
                variables_to_drop=NOT_KEPT & set(system.variables),
            )

    for inputs, count in ((person_inputs, n_persons), (household_inputs, n_households)):
        for name, given in inputs.items():
            variable = system.get_variable(name, check_existence=True)
            by_period = given if isinstance(given, Mapping) else {period: given}
            converted = {}  # id → (given array, converted array): one conversion per distinct array
            for at, values in by_period.items():
                if variable.definition_period == ETERNITY:
                    at = ETERNITY
                elif at is None:
                    raise ValueError(f"{name}: no period given for its values")
                if id(values) not in converted:
                    converted[id(values)] = (values, as_input(variable, values))
                values = converted[id(values)][1]
                if len(values) != count:
                    raise ValueError(f"{name}: {len(values)} values for {count} {variable.entity.plural}")
                _set_input(simulation, name, variable, as_period(at), values)
    return simulation


def _set_input(simulation, name, variable, period, values) -> None:
    """``simulation.set_input``, storing ``values`` itself when ``period`` is exactly one of the variable's periods.

    For one month of a monthly variable, OpenFisca's ``set_input_divide_by_period`` and
    ``set_input_dispatch_by_period`` store a copy (divided by 1, or dispatched to that one month).
    Storing the array itself gives the same values, and lets a caseload's monthly input given once for
    the twelve months of a year take the memory of one month instead of twelve (12 × 12 MB a float
    input at 3×10⁶ persons). Any other period, or one already set, goes through ``set_input`` as before
    (with its own checks: a second, different value for a month is an error there).
    """
    holder = simulation.get_holder(name)
    exact = period.unit == variable.definition_period and period.size == 1
    if exact and not variable.is_neutralized and holder.get_array(period) is None:
        holder._set(period, values)  # what set_input ends in, without the copy
    else:
        simulation.set_input(name, period, values)
