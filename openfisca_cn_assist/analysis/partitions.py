"""Caseloads in partitions of whole households, so that no caseload has to fit in one process.

A partition is a small, picklable *description* of some households: it is loaded where it runs
(a Dask worker or this process), and :func:`openfisca_cn_assist.analysis.microsim.run_partition` computes
it in one vectorised simulation. Three kinds:

* :class:`CaseloadPartition`: households of a caseload already in memory
  (:func:`split_caseload` cuts a :class:`~openfisca_cn_assist.caseload.readers.Caseload` into ranges of
  its households table, each with all its members);
* :class:`FilePartition`: one persons file and, optionally, one households file of a folder
  (:func:`folder_partitions`), read and checked where it runs, so that a caseload larger than
  memory can be simulated. Layout (docs/scale.md)::

      persons/part-00000.parquet    households/part-00000.parquet
      persons/part-00001.parquet    households/part-00001.parquet
      …

  Files pair by their path relative to the folder, suffix aside (``region=yunnan/part-3.parquet``
  pairs with the same path under the other folder), and every household's members are in the
  persons file of its own partition. Each pair is an ordinary caseload (docs/analysts.md, "Caseload files"):
  errors name the file, the row and the column. Without a households folder, household columns sit
  on the persons files. Partitions run in the order of their sorted names.
* :class:`SyntheticPartition`: a slice of a SYNTHETIC caseload (``synthetic:N``), generated where
  it runs from the seed alone, so 2 × 10⁷ households never exist in one process; the caseload is
  drawn in fixed blocks, so it is the same whatever the partition size.

:class:`PartitionedCaseload` holds the partitions and the caseload's name and labels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import ETERNITY

from openfisca_cn_assist.analysis import DEFAULT_PARTITION_SIZE  # noqa: E402 - re-exported here
from openfisca_cn_assist.caseload.bulk import as_input, build_simulation
from openfisca_cn_assist.caseload.columns import prepare_caseload
from openfisca_cn_assist.caseload.input_rows import InputRows, id_rows, input_rows
from openfisca_cn_assist.caseload.model import (
    HOUSEHOLD_ID,
    METADATA_KEY,
    PERSON_ID,
    STATE_INPUTS,
    WEIGHT,
    Caseload,
    CaseloadError,
)
from openfisca_cn_assist.caseload.readers import builtin_caseload, read_caseload, write_caseload
from openfisca_cn_assist.caseload.simulation import caseload_simulation, simulation_months

CASELOAD_SUFFIXES = (".parquet", ".pq", ".csv")
SYNTHETIC_SPEC = re.compile(r"^synthetic:(\d[\d_]*)(?::(\d+))?$")


# --- Partitions ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseloadPartition:
    """Some households of a caseload in memory, with all their members; ``first`` is the 0-based input row of the first."""

    index: int
    name: str
    caseload: Caseload
    first: int = 0
    person_rows: np.ndarray | None = field(default=None, compare=False, repr=False)  # members' rows in the input

    @property
    def where(self) -> str:
        households = 0 if self.caseload.households is None else len(self.caseload.households)
        if not households:
            return f"{self.caseload.name}"
        return f"{self.caseload.name}, households {self.first + 1:,}–{self.first + households:,} of the input"

    def load(self) -> Caseload:
        return self.caseload

    def input_rows(self, simulation) -> InputRows:
        """The partition's rows named by their rows in the whole input (as a run of the whole caseload would)."""
        return input_rows(simulation).shifted(self.first, self.person_rows)


@dataclass(frozen=True)
class FilePartition:
    """One persons file and its households file (or None), read and checked where the partition runs."""

    index: int
    name: str
    persons: str
    households: str | None = None

    @property
    def where(self) -> str:
        return self.persons + (f" and {self.households}" if self.households else "")

    def load(self) -> Caseload:
        return read_caseload(self.persons, self.households)

    def input_rows(self, simulation) -> InputRows:
        """Rows named in this partition's own files (one file among several: the file is named too)."""
        rows = input_rows(simulation)
        tables = {
            "person": Path(self.persons).name,
            "household": Path(self.households).name if self.households else None,
        }
        return InputRows(rows.ids, rows.rows, tables, rows.household_of_person)


@dataclass
class ArrayCaseload:
    """A caseload as arrays (persons sorted or not by household); enum inputs as indices or member names."""

    household_ids: np.ndarray
    household_of_person: np.ndarray
    persons: dict
    households: dict
    weights: np.ndarray | None = None
    name: str = "caseload"
    synthetic: bool = False

    def to_caseload(self, system, description: str = "") -> Caseload:
        """The same households as a :class:`Caseload` of DataFrames (enum columns as member names), e.g. to write files."""

        def column(name, values):
            variable = system.variables[name]
            if variable.value_type is Enum:
                indices = np.asarray(as_input(variable, values))
                return np.array([m.name for m in variable.possible_values], dtype=object)[indices]
            return np.asarray(values)

        household_of_person = np.asarray(self.household_of_person)
        position = pd.Series(household_of_person).groupby(household_of_person).cumcount().to_numpy()
        household_id = np.asarray(self.household_ids)[household_of_person]
        persons = {
            # household id × 100 + the member's position: unique across partitions of integer-id households
            PERSON_ID: household_id.astype(np.int64) * 100 + position
            if household_id.dtype.kind in "iu"
            else np.char.add(household_id.astype(str), np.char.add("-", position.astype(str))),
            HOUSEHOLD_ID: household_id,
            **{name: column(name, values) for name, values in self.persons.items()},
        }
        households = {HOUSEHOLD_ID: np.asarray(self.household_ids)}
        if self.weights is not None:
            households[WEIGHT] = np.asarray(self.weights, dtype=float)
        households.update({name: column(name, values) for name, values in self.households.items()})
        return Caseload(
            pd.DataFrame(persons),
            pd.DataFrame(households),
            name=self.name,
            synthetic=self.synthetic,
            description=description,
        )


SYNTHETIC_BLOCK = 10_000  # households drawn from one seed: the caseload does not depend on the partition size


@dataclass(frozen=True)
class SyntheticPartition:
    """Households ``first + 1 … first + count`` of a SYNTHETIC caseload of ``total`` households.

    The caseload is drawn in blocks of :data:`SYNTHETIC_BLOCK` households, block ``b`` from
    ``SeedSequence([seed, b])`` alone, so that it is the same whatever the partition size and
    whoever generates it; a partition generates the blocks it overlaps. ``jurisdictions``
    (registry indices) are drawn uniformly; members of rural households in ``class_jurisdictions``
    get a 低保 class A/B/C (20/40/40 %). Both are fixed by the caller from the baseline system, so
    that a reform never changes the households.
    """

    index: int
    name: str
    first: int
    count: int
    total: int
    seed: int
    jurisdictions: tuple[int, ...]
    class_jurisdictions: tuple[int, ...] = ()
    caseload_name: str = "synthetic"

    @property
    def where(self) -> str:
        return f"SYNTHETIC households {self.first + 1:,}–{self.first + self.count:,} (seed {self.seed})"

    def _block(self, block: int) -> ArrayCaseload:
        from openfisca_cn_assist.caseload.synthetic import synthetic_households
        from openfisca_cn_assist.engine.enums import Area, DibaoClass

        start = block * SYNTHETIC_BLOCK
        size = min(SYNTHETIC_BLOCK, self.total - start)
        household_seed, draws = np.random.SeedSequence([self.seed, block]).spawn(2)
        arrays = synthetic_households(size, seed=int(household_seed.generate_state(1, np.uint64)[0]))
        rng = np.random.default_rng(draws)
        candidates = np.asarray(self.jurisdictions, dtype=np.int16)
        jurisdiction = candidates[rng.integers(0, len(candidates), size)]
        rural = np.asarray(arrays.households["area"]) == Area.rural.index
        by_class = np.isin(jurisdiction, np.asarray(self.class_jurisdictions, dtype=np.int16)) & rural
        drawn = rng.choice(
            [DibaoClass.a.index, DibaoClass.b.index, DibaoClass.c.index], arrays.n_persons, p=[0.2, 0.4, 0.4]
        )
        dibao_class = np.where(by_class[arrays.household_of_person], drawn, DibaoClass.unclassified.index).astype(
            np.int16
        )
        return ArrayCaseload(
            household_ids=np.arange(start + 1, start + size + 1, dtype=np.int64),
            household_of_person=arrays.household_of_person,
            persons={**arrays.persons, "dibao_class": dibao_class},
            households={**arrays.households, "jurisdiction": jurisdiction},
        )

    def load(self) -> ArrayCaseload:
        last = self.first + self.count  # exclusive
        pieces = []
        for block in range(self.first // SYNTHETIC_BLOCK, (last - 1) // SYNTHETIC_BLOCK + 1):
            data = self._block(block)
            start = block * SYNTHETIC_BLOCK
            low, high = max(self.first - start, 0), min(last - start, len(data.household_ids))
            persons = (data.household_of_person >= low) & (data.household_of_person < high)
            pieces.append(
                (
                    data.household_ids[low:high],
                    data.household_of_person[persons] - low,
                    {k: np.asarray(v)[persons] for k, v in data.persons.items()},
                    {k: np.asarray(v)[low:high] for k, v in data.households.items()},
                )
            )
        offsets = np.cumsum([0] + [len(ids) for ids, _, _, _ in pieces[:-1]])
        return ArrayCaseload(
            household_ids=np.concatenate([ids for ids, _, _, _ in pieces]),
            household_of_person=np.concatenate([rows + offset for (_, rows, _, _), offset in zip(pieces, offsets)]),
            persons={k: np.concatenate([p[k] for _, _, p, _ in pieces]) for k in pieces[0][2]},
            households={k: np.concatenate([h[k] for _, _, _, h in pieces]) for k in pieces[0][3]},
            name=self.caseload_name,
            synthetic=True,
        )


Partition = CaseloadPartition | FilePartition | SyntheticPartition


@dataclass
class PartitionedCaseload:
    """A caseload as partitions of whole households, with what reports say about it."""

    name: str
    partitions: list
    synthetic: bool = False
    description: str = ""
    households: int | None = None  # when known before running

    def __post_init__(self):
        names = [p.name for p in self.partitions]
        if not names:
            raise CaseloadError(f"caseload {self.name!r} has no partition")
        duplicated = sorted({n for n in names if names.count(n) > 1})
        if duplicated:
            raise CaseloadError(f"caseload {self.name!r}: partition names {duplicated} appear more than once")

    def __len__(self) -> int:
        return len(self.partitions)


# --- Simulations -----------------------------------------------------------------------------------


def array_simulation(system, caseload: ArrayCaseload, period):
    """One simulation of an :class:`ArrayCaseload` over ``period``, as :func:`caseload_simulation` does for files.

    Monthly inputs hold for every month (the same array, not a copy), 渐退 state inputs for the
    first month, ``ETERNITY`` inputs once.
    """
    months = [str(m) for m in simulation_months(period)]

    def by_month(inputs: dict) -> dict:
        out = {}
        for name, values in inputs.items():
            variable = system.get_variable(name, check_existence=True)
            values = as_input(variable, values)
            once = variable.definition_period == ETERNITY or name in STATE_INPUTS
            out[name] = {months[0]: values} if once else dict.fromkeys(months, values)
        return out

    simulation = build_simulation(
        system, caseload.household_of_person, by_month(caseload.persons), by_month(caseload.households)
    )
    simulation.household_ids = np.asarray(caseload.household_ids)
    simulation.person_ids = np.arange(len(caseload.household_of_person))
    simulation.input_rows = id_rows(caseload.household_ids, household_of_person=caseload.household_of_person)
    n = len(caseload.household_ids)
    simulation.household_weights = np.ones(n) if caseload.weights is None else np.asarray(caseload.weights, dtype=float)
    simulation.caseload_name = caseload.name
    return simulation


def partition_simulation(system, data, period):
    """The simulation of a loaded partition: a :class:`Caseload` or an :class:`ArrayCaseload`."""
    if isinstance(data, ArrayCaseload):
        return array_simulation(system, data, period)
    return caseload_simulation(system, data, period, lead_in=True)


# --- Making partitions -----------------------------------------------------------------------------


def _check_size(partition_size) -> int:
    if partition_size is None:
        return DEFAULT_PARTITION_SIZE
    if int(partition_size) < 1:
        raise ValueError(f"a partition holds at least one household, got {partition_size}")
    return int(partition_size)


def split_caseload(caseload: Caseload, partition_size: int | None = None, system=None) -> PartitionedCaseload:
    """``caseload`` in partitions of ``partition_size`` households (the last one smaller), in input order.

    A caseload no larger than one partition stays whole. A larger one is checked first, whole, so
    that an error names the rows of the input, then cut along its households table.
    """
    size = _check_size(partition_size)
    labels = dict(name=caseload.name, synthetic=caseload.synthetic, description=caseload.description)
    households = caseload.households
    if households is not None and not caseload.households_derived and len(households) <= size:
        return PartitionedCaseload(
            partitions=[CaseloadPartition(0, "part-00000", caseload)], households=len(households), **labels
        )
    if system is None:
        from openfisca_cn_assist.caseload.readers import _default_system

        system = _default_system()
    prepared = prepare_caseload(system, caseload)  # fills caseload.households when derived from the persons table
    n = len(prepared.household_ids)
    if n <= size:
        return PartitionedCaseload(partitions=[CaseloadPartition(0, "part-00000", caseload)], households=n, **labels)
    household_of_person = prepared.household_of_person
    partitions = []
    for index, first in enumerate(range(0, n, size)):
        last = min(first + size, n)
        members = (household_of_person >= first) & (household_of_person < last)
        part = Caseload(
            persons=caseload.persons.loc[members].reset_index(drop=True),
            households=None
            if caseload.households_derived
            else caseload.households.iloc[first:last].reset_index(drop=True),
            name=caseload.name,
            synthetic=caseload.synthetic,
            description=caseload.description,
            persons_source=caseload.persons_source,
            households_source=caseload.households_source,
            metadata=caseload.metadata,
        )
        partitions.append(CaseloadPartition(index, f"part-{index:05d}", part, first, np.flatnonzero(members)))
    return PartitionedCaseload(partitions=partitions, households=n, **labels)


def _caseload_files(folder: Path) -> dict[str, Path]:
    files = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix.lower() in CASELOAD_SUFFIXES and not path.name.startswith((".", "_")):
            name = path.relative_to(folder).with_suffix("").as_posix()
            if name in files:
                raise CaseloadError(f"{folder}: {files[name].name} and {path.name} are the same partition; keep one")
            files[name] = path
    return files


def folder_partitions(persons_dir, households_dir=None) -> PartitionedCaseload:
    """One partition per persons file of ``persons_dir`` (Parquet or CSV), paired by name with ``households_dir``'s files.

    Files are only listed here (and the first one's metadata read); each is read and checked where
    its partition runs. A persons file without a households file of the same name, or the other
    way round, stops with an error naming them.
    """
    persons_dir = Path(persons_dir)
    if not persons_dir.is_dir():
        raise CaseloadError(f"{persons_dir}: not a folder")
    persons = _caseload_files(persons_dir)
    if not persons:
        raise CaseloadError(f"{persons_dir}: no caseload files ({', '.join(CASELOAD_SUFFIXES)}) in the folder")
    households: dict[str, Path] = {}
    if households_dir is not None:
        households_dir = Path(households_dir)
        if not households_dir.is_dir():
            raise CaseloadError(f"{households_dir}: not a folder (with a persons folder, give a households folder)")
        households = _caseload_files(households_dir)
        alone = sorted(set(persons) ^ set(households))
        if alone:
            shown = [str(persons[n] if n in persons else households[n]) for n in alone[:5]]
            raise CaseloadError(
                f"partition files must pair by name: {', '.join(shown)}{' …' if len(alone) > 5 else ''} "
                f"({len(alone)} in all) {'has' if len(alone) == 1 else 'have'} no file of the same name in "
                f"{households_dir if alone[0] in persons else persons_dir}"
            )
    names = sorted(persons)
    partitions = [
        FilePartition(i, name, str(persons[name]), str(households[name]) if households else None)
        for i, name in enumerate(names)
    ]
    metadata = _parquet_metadata(persons[names[0]])
    stem = persons_dir.name
    return PartitionedCaseload(
        name=metadata.get("name", stem[: -len("_persons")] if stem.endswith("_persons") else stem),
        partitions=partitions,
        synthetic=bool(metadata.get("synthetic", False)),
        description=metadata.get("description", ""),
    )


def _parquet_metadata(path: Path) -> dict:
    if path.suffix.lower() not in (".parquet", ".pq"):
        return {}
    import json

    import pyarrow.parquet as pq

    try:
        raw = (pq.read_schema(path).metadata or {}).get(METADATA_KEY)
    except Exception as error:  # pyarrow's own errors
        raise CaseloadError(f"{path}: cannot read the persons file: {error}") from error
    return json.loads(raw) if raw else {}


def write_partitions(
    caseload: Caseload, persons_dir, households_dir=None, partition_size: int | None = None
) -> list[str]:
    """Write ``caseload`` as a partitioned folder (``part-00000.parquet`` …) that :func:`folder_partitions` reads."""
    persons_dir = Path(persons_dir)
    persons_dir.mkdir(parents=True, exist_ok=True)
    if households_dir is not None:
        Path(households_dir).mkdir(parents=True, exist_ok=True)
    names = []
    for partition in split_caseload(caseload, partition_size).partitions:
        part = partition.caseload
        write_caseload(
            part,
            persons_dir / f"{partition.name}.parquet",
            None if households_dir is None else Path(households_dir) / f"{partition.name}.parquet",
        )
        names.append(partition.name)
    return names


# --- Synthetic caseloads ------------------------------------------------------------------------------


def parse_synthetic(spec: str) -> tuple[int, int] | None:
    """``synthetic:N`` or ``synthetic:N:SEED`` → (N, SEED); None for anything else."""
    match = SYNTHETIC_SPEC.match(spec.strip())
    if not match:
        return None
    return int(match.group(1).replace("_", "")), int(match.group(2) or 0)


def computable_jurisdictions(system, period) -> tuple[list[str], list[str]]:
    """Jurisdictions without children whose urban and rural 低保 standards are in force every month of ``period``
    (in the national register: among the divisions with a project key, and in force themselves), and those of
    them that pay rural 低保 by class in some month."""
    from openfisca_cn_assist.engine.resolver import resolver_for

    registry = system.registry
    # In the national register: the divisions with a project key (the rest are drawn only when asked for).
    keyed = np.array([not key[:1].isdigit() for key in registry.keys])
    parents = {j.parent for j, named in zip(registry.jurisdictions, keyed) if named}
    leaves = np.array([key not in parents for key in registry.keys]) & keyed
    resolver = resolver_for(system)
    ok = leaves.copy()
    by_class = np.zeros(len(registry), dtype=bool)
    for month in simulation_months(period):
        date = str(month.start)
        ok &= registry.in_force_at(date) == np.arange(len(registry)) if registry.dated else True
        for path in ("dibao.standard_urban", "dibao.standard_rural"):
            ok &= np.isfinite(resolver[path].table(date))
        by_class |= np.nan_to_num(resolver["dibao.pays_by_class_rural"].table(date), nan=0.0) > 0
    keys = [k for k, good in zip(registry.keys, ok) if good]
    return keys, [k for k, good, c in zip(registry.keys, ok, by_class) if good and c]


def synthetic_partitions(
    system,
    households: int,
    period,
    partition_size: int | None = None,
    seed: int = 0,
    jurisdictions: list[str] | None = None,
) -> PartitionedCaseload:
    """A SYNTHETIC caseload of ``households`` households in partitions generated where they run.

    Partition ``i`` holds households ``i × size + 1 …``. Households are drawn by
    :func:`openfisca_cn_assist.caseload.synthetic.synthetic_households` (about 3 persons each) in blocks of
    :data:`SYNTHETIC_BLOCK`, block ``b`` from ``SeedSequence([seed, b])``, over ``jurisdictions``
    (default: :func:`computable_jurisdictions` of the baseline ``system``): the same caseload comes
    out whatever the partition size, the number of workers and the order they run in.
    """
    size = _check_size(partition_size)
    if households < 1:
        raise ValueError("a synthetic caseload needs at least one household")
    keys, class_keys = computable_jurisdictions(system, period)
    if jurisdictions is not None:
        unknown = [k for k in jurisdictions if k not in system.registry]
        if unknown:
            raise ValueError(f"unknown jurisdictions {unknown}")
        class_keys = [k for k in jurisdictions if k in class_keys]
        keys = list(jurisdictions)
    if not keys:
        raise ValueError(f"no jurisdiction has urban and rural 低保 standards in force throughout {period}")
    index = system.registry.index
    codes = tuple(index[k] for k in keys)
    class_codes = tuple(index[k] for k in class_keys)
    name = f"synthetic_{households}" + (f"_seed{seed}" if seed else "")
    partitions = [
        SyntheticPartition(
            i, f"part-{i:05d}", first, min(size, households - first), households, seed, codes, class_codes, name
        )
        for i, first in enumerate(range(0, households, size))
    ]
    description = (
        f"SYNTHETIC caseload: {households:,} invented households (about 3 persons each), not real people, drawn by "
        f"openfisca_cn_assist.caseload.synthetic.synthetic_households from seed {seed}, "
        f"uniformly over {', '.join(keys)}"
    )
    return PartitionedCaseload(
        name=name, partitions=partitions, synthetic=True, description=description, households=households
    )


def as_partitioned(
    caseload: Caseload | PartitionedCaseload | str, period, system, partition_size: int | None = None
) -> PartitionedCaseload:
    """``caseload`` in partitions: a built-in name or ``"synthetic:N[:SEED]"`` (its jurisdictions those of the
    baseline ``system`` over ``period``), a :class:`Caseload` cut by :func:`split_caseload`, or a
    :class:`PartitionedCaseload` as it is."""
    if isinstance(caseload, PartitionedCaseload):
        return caseload
    if isinstance(caseload, str):
        synthetic = parse_synthetic(caseload)
        if synthetic:
            return synthetic_partitions(system, synthetic[0], period, partition_size, synthetic[1])
        caseload = builtin_caseload(caseload)
    if not isinstance(caseload, Caseload):
        raise TypeError(f"expected a caseload name, a Caseload or a PartitionedCaseload, got {type(caseload).__name__}")
    return split_caseload(caseload, partition_size, system)
