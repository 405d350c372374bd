"""Value horizons: a value is used only as far as its source supports it, unless the caller opts in to
carrying it forward, and then every result says which outputs rest on such values."""

import numpy as np
import pandas as pd
import pytest
import yaml
from openfisca_core.simulations import SimulationBuilder

from openfisca_cn_assist.analysis.microsim import simulate
from openfisca_cn_assist.caseload.readers import read_caseload
from openfisca_cn_assist.engine.horizons import carried_values, carrying_forward
from openfisca_cn_assist.engine.paths import PARAMETERS_DIR
from openfisca_cn_assist.engine.reform_tools import apply_reform
from openfisca_cn_assist.engine.resolver import (
    MissingParameterValueError,
    ParameterLayoutError,
    ResolvedParameter,
    ValuePastHorizonError,
    horizon_of,
    resolver_for,
)


def household(system, jurisdiction, month, area="urban", **person):
    situation = {
        "persons": {"p": {"has_able_supporter": {month: True}} | {k: {month: v} for k, v in person.items()}},
        "households": {"h": {"members": ["p"], "jurisdiction": {"ETERNITY": jurisdiction}, "area": {month: area}}},
    }
    return SimulationBuilder().build_from_entities(system, situation)


def test_a_standard_past_its_horizon_stops_with_the_value_and_its_horizon(system):
    # 西双版纳's 2022 summary supports 700 to 2022-12-31; 景洪 inherits it, and in 2024 it is not used.
    simulation = household(system, "jinghong", "2024-08")
    with pytest.raises(ValuePastHorizonError) as caught:
        simulation.calculate("dibao_benefit", "2024-08")
    error = caught.value
    assert isinstance(error, MissingParameterValueError)  # callers that handle missing values handle this too
    assert (error.parameter, error.horizon, error.value, error.source_jurisdiction) == (
        "dibao.standard_urban",
        "2022-12-31",
        700,
        "xishuangbanna",
    )
    message = str(error)
    assert "景洪市 (jinghong)" in message and "2024-08-01" in message and "700" in message
    assert "--carry-forward" in message and "carry_forward=True" in message


def test_the_last_day_of_the_horizon_still_uses_the_value(system):
    assert household(system, "jinghong", "2022-12").calculate("dibao_standard", "2022-12")[0] == 700
    with pytest.raises(ValuePastHorizonError):
        household(system, "jinghong", "2023-01").calculate("dibao_standard", "2023-01")


def test_a_past_value_does_not_fall_back_to_the_parent(system):
    # 汉中's own basic-pension exclusion ends with 十四五 (2025-12-31); so does the national one. Neither the
    # county's own stale value nor the national stale value is used in 2026.
    resolved = resolver_for(system)["income.basic_pension_excluded"]
    assert np.isnan(resolved.table("2026-03-01")[system.registry.index["hanzhong"]])
    source = resolved.source("hanzhong", "2026-03-01")
    assert source.past_horizon and source.source_jurisdiction == "hanzhong" and source.horizon == "2025-12-31"


def test_carry_forward_uses_the_last_value_and_lists_what_rests_on_it(system):
    carrying = apply_reform(system, "carry_forward")
    simulation = household(carrying, "jinghong", "2024-08")
    # (700 − 0) × 1 = 700, 西双版纳's 2022 standard carried into 2024
    assert simulation.calculate("dibao_benefit", "2024-08")[0] == 700
    carried = carried_values(simulation, "dibao_benefit", "2024-08")
    assert [(c.parameter, c.jurisdiction, c.source_jurisdiction, c.value, c.horizon) for c in carried] == [
        ("dibao.standard_urban", "jinghong", "xishuangbanna", 700, "2022-12-31")
    ]
    # An output computed afterwards from cached intermediate values (the standard) lists it too.
    assert simulation.calculate("tekun_no_livelihood", "2024-08")[0]
    assert carried_values(simulation, "tekun_no_livelihood", "2024-08") == carried
    # An input-only output rests on no parameter at all.
    simulation.calculate("gross_income", "2024-08")
    assert carried_values(simulation, "gross_income", "2024-08") == []


def test_within_horizons_nothing_is_listed_even_when_carrying(system):
    simulation = household(carrying_forward(system), "jinghong", "2022-08")
    assert simulation.calculate("dibao_benefit", "2022-08")[0] == 700
    assert carried_values(simulation, "dibao_benefit", "2022-08") == []


def test_carrying_forward_is_built_once_per_system(system):
    assert carrying_forward(system) is carrying_forward(system)
    assert carrying_forward(carrying_forward(system)) is carrying_forward(system)
    assert resolver_for(carrying_forward(system)).carry_forward and not resolver_for(system).carry_forward


def test_a_reform_stacked_on_carry_forward_still_carries(system):
    stacked = apply_reform(system, ["carry_forward", "raise_dibao_standards_10pct"])
    simulation = household(stacked, "jinghong", "2024-08")
    # 700 × 1.1 = 770: the raised value keeps its source's horizon (2022-12-31), carried into 2024
    assert simulation.calculate("dibao_standard", "2024-08")[0] == pytest.approx(770)
    assert carried_values(simulation, "dibao_standard", "2024-08")[0].horizon == "2022-12-31"


def test_a_caseload_run_lists_the_outputs_that_rest_on_carried_values(system, tmp_path):
    persons = pd.DataFrame(
        {"person_id": ["p1", "p2"], "household_id": ["h1", "h2"], "age": [40, 40], "has_able_supporter": [True, True]}
    )
    households = pd.DataFrame(
        {"household_id": ["h1", "h2"], "jurisdiction": ["jinghong", "qinghai"], "area": ["urban", "urban"]}
    )
    persons.to_csv(tmp_path / "persons.csv", index=False)
    households.to_csv(tmp_path / "households.csv", index=False)
    caseload = read_caseload(tmp_path / "persons.csv", tmp_path / "households.csv")
    baseline = simulate(system, caseload, "2025-06")
    assert (
        "its horizon" in baseline.not_computed["dibao_benefit"]
        and "2022-12-31" in baseline.not_computed["dibao_benefit"]
    )
    assert baseline.carried_forward == {}
    results = simulate(system, caseload, "2025-06", carry_forward=True)
    # 景洪: 700 carried from 2022; 青海: its own 2025 value (700), within its horizon
    assert results.households["dibao_benefit"].tolist() == [700, 700]
    carried = results.carried_forward["dibao_benefit"]
    assert {(c["parameter"], c["jurisdiction"], c["horizon"]) for c in carried} == {
        ("dibao.standard_urban", "jinghong", "2022-12-31")
    }
    assert "social_assistance_total" in results.carried_forward


def test_a_malformed_horizon_is_a_layout_error(system):
    node = system.parameters.dibao.standard_urban
    entry = node.xishuangbanna.values_list[0]
    original = dict(entry.metadata)
    entry.metadata["horizon"] = "end of 2022"
    try:
        with pytest.raises(ParameterLayoutError, match="horizon must be a date"):
            ResolvedParameter("dibao.standard_urban", node, system.registry)
    finally:
        entry.metadata.clear()
        entry.metadata.update(original)


def _jurisdictional_files():
    for index in sorted(PARAMETERS_DIR.rglob("index.yaml")):
        if (yaml.safe_load(index.read_text(encoding="utf-8")).get("metadata") or {}).get("by_jurisdiction"):
            yield from sorted(p for p in index.parent.glob("*.yaml") if p.name != "index.yaml")


def test_every_sourced_value_has_a_horizon_on_or_after_its_start(system):
    missing, early = [], []
    for path in _jurisdictional_files():
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        file_horizon = (data.get("metadata") or {}).get("horizon")
        for date, entry in (data.get("values") or {}).items():
            if entry.get("value") is None:
                continue
            horizon = (entry.get("metadata") or {}).get("horizon", file_horizon)
            where = f"{path.relative_to(PARAMETERS_DIR)} {date}"
            if horizon is None:
                missing.append(where)
            elif horizon != "open" and str(horizon) < str(date):
                early.append(f"{where} (horizon {horizon})")
    assert not missing, "values without a horizon (a date, or `open` for a standing rule): " + ", ".join(missing)
    assert not early, "horizons before the value's start: " + ", ".join(early)


def test_horizon_of_reads_the_value_then_the_file():
    class Entry:
        def __init__(self, metadata, instant_str="2022-01-01"):
            self.metadata, self.instant_str = metadata, instant_str

    class Parameter:
        def __init__(self, metadata):
            self.metadata, self.file_path = metadata, "x.yaml"

    assert horizon_of(Parameter({"horizon": "open"}), Entry({})) is None
    assert horizon_of(Parameter({"horizon": "open"}), Entry({"horizon": "2022-12-31"})) == "2022-12-31"
    assert horizon_of(Parameter({}), Entry({})) is None  # a reform's own value: its hypothesis, open


def _batch_situation(month="2024-08"):
    return {
        "persons": {"p": {"age": {month: 40}, "has_able_supporter": {month: True}}},
        "households": {
            "h": {
                "members": ["p"],
                "jurisdiction": {"ETERNITY": "jinghong"},
                "area": {month: "urban"},
                "dibao_benefit": {month: None},
            }
        },
    }


def test_a_batch_answer_says_which_outputs_rest_on_carried_values(system):
    from openfisca_cn_assist.serve.batch import calculate_batch
    from openfisca_cn_assist.serve.batch_common import BatchError

    with pytest.raises(BatchError) as caught:  # the server answers it with 422
        calculate_batch(system, {"situations": [_batch_situation()]}, 10)
    assert "2022-12-31" in str(caught.value)
    answer = calculate_batch(system, {"situations": [_batch_situation()], "carry_forward": True}, 10)
    assert answer["results"][0]["households"]["h"]["dibao_benefit"] == {"2024-08": 700}
    assert [v["parameter"] for v in answer["carried_forward"]["dibao_benefit"]] == ["dibao.standard_urban"]
    with pytest.raises(BatchError, match="carry_forward must be true or false"):
        calculate_batch(system, {"situations": [_batch_situation()], "carry_forward": "yes"}, 10)
    within = calculate_batch(system, {"situations": [_batch_situation("2022-08")], "carry_forward": True}, 10)
    assert within["carried_forward"] == {}
    assert "carried_forward" not in calculate_batch(system, {"situations": [_batch_situation("2022-08")]}, 10)


def test_an_explanation_lists_the_values_carried_past_their_horizon(system):
    from openfisca_cn_assist.serve.explain import explain

    situation = _batch_situation()
    del situation["households"]["h"]["dibao_benefit"]
    account = explain(carrying_forward(system), situation, "2024-08", "en")[0]
    assert "dibao_benefit" in account.carried_forward
    assert "Values carried past their horizon" in account.to_text() and "2022-12-31" in account.to_text()
    assert account.to_dict()["carried_forward"] == account.carried_forward


def test_a_rule_with_alternatives_past_their_horizon_raises_the_horizon_error(system):
    # 特困 basic allowance in 峨山 2024-11: Yunnan's own 910 ran out on 2022-12-31 and no ratio applies.
    simulation = household(system, "eshan", "2024-11", age=70, has_able_supporter=False)
    with pytest.raises(ValuePastHorizonError) as caught:
        simulation.calculate("tekun_basic_allowance", "2024-11")
    assert (caught.value.parameter, caught.value.horizon, caught.value.value) == (
        "tekun.basic_standard_urban",
        "2022-12-31",
        910,
    )
    assert caught.value.rows.tolist() == [0]


def test_own_value_past_its_horizon_does_not_fall_back_to_the_province(system):
    # 峨山's own 735 ends 2024-12-31; Yunnan's 700 (itself stale) is not used instead.
    with pytest.raises(ValuePastHorizonError) as caught:
        household(system, "eshan", "2025-01").calculate("dibao_standard", "2025-01")
    assert (caught.value.value, caught.value.source_jurisdiction, caught.value.horizon) == (735, "eshan", "2024-12-31")
