"""The microsimulation holds one month of results at a time (engine/memory.py), with the same numbers."""

import numpy as np
import pandas as pd
import pytest

from openfisca_cn_assist.analysis import household_frame as frames
from openfisca_cn_assist.caseload.model import Caseload
from openfisca_cn_assist.caseload.readers import builtin_caseload
from openfisca_cn_assist.caseload.simulation import caseload_simulation
from openfisca_cn_assist.engine.memory import held
from openfisca_cn_assist.engine.outputs import read_each_month

YEAR = "2022"


@pytest.fixture(scope="module")
def caseload() -> Caseload:
    whole = builtin_caseload("xishuangbanna_2022")
    households = whole.households.head(300)
    persons = whole.persons[whole.persons["household_id"].isin(households["household_id"])]
    return Caseload(persons=persons.reset_index(drop=True), households=households.reset_index(drop=True))


def _frame(system, caseload, release: bool, monkeypatch):
    simulation = caseload_simulation(system, caseload, YEAR, lead_in=True)
    if not release:
        monkeypatch.setattr(frames, "release_month", lambda *args: 0)
    frame, not_computed = frames.household_frame(simulation, YEAR)
    monkeypatch.undo()
    return simulation, frame, not_computed


def test_releasing_each_month_gives_the_same_sums(system, caseload, monkeypatch):
    _, kept, kept_reasons = _frame(system, caseload, False, monkeypatch)
    simulation, released, reasons = _frame(system, caseload, True, monkeypatch)
    pd.testing.assert_frame_equal(kept, released)  # bit for bit: the same arrays, summed in the same order
    assert kept_reasons == reasons
    assert released["dibao_gradual_exit_benefit"].sum() > 0  # 渐退 carried from month to month across releases


def test_only_what_a_yearly_output_reads_outlives_its_month(system, caseload, monkeypatch):
    simulation, _, _ = _frame(system, caseload, True, monkeypatch)
    months_held = {
        name: len([p for p in periods if p.unit == "month"]) for (_, name), periods in held(simulation).items()
    }
    kept = {name for name, n in months_held.items() if n > 1}
    assert kept == read_each_month(system) == {"dibao_covered_person", "tekun_eligible"}
    assert all(months_held[name] == 12 for name in kept)
    # a result read after the last month (the 渐退 report's first-month facts) is one month, not twelve
    assert max(n for name, n in months_held.items() if name not in kept) <= 1


def test_a_released_month_computes_again_to_the_same_numbers(system, caseload, monkeypatch):
    simulation, _, _ = _frame(system, caseload, True, monkeypatch)
    fresh = caseload_simulation(system, caseload, YEAR, lead_in=True)
    for month in ("2022-03", "2022-11"):
        for name in ("dibao_regular_benefit", "dibao_gradual_exit_benefit", "tekun_basic_allowance"):
            np.testing.assert_array_equal(simulation.calculate(name, month), fresh.calculate(name, month))
