"""The national register of divisions: codes in force by date, successors, dated parents, codes and keys alike."""

import dataclasses

import numpy as np
import pytest
from openfisca_core.parameters import ParameterNode
from openfisca_core.simulations import SimulationBuilder

from openfisca_cn_assist.analysis.microsim import simulate
from openfisca_cn_assist.caseload.readers import builtin_caseload
from openfisca_cn_assist.engine.divisions_in_force import (
    DivisionNotInForceError,
    mapped_codes,
    mapping_retired_codes,
)
from openfisca_cn_assist.engine.jurisdictions import Registry, RegistryError
from openfisca_cn_assist.engine.resolver import JurisdictionResolver, ParameterLayoutError


def household(system, code, period="2022-06", area="urban"):
    situation = {
        "persons": {"a": {"age": {period[:4]: 40}, "has_able_supporter": {period[:4]: True}}},
        "households": {"h": {"members": ["a"], "jurisdiction": {"ETERNITY": code}, "area": {period: area}}},
    }
    return SimulationBuilder().build_from_entities(system, situation)


# --- The register -------------------------------------------------------------------------------------------


def test_register_histories_from_the_source(system):
    registry = system.registry
    nanzheng, district = registry["610721"], registry["610703"]
    assert (nanzheng.name_zh, nanzheng.valid_from, nanzheng.valid_until) == ("南郑县", "1996-01-01", "2017-12-31")
    assert nanzheng.successors == ("610703",) and district.valid_from == "2017-01-01" and district.valid_until is None
    chengjiang = registry["530422"]
    assert (chengjiang.valid_until, chengjiang.successors) == ("2019-12-31", ("530481",))
    assert registry["532821"].successors == ("532801",) and registry["jinghong"].code == "532801"
    # every county-level division in force in 2024 has a record (2,800-odd), and the root is china
    in_force = [j for j in registry.jurisdictions if j.level == "county" and j.in_force("2024-06-01")]
    assert 2_800 < len(in_force) < 2_900
    assert registry.keys[0] == "china" and registry.chain("mengla") == ["mengla", "xishuangbanna", "yunnan", "china"]


def test_a_renamed_prefecture_is_the_parent_of_its_county_on_each_side(system):
    # 421000 was 荆沙市 (1994–1996), then 荆州市; 421002 沙市区 has a record under each
    registry = system.registry
    assert registry.chain("421002_1994", "1995-06-01")[:2] == ["421002_1994", "421000_1994"]
    assert registry.chain("421002", "2000-06-01")[:2] == ["421002", "421000"]
    assert registry.record_in_force("421002", "1995-06-01") == registry.index["421002_1994"]
    assert registry.record_in_force("421002", "2000-06-01") == registry.index["421002"]


# --- Dated parents in the resolver --------------------------------------------------------------------------

MOVING = [
    {"key": "china", "code": None, "name_zh": "中国", "name_en": "China", "level": "national", "parent": None},
    {"key": "prov", "code": "110000", "name_zh": "省", "name_en": "P", "level": "province", "parent": "china"},
    {"key": "north", "code": "110100", "name_zh": "北市", "name_en": "N", "level": "prefecture", "parent": "prov"},
    {"key": "south", "code": "110200", "name_zh": "南市", "name_en": "S", "level": "prefecture", "parent": "prov"},
    {
        "key": "county",
        "code": "110101",
        "name_zh": "县",
        "name_en": "C",
        "level": "county",
        "parent": "south",
        "parents": [("2000-01-01", "north"), ("2010-01-01", "south")],
    },
]


def _standard(**children):
    data = {"standard": {"metadata": {"by_jurisdiction": True}, **children}}
    return ParameterNode("", data=data)


def _values(dated):
    return {"metadata": {"period": "month"}, "values": {d: {"value": v} for d, v in dated.items()}}


def test_a_county_that_moved_inherits_from_the_prefecture_in_force_on_each_side():
    registry = Registry.from_records(MOVING)
    tree = _standard(north=_values({"2005-01-01": 300}), south=_values({"2005-01-01": 400}))
    resolved = JurisdictionResolver(tree, registry)["standard"]
    county = registry.index["county"]
    # the move on 2010-01-01 starts a segment although no value changes then
    assert resolved.table("2009-12-31")[county] == 300
    assert resolved.table("2010-01-01")[county] == 400
    assert registry.chain("county", "2009-06-01") == ["county", "north", "prov", "china"]
    assert resolved.source("county", "2009-06-01").source_jurisdiction == "north"
    assert resolved.source("county", "2012-06-01").source_jurisdiction == "south"


def test_a_parent_must_be_of_a_higher_level():
    records = [dict(r) for r in MOVING]
    records[4]["parents"] = [("2000-01-01", "prov"), ("2010-01-01", "north")]
    Registry.from_records(records)  # a county may sit directly under a province
    records[3]["parent"] = "north"
    with pytest.raises(RegistryError, match="higher level"):
        Registry.from_records(records)


def test_a_file_may_be_named_by_code_but_not_twice():
    registry = Registry.from_records(MOVING)
    resolved = JurisdictionResolver(_standard(**{"110101": _values({"2005-01-01": 777})}), registry)["standard"]
    assert resolved.table("2006-01-01")[registry.index["county"]] == 777
    both = _standard(**{"110101": _values({"2005-01-01": 1}), "county": _values({"2005-01-01": 2})})
    with pytest.raises(ParameterLayoutError, match="by its key or by its code, not both"):
        JurisdictionResolver(both, registry)
    with pytest.raises(ParameterLayoutError, match=r"did you mean 110101 县 \[county\]"):
        JurisdictionResolver(_standard(**{"110109": _values({"2005-01-01": 1})}), registry)


# --- Codes in force ---------------------------------------------------------------------------------------


def test_a_code_and_its_key_give_the_same_results(system):
    for variable in ("dibao_standard", "dibao_benefit", "tekun_basic_allowance"):
        by_key = household(system, "jinghong").calculate(variable, "2022-06")
        by_code = household(system, "532801").calculate(variable, "2022-06")
        assert np.array_equal(by_key, by_code), variable


def test_the_builtin_caseload_by_code_gives_the_same_totals(system):
    caseload = builtin_caseload("xishuangbanna_2022")
    codes = {"jinghong": "532801", "menghai": "532822", "mengla": "532823"}
    households = caseload.households.copy()
    households["jurisdiction"] = households["jurisdiction"].map(codes)
    by_code = dataclasses.replace(caseload, households=households)
    assert simulate(system, by_code, "2022-11").totals() == simulate(system, caseload, "2022-11").totals()


def test_a_retired_code_is_refused_naming_its_validity_and_successor(system):
    with pytest.raises(DivisionNotInForceError) as caught:
        household(system, "610721", "2018-06").calculate("dibao_standard", "2018-06")
    error = caught.value
    assert error.code == "610721" and error.successors == ("610703",) and error.valid_until == "2017-12-31"
    message = str(error)
    assert "610721 (南郑县) is not in force on 2018-06-01" in message
    assert "1996-01-01 – 2017-12-31" in message and "610703 (南郑区, in force from 2017-01-01)" in message
    assert "--map-retired-codes" in message
    # in the year of the change both codes are accepted (the register does not say the month): 2017 is refused
    # only for want of a 2017 汉中 standard, not for the code
    for code in ("610721", "610703"):
        with pytest.raises(Exception) as caught:
            household(system, code, "2017-06").calculate("dibao_standard", "2017-06")
        assert not isinstance(caught.value, DivisionNotInForceError) and "dibao.standard_urban" in str(caught.value)
    with pytest.raises(DivisionNotInForceError, match="530481"):
        household(system, "530422", "2020-06").calculate("dibao_standard", "2020-06")


def test_a_code_is_checked_at_each_date_it_is_used(system):
    # 530422 澄江县 is in force until 2019-12-31: 2019 computes (Yunnan has no 2019 standard: a missing value,
    # not a refusal of the code), 2020 is refused
    simulation = household(system, "530422", "2019-06")
    with pytest.raises(Exception) as caught:
        simulation.calculate("dibao_standard", "2019-06")
    assert not isinstance(caught.value, DivisionNotInForceError)
    assert "530422" in str(caught.value) or "澄江" in str(caught.value)


def test_mapping_a_retired_code_is_opt_in_and_reported(system):
    mapping = mapping_retired_codes(system)
    simulation = household(mapping, "532821")
    assert simulation.calculate("dibao_standard", "2022-06")[0] == 700  # 532801 景洪市 → 西双版纳 700
    (entry,) = mapped_codes(simulation)
    assert (entry["code"], entry["mapped_to"], entry["rows"]) == ("532821", "532801", 1)
    assert mapping_retired_codes(system) is mapping  # built once per system


def test_a_code_with_several_successors_is_refused_even_when_mapping(system):
    simulation = household(mapping_retired_codes(system), "532201")  # 曲靖市 (county-level) → 530302; 530328
    with pytest.raises(DivisionNotInForceError, match="530302.*530328"):
        simulation.calculate("dibao_standard", "2022-06")


def test_an_unknown_code_gets_the_nearest_codes_and_names(system):
    with pytest.raises(Exception, match=r"unknown value '532899'.*did you mean 532823 勐腊县 \[mengla\]"):
        household(system, "532899")
    with pytest.raises(Exception, match=r"did you mean .*勐腊县"):
        household(system, "menlaxian")
