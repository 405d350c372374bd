"""Caseload files (CSV, Parquet): reading, every validation error, month columns, and the built-in caseload."""

import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from openfisca_cn_assist.caseload.bulk import build_simulation
from openfisca_cn_assist.caseload.calibration import calibration
from openfisca_cn_assist.caseload.generator import NAME, PUBLISHED, generate
from openfisca_cn_assist.caseload.model import Caseload, CaseloadError
from openfisca_cn_assist.caseload.readers import (
    CASELOADS_DIR,
    builtin_caseload,
    builtin_caseloads,
    read_caseload,
    write_caseload,
)
from openfisca_cn_assist.caseload.simulation import caseload_simulation
from openfisca_cn_assist.engine.errors import InputError

ROOT = Path(__file__).resolve().parents[2]

PERSONS = """person_id,household_id,age,wage_income,wage_income_2022_07,has_able_supporter,dibao_class
p1,h1,40,300,,true,unclassified
p2,h1,12,0,,1,unclassified
p3,h2,45,200,600,true,a
p4,h3,75,0,,false,unclassified
"""
HOUSEHOLDS = """household_id,weight,jurisdiction,area
h1,1,jinghong,urban
h2,2.5,mengla,rural
h3,1,menghai,rural
"""


def write(tmp_path, persons=PERSONS, households=HOUSEHOLDS):
    persons_path, households_path = tmp_path / "persons.csv", tmp_path / "households.csv"
    persons_path.write_text(persons, encoding="utf-8")
    if households is None:
        return persons_path, None
    households_path.write_text(households, encoding="utf-8")
    return persons_path, households_path


def outputs(system, caseload, period="2022-08"):
    simulation = caseload_simulation(system, caseload, period)
    return {
        name: np.asarray(simulation.calculate(name, period))
        for name in ("dibao_benefit", "dibao_recipient", "tekun_eligible", "wage_income")
    }


# --- Reading and round trips ------------------------------------------------------------------------


def test_csv_values_become_numbers_booleans_and_member_names(tmp_path):
    caseload = read_caseload(*write(tmp_path))
    assert caseload.persons["age"].tolist() == [40, 12, 45, 75]
    assert caseload.persons["has_able_supporter"].tolist() == [True, True, True, False]
    assert caseload.persons["wage_income_2022_07"].isna().tolist() == [True, True, False, True]
    assert caseload.households["weight"].tolist() == [1.0, 2.5, 1.0]
    assert list(caseload.household_ids) == ["h1", "h2", "h3"]
    assert caseload.name == "persons" and not caseload.synthetic


def test_results_of_the_example(tmp_path, system):
    result = outputs(system, read_caseload(*write(tmp_path)))
    # h1 urban: (700 − 300 / 2) × 2 = 1100; h2 rural class A from 2022-07: 460; h3: the one member is 特困.
    assert result["dibao_benefit"].tolist() == [1100, 460, 0]
    assert result["tekun_eligible"].tolist() == [False, False, False, True]


@pytest.mark.parametrize("suffix", ["csv", "parquet"])
@pytest.mark.parametrize("two_files", [True, False])
def test_round_trip(tmp_path, system, suffix, two_files):
    original = read_caseload(*write(tmp_path))
    persons_path = tmp_path / f"out_persons.{suffix}"
    households_path = tmp_path / f"out_households.{suffix}" if two_files else None
    write_caseload(original, persons_path, households_path)
    again = read_caseload(persons_path, households_path)
    for name, values in outputs(system, original).items():
        np.testing.assert_array_equal(outputs(system, again)[name], values, err_msg=name)
    assert list(again.household_ids) == list(original.household_ids)
    persons = again.persons[original.persons.columns]
    pd.testing.assert_frame_equal(persons, original.persons, check_dtype=False)
    pd.testing.assert_frame_equal(again.households[original.households.columns], original.households, check_dtype=False)


@pytest.mark.parametrize("suffix", ["csv", "parquet"])
def test_round_trip_keeps_empty_cells_of_month_columns(tmp_path, system, suffix):
    persons = (
        "person_id,household_id,age,has_able_supporter,is_employed_2022_07,disability_grade_2022_07,dibao_class_2022_07\n"
        "p1,h1,40,true,true,,\np2,h1,12,true,,2,a\n"
    )
    households = "household_id,jurisdiction,area\nh1,jinghong,urban\n"
    original = read_caseload(*write(tmp_path, persons, households))
    assert original.persons["is_employed_2022_07"].isna().tolist() == [False, True]
    write_caseload(original, tmp_path / f"p.{suffix}", tmp_path / f"h.{suffix}")
    again = read_caseload(tmp_path / f"p.{suffix}", tmp_path / f"h.{suffix}")
    pd.testing.assert_frame_equal(again.persons, original.persons, check_dtype=False)
    simulation = caseload_simulation(system, again, "2022")
    assert simulation.calculate("is_employed", "2022-07").tolist() == [True, False]
    assert simulation.calculate("disability_grade", "2022-07").tolist() == [0, 2]
    assert simulation.calculate("dibao_class", "2022-07").decode_to_str().tolist() == ["unclassified", "a"]
    assert simulation.calculate("dibao_class", "2022-08").decode_to_str().tolist() == ["unclassified"] * 2


def test_parquet_keeps_name_description_and_synthetic_flag(tmp_path):
    caseload = read_caseload(*write(tmp_path))
    caseload.name, caseload.synthetic, caseload.description = "demo", True, "SYNTHETIC demo"
    write_caseload(caseload, tmp_path / "demo_persons.parquet", tmp_path / "demo_households.parquet")
    again = read_caseload(tmp_path / "demo_persons.parquet", tmp_path / "demo_households.parquet")
    assert (again.name, again.synthetic, again.description) == ("demo", True, "SYNTHETIC demo")


def test_household_columns_on_the_persons_table(tmp_path, system):
    persons = (
        "person_id,household_id,age,wage_income,has_able_supporter,jurisdiction,area,weight\n"
        "a,h2,40,300,true,jinghong,urban,2\n"
        "b,h1,70,0,true,mengla,rural,1\n"
        "c,h2,12,0,true,jinghong,urban,2\n"
        "d,h1,68,0,true,mengla,rural,1\n"
    ).replace("true,mengla,rural", "true,mengla,urban")
    caseload = read_caseload(*write(tmp_path, persons, None))
    assert list(caseload.household_ids) == ["h2", "h1"]  # order of first appearance
    assert caseload.households["weight"].tolist() == [2.0, 1.0]
    simulation = caseload_simulation(system, caseload, "2022-08")
    assert simulation.calculate("dibao_benefit", "2022-08").tolist() == [1100, 1400]
    assert simulation.household_weights.tolist() == [2.0, 1.0]


def test_a_caseload_from_dataframes(system):
    persons = pd.DataFrame(
        {
            "person_id": [1, 2],
            "household_id": [7, 7],
            "age": [40, 12],
            "has_able_supporter": True,
            "wage_income": [100.0, 0.0],
        }
    )
    households = pd.DataFrame({"household_id": [7], "jurisdiction": ["jinghong"], "area": ["urban"]})
    simulation = caseload_simulation(system, Caseload(persons, households), "2022-08")
    assert simulation.calculate("dibao_benefit", "2022-08").tolist() == [(700 - 100 / 2) * 2]


def test_one_result_row_per_household_in_input_order(tmp_path, system):
    # Households listed out of id order, persons shuffled and not grouped by household.
    households = "household_id,jurisdiction,area\nz,jinghong,urban\na,jinghong,urban\nm,mengla,rural\n"
    persons = (
        "person_id,household_id,age,wage_income,has_able_supporter,dibao_class\n"
        "1,m,50,100,true,b\n2,a,30,600,true,unclassified\n3,z,30,100,true,unclassified\n"
        "4,a,8,0,true,unclassified\n5,z,30,200,true,unclassified\n"
    )
    caseload = read_caseload(*write(tmp_path, persons, households))
    simulation = caseload_simulation(system, caseload, "2022-08")
    benefit = simulation.calculate("dibao_benefit", "2022-08")
    assert len(benefit) == 3 and list(simulation.household_ids) == ["z", "a", "m"]
    # z: (700 − 300 / 2) × 2 = 1100; a: (700 − 600 / 2) × 2 = 800; m: class B from 2022-07, 310
    assert dict(zip(simulation.household_ids, benefit.tolist())) == {"z": 1100, "a": 800, "m": 310}
    assert list(simulation.person_ids) == ["1", "2", "3", "4", "5"]


def test_ids_match_across_csv_and_parquet_files(tmp_path, system):
    persons = "person_id,household_id,age,has_able_supporter,wage_income\n1,10,40,true,100\n2,20,40,true,200\n"
    households = pd.DataFrame({"household_id": [20, 10], "jurisdiction": ["jinghong"] * 2, "area": ["urban"] * 2})
    households.to_parquet(tmp_path / "households.parquet")
    persons_path, _ = write(tmp_path, persons, None)
    simulation = caseload_simulation(system, read_caseload(persons_path, tmp_path / "households.parquet"), "2022-08")
    assert simulation.calculate("dibao_benefit", "2022-08").tolist() == [500, 600]


# --- Month columns ------------------------------------------------------------------------------------


def test_month_columns_override_their_month_only(tmp_path, system):
    simulation = caseload_simulation(system, read_caseload(*write(tmp_path)), "2022")
    wages = {month: simulation.calculate("wage_income", month)[2] for month in ("2022-06", "2022-07", "2022-08")}
    assert wages == {"2022-06": 200, "2022-07": 600, "2022-08": 200}
    # Above the rural standard in July, h2 is in 渐退 and keeps its June class amount (410).
    assert simulation.calculate("dibao_gradual_exit_active", "2022-07")[1]
    assert simulation.calculate("dibao_benefit", "2022-07")[1] == 410
    # A month simulation of July reads the July column.
    july = caseload_simulation(system, read_caseload(*write(tmp_path)), "2022-07")
    assert july.calculate("wage_income", "2022-07")[2] == 600


def test_month_column_without_a_base_column_and_yearly_amounts_are_per_month(tmp_path, system):
    persons = "person_id,household_id,age,has_able_supporter,transfer_income_2022_03\np,h,40,true,120\n"
    households = "household_id,jurisdiction,area\nh,jinghong,urban\n"
    simulation = caseload_simulation(system, read_caseload(*write(tmp_path, persons, households)), "2022")
    assert simulation.calculate("transfer_income", "2022-03")[0] == 120
    assert simulation.calculate("transfer_income", "2022-04")[0] == 0  # the variable's default
    assert simulation.calculate("dibao_benefit", "2022-03")[0] == 700 - 120


def test_state_inputs_apply_to_the_first_month_only(tmp_path, system):
    persons = "person_id,household_id,age,wage_income,has_able_supporter\np,h,40,800,true\n"
    households = (
        "household_id,jurisdiction,area,dibao_recipient_last_month,dibao_exit_base_benefit\nh,jinghong,urban,true,300\n"
    )
    simulation = caseload_simulation(system, read_caseload(*write(tmp_path, persons, households)), "month:2022-08:3")
    active = [bool(simulation.calculate("dibao_gradual_exit_active", m)[0]) for m in ("2022-08", "2022-09", "2022-10")]
    assert active == [True, True, True]  # carried forward from the state given for 2022-08
    months_above = [int(simulation.calculate("dibao_months_above_standard", m)[0]) for m in ("2022-08", "2022-10")]
    assert months_above == [1, 3]


# --- Validation errors: file, row (with line and id) and column named -----------------------------------------


def replace(text, old, new):
    assert old in text, old
    return text.replace(old, new, 1)


ERRORS = {
    "unknown column": (
        dict(persons=replace(PERSONS, "wage_income,", "wage_incom,")),
        ["persons.csv", "column 'wage_incom' (header)", "unknown column", "did you mean 'wage_income'"],
    ),
    "person column in the households table": (
        dict(households=HOUSEHOLDS.replace("area", "age").replace("urban", "40").replace("rural", "50")),
        ["households.csv", "column 'age'", "person input", "belongs in", "persons.csv"],
    ),
    "household column in the persons table": (
        dict(
            persons=PERSONS.replace("dibao_class", "area").replace("unclassified", "urban").replace(",a\n", ",rural\n")
        ),
        ["persons.csv", "column 'area'", "household input", "households.csv"],
    ),
    "weight in the persons table": (
        dict(persons=PERSONS.replace("dibao_class", "weight").replace("unclassified", "1").replace(",a\n", ",1\n")),
        ["persons.csv", "column 'weight'", "households.csv"],
    ),
    "computed variable": (
        dict(
            persons=PERSONS.replace("dibao_class", "dibao_benefit").replace("unclassified", "0").replace(",a\n", ",0\n")
        ),
        ["persons.csv", "column 'dibao_benefit'", "computed by the model"],
    ),
    "unknown enum value": (
        dict(households=replace(HOUSEHOLDS, "mengla,rural", "mengla,town")),
        ["households.csv", "column 'area'", "row 2 (line 3, household_id 'h2')", "'town'", "allowed: urban, rural"],
    ),
    "unknown jurisdiction": (
        dict(households=replace(HOUSEHOLDS, "jinghong", "jinhong")),
        [
            "households.csv",
            "column 'jurisdiction'",
            "row 1 (line 2, household_id 'h1')",
            "did you mean 532801 景洪市 [jinghong]",
            "mengla",
        ],
    ),
    "unknown dibao class": (
        dict(persons=replace(PERSONS, ",a\n", ",d\n")),
        ["persons.csv", "column 'dibao_class'", "row 3 (line 4, person_id 'p3')", "'d'", "unclassified, a, b, c"],
    ),
    "person whose household is missing": (
        dict(persons=replace(PERSONS, "p4,h3", "p4,h9")),
        ["persons.csv", "column 'household_id'", "row 4 (line 5, person_id 'p4')", "'h9' is not in", "households.csv"],
    ),
    "household without persons": (
        dict(households=HOUSEHOLDS + "h4,1,jinghong,urban\n"),
        ["households.csv", "row 4 (line 5, household_id 'h4')", "at least one person"],
    ),
    "duplicate person ids": (
        dict(persons=replace(PERSONS, "p2,", "p1,")),
        [
            "persons.csv",
            "column 'person_id'",
            "rows 1 (line 2, person_id 'p1'), 2 (line 3, person_id 'p1')",
            "duplicate",
        ],
    ),
    "duplicate household ids": (
        dict(households=replace(HOUSEHOLDS, "h3,", "h2,"), persons=replace(PERSONS, "p4,h3", "p4,h2")),
        ["households.csv", "column 'household_id'", "rows 2 (line 3, household_id 'h2'), 3 (line 4", "duplicate"],
    ),
    "missing person id": (
        dict(persons=replace(PERSONS, "p3,", ",")),
        ["persons.csv", "column 'person_id'", "row 3 (line 4)", "missing id"],
    ),
    "missing household id": (
        dict(persons=replace(PERSONS, "p3,h2", "p3,")),
        ["persons.csv", "column 'household_id'", "row 3 (line 4, person_id 'p3')", "missing id"],
    ),
    "non-numeric amount": (
        dict(persons=replace(PERSONS, "45,200", "45,abc")),
        ["persons.csv", "column 'wage_income'", "row 3 (line 4, person_id 'p3')", "not a number", "'abc'"],
    ),
    "amount below its bound": (
        dict(persons=replace(PERSONS, "45,200", "45,-5")),
        ["persons.csv", "column 'wage_income'", "row 3 (line 4, person_id 'p3')", "-5", "≥ 0"],
    ),
    "age above its bound": (
        dict(persons=replace(PERSONS, "p4,h3,75", "p4,h3,140")),
        ["persons.csv", "column 'age'", "row 4 (line 5, person_id 'p4')", "140", "between 0 and 130"],
    ),
    "age not whole": (
        dict(persons=replace(PERSONS, "p4,h3,75", "p4,h3,75.5")),
        ["persons.csv", "column 'age'", "row 4 (line 5, person_id 'p4')", "not a whole number"],
    ),
    "bad boolean": (
        dict(persons=replace(PERSONS, ",1,unclassified", ",yes,unclassified")),
        [
            "persons.csv",
            "column 'has_able_supporter'",
            "row 2 (line 3, person_id 'p2')",
            "'yes'",
            "true, false, 1 or 0",
        ],
    ),
    "negative weight": (
        dict(households=replace(HOUSEHOLDS, "2.5", "-1")),
        ["households.csv", "column 'weight'", "row 2 (line 3, household_id 'h2')", "negative weight"],
    ),
    "month 13": (
        dict(persons=replace(PERSONS, "wage_income_2022_07", "wage_income_2022_13")),
        ["persons.csv", "column 'wage_income_2022_13'", "bad month suffix '2022_13'", "wage_income_2022_07"],
    ),
    "month suffix without separator": (
        dict(persons=replace(PERSONS, "wage_income_2022_07", "wage_income_202207")),
        ["persons.csv", "column 'wage_income_202207'", "bad month suffix"],
    ),
    "month suffix on the jurisdiction": (
        dict(
            households=HOUSEHOLDS.replace("area\n", "area,jurisdiction_2022_07\n")
            .replace("n\n", "n,jinghong\n")
            .replace("l\n", "l,mengla\n")
        ),
        ["households.csv", "column 'jurisdiction_2022_07'", "all time"],
    ),
    "empty cell": (
        dict(persons=replace(PERSONS, "p2,h1,12,0", "p2,h1,12,")),
        ["persons.csv", "column 'wage_income'", "row 2 (line 3, person_id 'p2')", "empty cell", "default, 0"],
    ),
    "required column missing": (
        dict(households=HOUSEHOLDS.replace(",area", "").replace(",urban", "").replace(",rural", "")),
        ["households.csv", "required column 'area' missing"],
    ),
    "members disagree on a household column": (
        dict(
            persons="person_id,household_id,age,has_able_supporter,jurisdiction,area\n"
            "a,h1,40,true,jinghong,urban\nb,h1,12,true,mengla,urban\n",
            households=None,
        ),
        [
            "persons.csv",
            "column 'jurisdiction'",
            "rows 1 (line 2, person_id 'a'), 2 (line 3, person_id 'b')",
            "household_id 'h1'",
        ],
    ),
}


@pytest.mark.parametrize("case", list(ERRORS))
def test_validation_errors_name_file_row_and_column(tmp_path, case):
    files, fragments = ERRORS[case]
    with pytest.raises(CaseloadError) as caught:
        read_caseload(*write(tmp_path, **files))
    message = str(caught.value)
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in: {message}"


def test_errors_in_parquet_files_name_the_row_and_id(tmp_path):
    caseload = read_caseload(*write(tmp_path))
    caseload.persons["age"] = caseload.persons["age"].astype(str)
    caseload.persons.loc[2, "age"] = "old"
    caseload.persons.to_parquet(tmp_path / "bad.parquet")
    with pytest.raises(CaseloadError, match=r"bad\.parquet, column 'age', row 3 \(person_id 'p3'\): not a number"):
        read_caseload(tmp_path / "bad.parquet", tmp_path / "households.csv")


def test_caseload_error_is_an_input_error_and_unreadable_files_are_named(tmp_path):
    assert issubclass(CaseloadError, InputError)
    (tmp_path / "persons.xlsx").write_text("x")
    with pytest.raises(CaseloadError, match="persons.xlsx: the persons file must be .csv or .parquet"):
        read_caseload(tmp_path / "persons.xlsx")
    with pytest.raises(CaseloadError, match="nowhere.csv: cannot read the persons file"):
        read_caseload(tmp_path / "nowhere.csv")


def test_simulating_checks_dataframes_too(system):
    persons = pd.DataFrame({"person_id": [1, 2], "household_id": [1, 2], "age": [40, 12], "has_able_supporter": True})
    households = pd.DataFrame({"household_id": [1], "jurisdiction": ["jinghong"], "area": ["urban"]})
    with pytest.raises(
        CaseloadError, match=r"persons table, column 'household_id', row 2 \(person_id 2\): household_id 2 is not in"
    ):
        caseload_simulation(system, Caseload(persons, households), "2022-08")


# --- The bulk builder ------------------------------------------------------------------------------------------


def test_bulk_builder_takes_member_names_and_periods(system):
    simulation = build_simulation(
        system,
        np.array([1, 0, 1]),
        {"age": {"2022-08": [40, 70, 10]}, "wage_income": {"2022-07": [0, 0, 900], "2022-08": [0, 0, 100]}},
        {"jurisdiction": ["jinghong", "mengla"], "area": {"2022-08": ["urban", "rural"]}},
    )
    assert simulation.calculate("wage_income", "2022-07").tolist() == [0, 0, 900]
    assert simulation.calculate("area", "2022-08").decode_to_str().tolist() == ["urban", "rural"]
    with pytest.raises(ValueError, match="area: unknown values \\['town'\\]"):
        build_simulation(system, np.array([0]), {}, {"area": {"2022-08": ["town"]}})


def test_synthetic_module_reexports_the_bulk_builder():
    from openfisca_cn_assist.caseload import synthetic

    assert synthetic.build_simulation is build_simulation


# --- The built-in caseload ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def builtin():
    return builtin_caseload(NAME)


def test_builtin_caseload_is_listed_and_labelled_synthetic(builtin):
    assert NAME in builtin_caseloads()
    assert builtin.synthetic and builtin.name == NAME
    assert builtin.description.startswith("SYNTHETIC")
    assert builtin.metadata["published"]["rural_dibao_persons"] == 16419
    with pytest.raises(CaseloadError, match="did you mean 'xishuangbanna_2022'"):
        builtin_caseload("xishuangbanna_2021")


def test_builtin_caseload_reproduces_the_published_counts(builtin, system):
    result = calibration(builtin, system, "2022-08")
    assert result["model"] == result["published"]
    assert result["other"]["dibao_marginal_families"] == 450


def test_builtin_caseload_counts_hold_over_2022_with_gradual_exit(builtin, system):
    simulation = caseload_simulation(system, builtin, "2022")
    households = PUBLISHED["rural_dibao_households"] + PUBLISHED["urban_dibao_households"]
    for month in ("2022-01", "2022-09", "2022-12"):
        assert simulation.calculate("dibao_recipient", month).sum() == households
    assert simulation.calculate("dibao_gradual_exit_active", "2022-09").sum() == 0
    assert simulation.calculate("dibao_gradual_exit_active", "2022-12").sum() == 200


def test_builtin_caseload_incomes_are_consistent_with_the_programmes(builtin, system):
    simulation = caseload_simulation(system, builtin, "2022-08")
    persons = simulation.populations["person"]
    tekun = persons("tekun_eligible", "2022-08")
    # Only 特困 persons lack an able supporter, and all of them are 特困.
    np.testing.assert_array_equal(tekun, ~builtin.persons["has_able_supporter"].to_numpy())
    recipient = simulation.calculate("dibao_recipient", "2022-08")
    per_capita = simulation.calculate("dibao_per_capita_income", "2022-08")
    standard = simulation.calculate("dibao_standard", "2022-08")
    assert (per_capita[recipient] < standard[recipient]).all()
    assert set(np.unique(standard)) == {450, 700}


def test_regenerating_gives_the_shipped_files(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "openfisca_cn_assist.caseload.generator", "--output-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    for table in ("persons", "households"):
        shipped = pd.read_parquet(CASELOADS_DIR / f"{NAME}_{table}.parquet")
        regenerated = pd.read_parquet(tmp_path / f"{NAME}_{table}.parquet")
        pd.testing.assert_frame_equal(regenerated, shipped)
    fresh = generate()
    shipped = builtin_caseload(NAME)
    pd.testing.assert_frame_equal(fresh.households, shipped.households, check_dtype=False)
    assert fresh.metadata["seed"] == shipped.metadata["seed"]


def test_wheel_carries_the_builtin_caseload(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    names = zipfile.ZipFile(next(tmp_path.glob("*.whl"))).namelist()
    for table in ("persons", "households"):
        assert f"openfisca_cn_assist/caseload/caseloads/{NAME}_{table}.parquet" in names
