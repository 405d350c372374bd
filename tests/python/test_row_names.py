"""Messages about a caseload name rows as its reader does: the 1-based input row with the row's id, the same
whether the caseload ran whole or in partitions, with counts over the whole caseload (issue 14, item 5)."""

import re

import numpy as np
import pandas as pd
import pytest

from openfisca_cn_assist.analysis.microsim import PartitionError, simulate
from openfisca_cn_assist.caseload.input_rows import InputRows, caseload_rows
from openfisca_cn_assist.caseload.model import Caseload
from openfisca_cn_assist.caseload.readers import builtin_caseload
from openfisca_cn_assist.caseload.simulation import missing_reason
from openfisca_cn_assist.engine.errors import InputError
from openfisca_cn_assist.engine.resolver import resolver_for

PERIOD = "2022"


@pytest.fixture(scope="module")
def caseload(system) -> Caseload:
    """The built-in caseload's first 40 households, with ids that are not their row numbers."""
    whole = builtin_caseload("xishuangbanna_2022")
    households = whole.households.head(40).copy()
    persons = whole.persons[whole.persons["household_id"].isin(households["household_id"])].copy()
    persons["person_id"] = [f"P{900 + i}" for i in range(len(persons))]
    mapping = {h: f"H{500 + i}" for i, h in enumerate(households["household_id"])}
    households["household_id"] = households["household_id"].map(mapping)
    persons["household_id"] = persons["household_id"].map(mapping)
    return Caseload(persons=persons.reset_index(drop=True), households=households.reset_index(drop=True))


def test_a_resolver_error_leads_with_the_chain_and_names_input_rows(system):
    resolved = resolver_for(system)["tekun.care_rate_self_care"]
    jinghong = system.variables["jurisdiction"].possible_values["jinghong"].index
    error = resolved.missing_error("2022-01-01", np.array([jinghong, jinghong]), "person", np.array([0, 2]))
    # the engine alone names simulation rows by position
    assert "2 person(s) need it, first rows: 0, 2." in str(error)

    class Simulation:
        input_rows = InputRows(
            ids={"person": np.array(["p1", "p2", "p3"]), "household": np.array(["h1"])},
            rows={"person": np.arange(3), "household": np.arange(1)},
        )

    text = missing_reason(error, Simulation())
    assert text.startswith("[jinghong → xishuangbanna → yunnan → china] No value of parameter")
    assert "(searched" not in text
    # positions 0 and 2 are input rows 1 and 3 (1-based), with their ids
    assert "2 person(s) need it, first rows: 1 (person_id p1), 3 (person_id p3)." in text
    assert "7,000 person(s) need it" in missing_reason(error, Simulation(), count=7000)


def test_a_partition_names_rows_by_their_place_in_the_whole_input():
    caseload = Caseload(
        persons=pd.DataFrame({"person_id": ["a", "b", "c"], "household_id": ["x", "y", "y"]}),
        households=pd.DataFrame({"household_id": ["x", "y"]}),
    )
    rows = caseload_rows(caseload, np.array(["y"]), np.array(["b", "c"]))
    # a partition holding household row 1 (the second) and person rows 1 and 2 of the input
    shifted = rows.shifted(1, np.array([1, 2]))
    assert shifted.namer("household")(0) == "2 (household_id y)"
    assert [shifted.namer("person")(p) for p in (0, 1)] == ["2 (person_id b)", "3 (person_id c)"]


def test_not_computed_reasons_are_the_same_whole_or_in_partitions(system, caseload):
    whole = simulate(system, caseload, PERIOD)
    parts = simulate(system, caseload, PERIOD, partition_size=7)
    assert parts.partitions == 6 and whole.partitions == 1
    total = "social_assistance_total"
    assert {k: v for k, v in parts.not_computed.items() if k != total} == {
        k: v for k, v in whole.not_computed.items() if k != total
    }
    # the total stops at the first missing value its parts need, which can differ from partition to partition:
    # each line is then one of the parts' own reasons, worded for the whole caseload
    assert set(parts.not_computed[total].split("\n")) <= set(whole.not_computed.values())
    reason = whole.not_computed["tekun_care_allowance"]
    assert "\n" not in reason  # one reason, however many partitions
    # the persons table's rows of the members needing the value, 1-based, with their ids
    persons = caseload.persons
    needing = [f"{i + 1} (person_id {pid})" for i, pid in enumerate(persons["person_id"])]
    assert "first rows: " + needing[4] in reason  # row 5 (P904) is the first 特困 member in care


def test_counts_add_up_over_partitions(system, caseload):
    whole = simulate(system, caseload, PERIOD).not_computed["price_subsidy"]
    parts = simulate(system, caseload, PERIOD, partition_size=7).not_computed["price_subsidy"]
    assert whole == parts
    assert "40 household(s) need it, first rows: 1 (household_id H500), 2 (household_id H501)" in whole


def _named(message: str) -> list[tuple[int, str]]:
    return [(int(row), ident) for row, ident in re.findall(r"(\d+) \(person_id (\w+)\)", message)]


def test_an_input_a_formula_refuses_names_input_rows(system, caseload):
    # 西双版纳 pays rural 低保 by class: an eligible rural member without a class cannot be paid
    persons = caseload.persons.copy()
    households = caseload.households.set_index("household_id")
    rural = persons["household_id"].map(households["area"]).eq("rural")
    persons.loc[rural, "dibao_class"] = "unclassified"
    bad = Caseload(persons=persons, households=caseload.households)
    messages = []
    for partition_size in (None, 7):
        with pytest.raises((InputError, PartitionError)) as raised:
            simulate(system, bad, PERIOD, partition_size=partition_size)
        messages.append(str(raised.value))
        assert "dibao_class:" in messages[-1] and "are 'unclassified'" in messages[-1]
        named = _named(messages[-1])
        assert named, messages[-1]
        # each row is the 1-based row of the persons table, with that row's id
        assert all(persons["person_id"][row - 1] == ident for row, ident in named), named
        assert all(rural[row - 1] for row, _ in named)
    assert _named(messages[0])[0] == _named(messages[1])[0]  # the same first row, whole or in partitions
