"""Partitioned and distributed runs: Dask (a LocalCluster of 2 worker processes on 127.0.0.1) gives exactly the
in-process totals; failed partitions are retried or reported by name; Parquet folders as input and output."""

import json
import sys
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import cloudpickle
import numpy as np
import pandas as pd
import pytest

from openfisca_cn_assist.analysis.distributed import dask_client, parse_dask, run_caseload
from openfisca_cn_assist.analysis.exact import exact_sum, grouped_sums
from openfisca_cn_assist.analysis.microsim import PartitionError, PartitionTask, combine, run_partition, simulate
from openfisca_cn_assist.analysis.partitions import (
    PartitionedCaseload,
    folder_partitions,
    split_caseload,
    synthetic_partitions,
    write_partitions,
)
from openfisca_cn_assist.analysis.scenario import Scenario
from openfisca_cn_assist.caseload.model import Caseload, CaseloadError
from openfisca_cn_assist.caseload.readers import builtin_caseload, write_caseload
from openfisca_cn_assist.cli.main import main
from openfisca_cn_assist.engine.reform_tools import apply_reform

cloudpickle.register_pickle_by_value(sys.modules[__name__])  # workers cannot import this test module by name

HOUSEHOLDS = 100_000
REFORM = "raise_tekun_1050"


@pytest.fixture(scope="module")
def client():
    with dask_client("local:2") as client:
        yield client


@pytest.fixture(scope="module")
def reformed(system):
    return apply_reform(system, REFORM)


def synthetic(system, size, households=HOUSEHOLDS, period="2022"):
    return synthetic_partitions(system, households, period, partition_size=size, seed=11)


def assert_same_scenario(a, b):
    """Every sum the same, exactly (the Fractions, not only the floats)."""
    for attribute in ("households", "persons", "weight", "spending", "recipients", "months"):
        assert getattr(a.aggregate, attribute) == getattr(b.aggregate, attribute), attribute
    assert a.not_computed.keys() == b.not_computed.keys()
    assert a.totals() == b.totals()
    pd.testing.assert_frame_equal(a.summary(), b.summary())


# --- Exactness ------------------------------------------------------------------------------------------------


def test_exact_sums_do_not_depend_on_order_or_grouping():
    rng = np.random.default_rng(0)
    values = rng.lognormal(5, 3, 10_000) * rng.choice([-1, 1], 10_000)
    expected = sum((Fraction(float(v)) for v in values), Fraction(0))
    assert exact_sum(values) == expected == exact_sum(values[::-1])
    assert sum(exact_sum(part) for part in np.array_split(values, 7)) == expected
    groups = rng.integers(0, 3, 10_000)
    assert grouped_sums(values, groups, 3) == [
        sum((Fraction(float(v)) for v in values[groups == g]), Fraction(0)) for g in range(3)
    ]


def test_the_synthetic_caseload_does_not_depend_on_the_partition_size(system):
    whole = synthetic(system, 30_000, households=30_000).partitions[0].load()
    parts = [p.load() for p in synthetic(system, 7_000, households=30_000).partitions]
    assert np.array_equal(np.concatenate([p.household_ids for p in parts]), whole.household_ids)
    for name, values in whole.persons.items():
        assert np.array_equal(np.concatenate([p.persons[name] for p in parts]), values), name
    for name, values in whole.households.items():
        assert np.array_equal(np.concatenate([p.households[name] for p in parts]), values, equal_nan=True), name


def test_dask_simulate_equals_in_process_exactly(system, client):
    # 10⁵ SYNTHETIC households over 2022: one partition in this process, 4 partitions generated on 2 workers.
    here = run_caseload(synthetic(system, HOUSEHOLDS), "2022", (Scenario(),), systems=[system])
    there = run_caseload(synthetic(system, 25_000), "2022", (Scenario(),), client=client)
    assert here.household_count == there.household_count == HOUSEHOLDS and there.partitions == 4
    assert here.totals()["dibao_benefit"] > 0 and here.totals()["tekun_basic_allowance"] > 0
    assert_same_scenario(here, there)


def test_dask_impact_equals_in_process_exactly(system, reformed, client):
    here = run_caseload(
        synthetic(system, HOUSEHOLDS), "2022", (Scenario(), Scenario(REFORM)), systems=[system, reformed], changes=True
    )
    there = run_caseload(synthetic(system, 25_000), "2022", (Scenario(), Scenario(REFORM)), client=client, changes=True)
    assert_same_scenario(here.baseline, there.baseline)
    assert_same_scenario(here.reform, there.reform)
    assert there.reform.reform == REFORM
    assert here.comparison.counts() == there.comparison.counts() and here.counts()["gaining"] > 1000
    assert here.comparison.by_jurisdiction == there.comparison.by_jurisdiction
    assert here.changes == there.changes and here.changes["tekun_basic_allowance"] > 0
    assert np.array_equal(here.gains(), there.gains())
    pd.testing.assert_series_equal(here.by_jurisdiction(), there.by_jurisdiction())


def test_partitions_disagreeing_on_what_computes_give_the_whole_caseload_result(system, reformed):
    # 汉中 has no 低保 standard in 2022: one simulation of all six households cannot compute 低保; nor may the
    # partitioned run, although the 景洪 partition could by itself (it is run again with 低保 not computed).
    persons = pd.DataFrame(
        {
            "person_id": range(1, 7),
            "household_id": range(1, 7),
            "age": [40, 78, 40, 40, 78, 40],
            "has_able_supporter": [True, False, True, True, False, True],
            "wage_income": [300.0, 0, 900, 300, 0, 900],
        }
    )
    households = pd.DataFrame(
        {"household_id": range(1, 7), "jurisdiction": ["jinghong"] * 3 + ["hanzhong"] * 3, "area": "urban"}
    )
    caseload = Caseload(persons, households)
    whole = simulate(system, caseload, "2022-08")
    parts = simulate(system, caseload, "2022-08", partition_size=3)
    assert parts.partitions == 2 and "dibao_benefit" in whole.not_computed
    assert whole.not_computed.keys() == parts.not_computed.keys()
    pd.testing.assert_frame_equal(whole.households, parts.households)
    from openfisca_cn_assist.analysis.microsim import impact

    a = impact(system, reformed, caseload, "2022-08", REFORM)
    b = impact(system, reformed, caseload, "2022-08", REFORM, partition_size=3)
    assert a.covered == b.covered and a.counts() == b.counts()


# --- Failures -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Failing:
    """A partition that raises on load: always (``marker`` None) or only on its first attempt."""

    inner: object
    bad_index: int
    marker: str | None = None

    @property
    def name(self):
        return self.inner.name

    @property
    def index(self):
        return self.inner.index

    @property
    def where(self):
        return self.inner.where

    def load(self):
        if self.index == self.bad_index:
            if self.marker is None:
                raise RuntimeError("injected failure")
            marker = Path(self.marker)
            if not marker.exists():
                marker.write_text("failed once")
                raise RuntimeError("injected transient failure")
        return self.inner.load()


def failing(system, bad_index, marker=None):
    caseload = synthetic(system, 10_000, households=40_000, period="2022-08")
    return PartitionedCaseload(
        caseload.name, [Failing(p, bad_index, marker) for p in caseload.partitions], synthetic=True
    )


def test_a_failing_partition_is_reported_by_name(system, client):
    with pytest.raises(
        PartitionError,
        match=r"partition part-00002: \(SYNTHETIC households 20,001–30,000.*RuntimeError: injected failure",
    ) as error:
        run_caseload(failing(system, 2), "2022-08", (Scenario(),), client=client, retries=1)
    assert list(error.value.failures) == ["part-00002"]
    # In this process too, with the partition's name.
    with pytest.raises(PartitionError, match="partition part-00003"):
        run_caseload(failing(system, 3), "2022-08", (Scenario(),), systems=[system])


def test_a_transient_failure_is_retried_and_nothing_is_missing(system, client, tmp_path):
    marker = tmp_path / "failed-once"
    result = run_caseload(failing(system, 1, str(marker)), "2022-08", (Scenario(),), client=client, retries=1)
    assert marker.exists()  # partition 1 failed once, then succeeded
    expected = run_caseload(
        synthetic(system, 40_000, households=40_000, period="2022-08"), "2022-08", (Scenario(),), systems=[system]
    )
    assert_same_scenario(result, expected)


def test_combine_refuses_a_missing_partition(system):
    caseload = synthetic(system, 1_000, households=2_000, period="2022-08")
    task = PartitionTask("2022-08", (Scenario(),))
    first = run_partition(caseload.partitions[0], task, [system])
    with pytest.raises(PartitionError, match="partition part-00001: no result"):
        combine([first], [p.name for p in caseload.partitions])
    with pytest.raises(PartitionError, match="part-00000: reported more than once"):
        combine([first, first], [p.name for p in caseload.partitions])


# --- Parquet folders -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("partitioned")
    names = write_partitions(
        builtin_caseload("xishuangbanna_2022"), root / "persons", root / "households", partition_size=4_000
    )
    assert names == ["part-00000", "part-00001", "part-00002", "part-00003"]
    return root


def test_a_parquet_folder_gives_the_single_file_results(system, client, folder, tmp_path):
    single = simulate(system, builtin_caseload("xishuangbanna_2022"), "2022")
    caseload = folder_partitions(folder / "persons", folder / "households")
    assert caseload.name == "xishuangbanna_2022" and caseload.synthetic and len(caseload) == 4
    here = run_caseload(caseload, "2022", (Scenario(),), systems=[system], rows=True)
    there = run_caseload(caseload, "2022", (Scenario(),), client=client, rows_dir=str(tmp_path / "rows"))
    assert_same_scenario(single, here)
    assert_same_scenario(single, there)
    pd.testing.assert_frame_equal(here.households, single.households)
    files = sorted((tmp_path / "rows").glob("*.parquet"))
    assert [f.stem for f in files] == ["part-00000", "part-00001", "part-00002", "part-00003"]
    pd.testing.assert_frame_equal(pd.concat([pd.read_parquet(f) for f in files], ignore_index=True), single.households)


def test_synthetic_partitions_written_as_files_give_the_same_results(system, tmp_path):
    caseload = synthetic(system, 4_000, households=10_000, period="2022")
    (tmp_path / "persons").mkdir()
    (tmp_path / "households").mkdir()
    for partition in caseload.partitions:  # what a user's partitioned folder looks like
        files = partition.load().to_caseload(system)
        write_caseload(
            files,
            tmp_path / "persons" / f"{partition.name}.parquet",
            tmp_path / "households" / f"{partition.name}.parquet",
        )
    from_files = run_caseload(
        folder_partitions(tmp_path / "persons", tmp_path / "households"), "2022", (Scenario(),), systems=[system]
    )
    assert from_files.partitions == 3
    assert_same_scenario(from_files, run_caseload(caseload, "2022", (Scenario(),), systems=[system]))


def test_a_bad_row_in_a_partition_file_names_the_partition_file_row_and_column(client, folder, tmp_path):
    persons, households = tmp_path / "persons", tmp_path / "households"
    persons.mkdir()
    households.mkdir()
    for name in ("part-00000", "part-00001"):
        (households / f"{name}.parquet").write_bytes((folder / "households" / f"{name}.parquet").read_bytes())
        frame = pd.read_parquet(folder / "persons" / f"{name}.parquet")
        if name == "part-00001":
            frame.loc[4, "age"] = -3
        frame.to_parquet(persons / f"{name}.parquet", index=False)
    with pytest.raises(PartitionError) as error:
        run_caseload(folder_partitions(persons, households), "2022-08", (Scenario(),), client=client)
    message = str(error.value)
    assert "partition part-00001" in message and str(persons / "part-00001.parquet") in message
    assert "column 'age', row 5" in message and "-3" in message and "CaseloadError" in message


def test_partition_files_must_pair_by_name(folder, tmp_path):
    households = tmp_path / "households"
    households.mkdir()
    (households / "part-00000.parquet").write_bytes((folder / "households" / "part-00000.parquet").read_bytes())
    with pytest.raises(CaseloadError, match=r"part-00001.parquet.*no file of the same name in .*households"):
        folder_partitions(folder / "persons", households)


def test_a_caseload_in_memory_is_split_along_whole_households(system):
    caseload = builtin_caseload("xishuangbanna_2022")
    parts = split_caseload(caseload, 5_000, system)
    assert [len(p.caseload.households) for p in parts.partitions] == [5_000, 5_000, 2_364]
    assert sum(len(p.caseload.persons) for p in parts.partitions) == len(caseload.persons)
    for p in parts.partitions:
        assert set(p.caseload.persons["household_id"]) == set(p.caseload.households["household_id"])


# --- Command line ---------------------------------------------------------------------------------------------


def test_cli_simulate_and_impact_on_dask(tmp_path, capsys):
    summary, impact_json, rows = tmp_path / "s.json", tmp_path / "i.json", tmp_path / "rows"
    common = ["--caseload", "synthetic:20000", "--partition-size", "5000", "--period", "2022-08", "--no-progress"]
    assert main(["simulate", *common, "--dask", "local:2", "--json", str(summary), "--output", f"{rows}/"]) == 0
    assert "20000 households, period 2022-08, 4 partitions on Dask (local:2)" in capsys.readouterr().out
    assert len(list(rows.glob("*.parquet"))) == 4
    assert main(["impact", *common, "--json", str(impact_json)]) == 0  # in this process, the same 4 partitions
    simulated, compared = json.loads(summary.read_text()), json.loads(impact_json.read_text())
    assert simulated["partitions"] == compared["partitions"] == 4 and simulated["households"] == 20_000
    assert simulated["totals"] == compared["totals"]["baseline"]


def test_cli_rejects_a_bad_dask_address(capsys):
    with pytest.raises(SystemExit):
        main(["simulate", "--dask", "localhost", "--no-progress"])
    assert "tcp://HOST:PORT" in capsys.readouterr().err
    assert parse_dask("local:3") == ("local", 3) and parse_dask("tcp://127.0.0.1:8786") == (
        "address",
        "tcp://127.0.0.1:8786",
    )
