"""The resolver: date-by-date inheritance, own values win, and errors that name what is missing."""

import numpy as np
import pytest
from openfisca_core.parameters import ParameterNode

from openfisca_cn_assist.engine.jurisdictions import Registry, RegistryError
from openfisca_cn_assist.engine.resolver import JurisdictionResolver, MissingParameterValueError, ParameterLayoutError

RECORDS = [
    {"key": "china", "code": None, "name_zh": "中国", "name_en": "China", "level": "national", "parent": None},
    {"key": "prov", "code": "110000", "name_zh": "省", "name_en": "Province", "level": "province", "parent": "china"},
    {
        "key": "pref",
        "code": "110100",
        "name_zh": "州",
        "name_en": "Prefecture",
        "level": "prefecture",
        "parent": "prov",
    },
    {"key": "county", "code": "110101", "name_zh": "县", "name_en": "County", "level": "county", "parent": "pref"},
    {"key": "other", "code": "120000", "name_zh": "另省", "name_en": "Other", "level": "province", "parent": "china"},
]


def _values(**dated):
    return {
        "metadata": {"period": "month"},
        "values": {d.replace("_", "-")[1:]: {"value": v} for d, v in dated.items()},
    }


def resolver(children: dict) -> JurisdictionResolver:
    data = {"standard": {"metadata": {"by_jurisdiction": True}, **children}}
    return JurisdictionResolver(ParameterNode("", data=data), Registry.from_records(RECORDS))


def at(resolved, date, key):
    return resolved.table(date)[resolved.registry.index[key]]


def test_county_inherits_parent_value_date_by_date():
    # the province changes on 2021-01-01, the prefecture has its own value only from 2022-07-01
    r = resolver({"prov": _values(_2020_01_01=500, _2021_01_01=600), "pref": _values(_2022_07_01=700)})["standard"]
    assert at(r, "2020-06-01", "county") == 500
    assert at(r, "2021-06-01", "county") == 600
    assert at(r, "2022-06-30", "county") == 600
    assert at(r, "2022-07-01", "county") == 700
    assert r.source("county", "2022-06-30").source_jurisdiction == "prov"
    assert r.source("county", "2022-07-01").source_jurisdiction == "pref"
    assert r.source("county", "2022-07-01").inherited


def test_own_values_win_and_are_never_changed_by_inheritance():
    r = resolver(
        {"china": _values(_2014_01_01=100), "prov": _values(_2020_01_01=500), "county": _values(_2021_01_01=650)}
    )["standard"]
    assert at(r, "2021-02-01", "county") == 650
    assert at(r, "2021-02-01", "pref") == 500
    assert at(r, "2021-02-01", "other") == 100
    assert not r.source("county", "2021-02-01").inherited


def test_own_value_applies_only_from_its_start_date():
    r = resolver({"prov": _values(_2020_01_01=500), "county": _values(_2021_01_01=650)})["standard"]
    assert at(r, "2020-12-31", "county") == 500


def test_yearly_values_are_converted_to_monthly_per_value():
    node = {
        "metadata": {"period": "month"},
        "values": {"2020-01-01": {"value": 600}, "2021-01-01": {"value": 8400, "metadata": {"period": "year"}}},
    }
    r = resolver({"prov": node})["standard"]
    assert at(r, "2020-05-01", "county") == 600
    assert at(r, "2021-05-01", "county") == 700


def test_null_ends_a_value_and_leaves_no_value():
    r = resolver({"prov": _values(_2020_01_01=500, _2021_01_01=None)})["standard"]
    assert np.isnan(at(r, "2021-02-01", "county"))
    assert r.source("county", "2021-02-01") is None


def test_missing_error_names_parameter_jurisdiction_and_available_dates():
    r = resolver({"pref": _values(_2022_07_01=700)})["standard"]
    error = r.missing_error("2022-06-01", np.array([3]), "household", np.array([0]))
    assert isinstance(error, MissingParameterValueError)
    message = str(error)
    assert "'standard'" in message and "县 (county)" in message and "2022-06-01" in message
    assert "pref (from 2022-07-01)" in message
    assert "county → pref → prov → china" in message


def test_unknown_jurisdiction_file_is_rejected_at_load():
    with pytest.raises(ParameterLayoutError, match="'contry' under 'standard' is not a jurisdiction"):
        resolver({"contry": _values(_2020_01_01=1)})


def test_unknown_period_is_rejected_at_load():
    with pytest.raises(ParameterLayoutError, match="metadata.period"):
        resolver({"prov": {"metadata": {"period": "week"}, "values": {"2020-01-01": {"value": 1}}}})


def test_registry_rejects_child_before_parent_and_bad_codes():
    with pytest.raises(RegistryError, match="listed before"):
        Registry.from_records([RECORDS[0], RECORDS[2], RECORDS[1]])
    bad = dict(RECORDS[1], code="11")
    with pytest.raises(RegistryError, match="6 digits"):
        Registry.from_records([RECORDS[0], bad])


def test_builtin_registry_chain():
    registry = Registry.load()
    assert registry.chain("mengla") == ["mengla", "xishuangbanna", "yunnan", "china"]
    assert registry["eshan"].code == "530426"
    assert registry.label("mengla") == "勐腊县 (mengla)"
