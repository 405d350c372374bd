"""Reading and writing caseload files (CSV or Parquet), and the built-in caseloads.

What the files contain and how they are checked: :mod:`openfisca_cn_assist.caseload.columns`.
"""

from __future__ import annotations

import csv
import functools
import json
from pathlib import Path

import pandas as pd

from openfisca_cn_assist.caseload.columns import _suggest, prepare_caseload
from openfisca_cn_assist.caseload.model import HOUSEHOLD_ID, METADATA_KEY, Caseload, CaseloadError
from openfisca_cn_assist.engine.paths import CASELOADS_DIR, builtin_caseload_names  # noqa: E402


@functools.lru_cache(maxsize=1)
def _default_system():
    from openfisca_cn_assist.engine.system import builtin_system

    return builtin_system()


def _read_table(path: Path, what: str) -> tuple[pd.DataFrame, dict]:
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            with open(path, encoding="utf-8-sig", newline="") as f:
                header = next(csv.reader(f), [])
            duplicated = sorted({c for c in header if header.count(c) > 1})
            if duplicated:
                raise CaseloadError(f"{path}: columns {duplicated} appear more than once")
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
            return frame, {}
        if suffix in (".parquet", ".pq"):
            import pyarrow.parquet as pq

            table = pq.read_table(path)
            raw = (table.schema.metadata or {}).get(METADATA_KEY)
            return table.to_pandas(), (json.loads(raw) if raw else {})
    except CaseloadError:
        raise
    except (OSError, ValueError, pd.errors.ParserError) as error:
        raise CaseloadError(f"{path}: cannot read the {what} file: {error}") from error
    except Exception as error:  # pyarrow's own errors (ArrowInvalid …)
        raise CaseloadError(f"{path}: cannot read the {what} file: {error}") from error
    raise CaseloadError(f"{path}: the {what} file must be .csv or .parquet")


def read_caseload(persons_path, households_path=None, system=None) -> Caseload:
    """Read and check a caseload from a persons file and an optional households file (CSV or Parquet).

    ``system`` (default: the built-in one) gives the variables and jurisdictions the files may
    use. Parquet files written by :func:`write_caseload` carry the caseload's name, description
    and whether it is synthetic; otherwise the name is the persons file's stem.
    """
    persons_path = Path(persons_path)
    persons, metadata = _read_table(persons_path, "persons")
    households = None
    households_source = "households table"
    if households_path is not None:
        households_path = Path(households_path)
        households, _ = _read_table(households_path, "households")
        households_source = str(households_path)
    stem = persons_path.stem
    caseload = Caseload(
        persons=persons,
        households=households,
        name=metadata.get("name", stem[: -len("_persons")] if stem.endswith("_persons") else stem),
        synthetic=bool(metadata.get("synthetic", False)),
        description=metadata.get("description", ""),
        persons_source=str(persons_path),
        households_source=households_source,
        metadata=metadata,
    )
    prepared = prepare_caseload(system or _default_system(), caseload)
    # The files' text becomes numbers, booleans and member names.
    for frame_name, typed in (("persons", prepared.person_columns), ("households", prepared.household_columns)):
        frame = getattr(caseload, frame_name).copy()
        for column, series in typed.items():
            frame[column] = series.set_axis(frame.index)
        setattr(caseload, frame_name, frame)
    return caseload


def _metadata(caseload: Caseload) -> dict:
    return {
        **caseload.metadata,
        "name": caseload.name,
        "synthetic": caseload.synthetic,
        "description": caseload.description,
    }


def _write_table(frame: pd.DataFrame, path: Path, metadata: dict | None) -> None:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        out = frame.copy()
        for column in out.columns:
            if pd.api.types.is_bool_dtype(out[column].dtype):
                out[column] = out[column].astype(object).map({True: "true", False: "false"})
        out.to_csv(path, index=False, encoding="utf-8")
    elif suffix in (".parquet", ".pq"):
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_pandas(frame, preserve_index=False)
        # Only our own metadata: pandas' would record its version and make the file differ between machines.
        schema_metadata = (
            {METADATA_KEY: json.dumps(metadata, ensure_ascii=False, sort_keys=True).encode()} if metadata else {}
        )
        table = table.replace_schema_metadata(schema_metadata)
        pq.write_table(table, path, compression="zstd")
    else:
        raise ValueError(f"{path}: a caseload file must be .csv or .parquet")


def write_caseload(caseload: Caseload, persons_path, households_path=None) -> None:
    """Write ``caseload`` as CSV or Parquet (by suffix).

    Without ``households_path``, the household columns go on the persons file.

    Parquet files keep the caseload's name, description and ``synthetic`` flag as file metadata.
    """
    persons_path = Path(persons_path)
    persons = caseload.persons
    if households_path is None:
        if caseload.households is not None and not caseload.households_derived:
            extra = [c for c in caseload.households.columns if c != HOUSEHOLD_ID]
            persons = persons.merge(caseload.households, on=HOUSEHOLD_ID, how="left", validate="many_to_one")
            persons = persons[list(caseload.persons.columns) + extra]
        _write_table(persons, persons_path, _metadata(caseload))
        return
    if caseload.households is None:
        raise ValueError("this caseload has no households table; read or simulate it first, or give no households path")
    if caseload.households_derived:
        household_columns = [c for c in caseload.households.columns if c != HOUSEHOLD_ID]
        persons = persons.drop(columns=household_columns)
    _write_table(persons, persons_path, _metadata(caseload))
    _write_table(caseload.households, Path(households_path), _metadata(caseload))


# --- Built-in caseloads ------------------------------------------------------------------------------


def builtin_caseloads() -> list[str]:
    """Names of the caseloads shipped in ``openfisca_cn_assist/caseload/caseloads/`` (all synthetic)."""
    return builtin_caseload_names()


def builtin_caseload(name: str) -> Caseload:
    """A shipped caseload by name (see :func:`builtin_caseloads`)."""
    available = builtin_caseloads()
    if name not in available:
        raise CaseloadError(
            f"no built-in caseload {name!r}{_suggest(name, available)}; available: {', '.join(available)}"
        )
    return read_caseload(CASELOADS_DIR / f"{name}_persons.parquet", CASELOADS_DIR / f"{name}_households.parquet")
