"""Reforms: the loader (names, files, dotted paths), the semantics of parametric changes, validation, serve."""

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openfisca_core.reforms import Reform
from openfisca_core.simulations import SimulationBuilder
from servers import get_json, post_json, running_server, script

import openfisca_cn_assist.reforms as shipped
from openfisca_cn_assist import CountryTaxBenefitSystem
from openfisca_cn_assist.engine.provenance import metadata_problems
from openfisca_cn_assist.engine.reform_changes import apply_changes
from openfisca_cn_assist.engine.reform_spec import REFORM_CONFIDENCE, ReformError, read_reform_file
from openfisca_cn_assist.engine.reform_tools import (
    apply_reform,
    list_reforms,
    load_reform,
    reform_from_yaml,
)
from openfisca_cn_assist.engine.resolver import JurisdictionResolver, resolver_for

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = [
    "carry_forward",
    "extend_pension_exclusion",
    "gap_floor",
    "map_retired_codes",
    "raise_dibao_standards_10pct",
    "raise_tekun_1050",
    "yunnan_rural_classes",
]


def monthly(system, path, key, date):
    return resolver_for(system)[path].table(date)[system.registry.index[key]]


def write_reform(tmp_path, changes, name="my_reform", **top):
    data = {"name": name, "label": "test reform", "changes": changes, **top}
    path = tmp_path / f"{name}.yaml"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")  # JSON is YAML
    return path


def reformed(system, tmp_path, *changes):
    return apply_reform(system, write_reform(tmp_path, list(changes)))


# ---------------------------------------------------------------- loader


def test_every_shipped_reform_is_listed_and_applies(system):
    assert [name for name, _ in list_reforms()] == SHIPPED
    assert all(label for _, label in list_reforms())
    for name in SHIPPED:
        reform = apply_reform(system, name)
        assert isinstance(reform, Reform) and reform.baseline is system


def test_a_shipped_yaml_reform_is_the_same_class_by_name_file_name_and_dotted_path():
    by_name = load_reform("raise_tekun_1050")
    assert load_reform("raise_tekun_1050.yaml") is by_name
    assert load_reform("openfisca_cn_assist.reforms.raise_tekun_1050") is by_name
    assert shipped.raise_tekun_1050 is by_name
    assert load_reform(by_name) is by_name
    assert by_name.__name__ == "raise_tekun_1050" and "1050" in by_name.name


def test_a_shipped_python_reform_is_the_same_class_by_name_file_name_and_dotted_paths():
    by_name = load_reform("gap_floor")
    assert load_reform("gap_floor.py") is by_name
    assert load_reform("openfisca_cn_assist.reforms.gap_floor") is by_name
    assert load_reform("openfisca_cn_assist.reforms.gap_floor.gap_floor") is by_name
    # Importing the module does not turn the package attribute into the module.
    import openfisca_cn_assist.reforms.gap_floor  # noqa: F401

    assert shipped.gap_floor is by_name and issubclass(by_name, Reform)


def test_reforms_folder_paths_name_the_shipped_reform_from_any_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert load_reform("reforms/raise_tekun_1050.yaml") is load_reform("raise_tekun_1050")
    assert load_reform("reforms/gap_floor.py") is load_reform("gap_floor")


def test_openfisca_apply_reform_takes_the_dotted_paths(system):
    reform = system.apply_reform("openfisca_cn_assist.reforms.raise_tekun_1050")
    assert monthly(reform, "tekun.basic_standard_urban", "xishuangbanna", "2022-08-01") == 1050
    reform = system.apply_reform("openfisca_cn_assist.reforms.gap_floor")
    assert "gap_floor_share" in reform.parameters.dibao.children


def test_a_users_yaml_file_by_path(system, tmp_path):
    path = write_reform(
        tmp_path,
        [{"parameter": "dibao.standard_urban", "jurisdictions": ["yunnan"], "from": "2023-01-01", "value": 800}],
    )
    for spec in (path, str(path)):
        reform = apply_reform(system, spec)
        assert monthly(reform, "dibao.standard_urban", "eshan", "2023-06-01") == 800


def test_a_users_python_file_by_path(system, tmp_path):
    path = tmp_path / "zero_one_off.py"
    path.write_text(
        textwrap.dedent(
            """
            from openfisca_core.reforms import Reform

            def zero(parameters):
                parameters.one_off.living_subsidy_amount.xishuangbanna.values_list[0].value = 0
                return parameters

            class ZeroOneOff(Reform):
                def apply(self):
                    self.modify_parameters(zero)
            """
        ),
        encoding="utf-8",
    )
    reform_class = load_reform(path)
    assert reform_class.__name__ == "ZeroOneOff"
    assert load_reform(str(path)) is reform_class
    apply_reform(system, path)


def test_a_python_file_with_two_reforms_must_name_one_like_the_file(tmp_path):
    path = tmp_path / "two.py"
    path.write_text(
        "from openfisca_core.reforms import Reform\n"
        "class A(Reform):\n    def apply(self): pass\n"
        "class B(Reform):\n    def apply(self): pass\n",
        encoding="utf-8",
    )
    with pytest.raises(ReformError, match="several Reform classes.*name the one to use 'two'"):
        load_reform(path)


def test_reforms_stack_in_order(system):
    both = apply_reform(system, ["gap_floor", "raise_dibao_standards_10pct"])
    assert both.baseline.baseline is system
    assert monthly(both, "dibao.standard_urban", "xishuangbanna", "2022-08-01") == pytest.approx(770)
    assert monthly(both, "dibao.gap_floor_share", "mengla", "2022-08-01") == 0.2


@pytest.mark.parametrize(
    "spec, message",
    [
        ("no_such_reform", r"no reform 'no_such_reform'.*raise_tekun_1050"),
        ("missing_file.yaml", r"no reform 'missing_file.yaml': not a file"),
        ("gap_floor.yaml", r"no reform 'gap_floor.yaml'"),
        ("openfisca_cn_assist.reforms.no_such_reform", r"has no reform 'no_such_reform'"),
        ("no_such_package.reforms.x", r"cannot import 'no_such_package.reforms'"),
        ("openfisca_cn_assist.CountryTaxBenefitSystem", r"is not a Reform class"),
        (42, r"not int"),
    ],
)
def test_unknown_reforms_are_reported(spec, message):
    with pytest.raises(ReformError, match=message):
        load_reform(spec)


def test_reforms_package_reports_unknown_attributes():
    with pytest.raises(AttributeError, match="no reform 'nope'.*gap_floor"):
        shipped.nope  # noqa: B018
    assert set(SHIPPED) <= set(dir(shipped))


# ---------------------------------------------------------------- semantics


def test_the_baseline_is_unchanged_after_applying_reforms(system):
    resolver = resolver_for(system)
    dates = ["2015-06-01", "2020-06-01", "2022-01-01", "2022-08-01", "2024-08-01", "2026-02-01"]
    before = {path: [resolved.table(d).copy() for d in dates] for path, resolved in resolver.resolved.items()}
    snapshot = repr(system.parameters)
    for name in SHIPPED:
        apply_reform(system, name)
    assert repr(system.parameters) == snapshot
    assert resolver_for(system) is resolver
    after = {path: [resolved.table(d) for d in dates] for path, resolved in resolver_for(system).resolved.items()}
    assert set(after) == set(before)
    for path in before:
        for old, new in zip(before[path], after[path]):
            np.testing.assert_array_equal(old, new)
    assert metadata_problems(system.parameters) == []


def test_values_before_from_are_unchanged_everywhere(system):
    for name in ("raise_tekun_1050", "raise_dibao_standards_10pct"):
        reform = apply_reform(system, name)
        for path in (
            "dibao.standard_urban",
            "dibao.standard_rural",
            "tekun.basic_standard_urban",
            "tekun.basic_standard_rural",
        ):
            for date in ("2015-06-01", "2020-06-01", "2021-12-31"):
                np.testing.assert_array_equal(
                    resolver_for(reform)[path].table(date), resolver_for(system)[path].table(date)
                )


def test_absolute_value_on_a_jurisdiction_without_own_values_is_inherited_by_its_counties(system, tmp_path):
    assert "yuxi" not in system.parameters.tekun.basic_standard_urban.children
    reform = reformed(
        system,
        tmp_path,
        {"parameter": "tekun.basic_standard_urban", "jurisdictions": ["yuxi"], "from": "2022-07-01", "value": 1000},
    )
    path = "tekun.basic_standard_urban"
    assert monthly(reform, path, "yuxi", "2022-08-01") == 1000
    assert monthly(reform, path, "eshan", "2022-08-01") == 1000  # the county inherits it
    assert monthly(reform, path, "eshan", "2022-06-01") == 910  # before: still 云南's
    assert monthly(reform, path, "yunnan", "2022-08-01") == 910  # the parent is untouched
    assert monthly(reform, path, "jinghong", "2022-08-01") == 910
    # The reform's own value is its hypothesis: no horizon, so it holds after 云南's 2022 value ran out.
    assert monthly(reform, path, "eshan", "2024-06-01") == 1000 and np.isnan(
        monthly(reform, path, "yunnan", "2024-06-01")
    )
    source = resolver_for(reform)[path].source("eshan", "2022-08-01")
    assert (source.source_jurisdiction, source.confidence, source.value, source.horizon) == (
        "yuxi",
        REFORM_CONFIDENCE,
        1000,
        None,
    )
    assert source.reference[0]["source"].endswith("my_reform.yaml")
    assert resolver_for(reform)[path].source("eshan", "2022-06-01").source_jurisdiction == "yunnan"


def test_absolute_value_replaces_later_own_values_and_keeps_earlier_ones(system, tmp_path):
    reform = reformed(
        system,
        tmp_path,
        {"parameter": "tekun.basic_standard_urban", "jurisdictions": "qinghai", "from": "2022-01-01", "value": 900},
    )
    path = "tekun.basic_standard_urban"
    assert monthly(reform, path, "qinghai", "2020-06-01") == 870  # before: own value kept
    assert np.isnan(monthly(reform, path, "qinghai", "2021-06-01"))  # before: the gap is kept
    assert monthly(reform, path, "qinghai", "2023-06-01") == 900
    assert monthly(reform, path, "qinghai", "2025-06-01") == 900  # the own 2025 value (1050) is replaced


def test_all_sets_every_jurisdiction(system):
    reform = apply_reform(system, "raise_tekun_1050")
    for path in ("tekun.basic_standard_urban", "tekun.basic_standard_rural"):
        for date in ("2022-01-01", "2023-06-01", "2025-06-01", "2030-01-01"):
            assert (resolver_for(reform)[path].table(date) == 1050).all()


def test_a_yearly_absolute_value_is_converted(system, tmp_path):
    reform = reformed(
        system,
        tmp_path,
        {
            "parameter": "dibao.standard_rural",
            "jurisdictions": ["hezhou"],
            "from": "2020-07-01",
            "value": 6000,
            "period": "year",
        },
    )
    assert monthly(reform, "dibao.standard_rural", "hezhou", "2020-08-01") == 500  # 6000 / 12
    assert monthly(reform, "dibao.standard_rural", "hezhou", "2020-06-01") == 433  # the monthly file's own value before


def test_relative_change_on_inherited_values_becomes_own_in_the_source_period(system, tmp_path):
    reform = reformed(
        system,
        tmp_path,
        {"parameter": "dibao.standard_rural", "jurisdictions": ["mengla"], "from": "2022-01-01", "change": "+10%"},
    )
    assert monthly(reform, "dibao.standard_rural", "mengla", "2022-08-01") == pytest.approx(495)  # 5400 × 1.1 / 12
    assert monthly(reform, "dibao.standard_rural", "xishuangbanna", "2022-08-01") == 450  # the source is untouched
    assert monthly(reform, "dibao.standard_rural", "jinghong", "2022-08-01") == 450
    own = reform.parameters.dibao.standard_rural.mengla
    assert [(e.instant_str, e.value, e.metadata["period"]) for e in own.values_list] == [("2022-01-01", 5940.0, "year")]
    assert "xishuangbanna's value from 2022-01-01" in own.values_list[0].metadata["note"]


def test_relative_change_follows_each_dated_value_and_keeps_gaps(system):
    reform = apply_reform(system, "raise_dibao_standards_10pct")
    # 云南 urban: 700 per month in 2022 (horizon 2022-12-31), +10 %; 峨山's own 735 in 2024-11, +10 %.
    assert monthly(reform, "dibao.standard_urban", "yuxi", "2022-08-01") == pytest.approx(770)
    assert monthly(reform, "dibao.standard_urban", "eshan", "2024-11-01") == pytest.approx(808.5)
    # A raised value holds only as far as the value it raises: 云南's 770 is past its horizon in 2023.
    assert np.isnan(monthly(reform, "dibao.standard_urban", "yuxi", "2023-06-01"))
    assert resolver_for(reform)["dibao.standard_urban"].source("yuxi", "2023-06-01").past_horizon
    # 青海 has no standard 2021–2024: still none; its 2025 value is raised.
    assert np.isnan(monthly(reform, "dibao.standard_urban", "qinghai", "2023-06-01"))
    assert monthly(reform, "dibao.standard_urban", "qinghai", "2025-06-01") == pytest.approx(770)
    assert monthly(reform, "dibao.standard_rural", "qinghai", "2025-06-01") == pytest.approx(5676 * 1.1 / 12)
    # 云南 has no rural standard of its own: nothing, as in the baseline.
    assert np.isnan(monthly(reform, "dibao.standard_rural", "yuxi", "2022-06-01"))
    # 陕西 has none at all: still none, and no file was created for china.
    assert np.isnan(monthly(reform, "dibao.standard_urban", "shaanxi", "2023-06-01"))
    assert "china" not in reform.parameters.dibao.standard_urban.children


def test_a_gap_that_starts_at_from_stays_a_gap(system, tmp_path):
    # 贺州 urban: own 360 from 2015, no value 2016–2019, 750 from 2020. From 2016-01-01 the 2015 value
    # must not run on into the years that have none.
    reform = reformed(
        system,
        tmp_path,
        {"parameter": "dibao.standard_urban", "jurisdictions": "all", "from": "2016-01-01", "change": "+10%"},
    )
    assert monthly(reform, "dibao.standard_urban", "hezhou", "2015-06-01") == 360
    assert np.isnan(monthly(reform, "dibao.standard_urban", "hezhou", "2017-06-01"))
    assert monthly(reform, "dibao.standard_urban", "hezhou", "2020-06-01") == pytest.approx(825)


def test_a_cut_rounds_to_the_fen(system, tmp_path):
    reform = reformed(
        system,
        tmp_path,
        {"parameter": "dibao.standard_urban", "jurisdictions": "all", "from": "2022-01-01", "change": "-3.3%"},
    )
    assert reform.parameters.dibao.standard_urban.xishuangbanna.values_list[0].value == 676.9  # 700 × 0.967


def test_changes_apply_in_order(system, tmp_path):
    reform = reformed(
        system,
        tmp_path,
        {"parameter": "dibao.standard_urban", "jurisdictions": ["xishuangbanna"], "from": "2022-01-01", "value": 800},
        {
            "parameter": "dibao.standard_urban",
            "jurisdictions": ["xishuangbanna"],
            "from": "2022-07-01",
            "change": "+10%",
        },
    )
    assert monthly(reform, "dibao.standard_urban", "mengla", "2022-03-01") == 800
    assert monthly(reform, "dibao.standard_urban", "mengla", "2022-08-01") == pytest.approx(880)


def test_a_relative_change_of_all_reads_values_before_writing(system, tmp_path):
    # 西双版纳 own 700 and 云南 own 700: each +10 % once, not 西双版纳 on top of a raised 云南.
    reform = reformed(
        system,
        tmp_path,
        {"parameter": "dibao.standard_urban", "jurisdictions": "all", "from": "2022-01-01", "change": "+10%"},
    )
    assert monthly(reform, "dibao.standard_urban", "mengla", "2022-08-01") == pytest.approx(770)
    assert monthly(reform, "dibao.standard_urban", "yunnan", "2022-08-01") == pytest.approx(770)


def test_a_flag_takes_true_or_false(system):
    reform = apply_reform(system, "extend_pension_exclusion")
    table = resolver_for(reform)["income.basic_pension_excluded"].table
    assert (table("2026-06-01") == 1).all()
    assert np.isnan(resolver_for(system)["income.basic_pension_excluded"].table("2026-06-01")).all()
    np.testing.assert_array_equal(
        table("2021-08-01"), resolver_for(system)["income.basic_pension_excluded"].table("2021-08-01")
    )


def test_the_reforms_own_reference_is_kept_on_each_value(system, tmp_path):
    source = {"title": "某省征求意见稿", "url": "https://example.org/draft"}
    path = write_reform(tmp_path, [GOOD], reference=[source])
    reform = apply_reform(system, path)
    reference = reform.parameters.dibao.standard_urban.yunnan.values_list[0].metadata["reference"]
    assert reference[0]["source"] == str(path) and reference[1] == source


def test_reform_values_carry_their_provenance(system):
    reform = apply_reform(system, "raise_tekun_1050")
    created = reform.parameters.tekun.basic_standard_urban.china
    assert created.file_path.endswith("raise_tekun_1050.yaml")
    entry = created.values_list[0]
    assert entry.metadata["confidence"] == REFORM_CONFIDENCE
    assert entry.metadata["reform"] == "raise_tekun_1050"
    assert entry.metadata["reference"][0]["source"] == "reforms/raise_tekun_1050.yaml"
    assert entry.metadata["period"] == "month"
    # A reformed tree is flagged only for its reform values, not for missing fields.
    assert all("confidence 'reform'" in p for p in metadata_problems(reform.parameters))


def test_gap_floor_parameter_has_reference_metadata(system):
    reform = apply_reform(system, "gap_floor")
    assert metadata_problems(reform.parameters) == []
    source = resolver_for(reform)["dibao.gap_floor_share"].source("mengla", "2022-08-01")
    assert (source.value, source.source_jurisdiction, source.confidence) == (0.2, "china", "L")


def test_gap_floor_in_a_vectorised_simulation(system):
    situation = {
        "persons": {
            "a": {"age": {"2022-08": 40}, "wage_income": {"2022-08": 650}, "has_able_supporter": {"2022-08": True}},
            "b": {"age": {"2022-08": 40}, "wage_income": {"2022-08": 100}, "has_able_supporter": {"2022-08": True}},
            "c": {"age": {"2022-08": 40}, "wage_income": {"2022-08": 200}, "dibao_class": {"2022-08": "b"}},
        },
        "households": {
            "h1": {"members": ["a"], "jurisdiction": {"ETERNITY": "jinghong"}, "area": {"2022-08": "urban"}},
            "h2": {"members": ["b"], "jurisdiction": {"ETERNITY": "jinghong"}, "area": {"2022-08": "urban"}},
            "h3": {"members": ["c"], "jurisdiction": {"ETERNITY": "mengla"}, "area": {"2022-08": "rural"}},
        },
    }
    reform = apply_reform(system, "gap_floor")
    benefit = SimulationBuilder().build_from_entities(reform, situation).calculate("dibao_regular_benefit", "2022-08")
    # max(50, 140) = 140; max(600, 140) = 600; class B 310
    np.testing.assert_allclose(benefit, [140, 600, 310])
    baseline = SimulationBuilder().build_from_entities(system, situation).calculate("dibao_regular_benefit", "2022-08")
    np.testing.assert_allclose(baseline, [50, 600, 310])


def test_a_parameter_not_by_jurisdiction_is_changed_in_its_files_period(system, tmp_path):
    from openfisca_core.parameters import Parameter

    custom = CountryTaxBenefitSystem()
    custom.parameters.add_child(
        "plain_amount",
        Parameter(
            "plain_amount",
            {
                "metadata": {"unit": "currency-CNY", "period": "year"},
                "values": {"2020-01-01": {"value": 1200}, "2023-01-01": {"value": 2400}},
            },
        ),
    )
    reform = reformed(custom, tmp_path, {"parameter": "plain_amount", "from": "2022-01-01", "value": 150})
    assert [(e.instant_str, e.value) for e in reform.parameters.plain_amount.values_list] == [
        ("2022-01-01", 1800),
        ("2020-01-01", 1200),
    ]
    reform = reformed(custom, tmp_path, {"parameter": "plain_amount", "from": "2022-01-01", "change": "+50%"})
    assert reform.parameters.plain_amount("2022-06-01") == 1800
    assert reform.parameters.plain_amount("2023-06-01") == 3600
    assert reform.parameters.plain_amount("2021-06-01") == 1200
    with pytest.raises(ReformError, match="does not vary by jurisdiction"):
        reformed(
            custom, tmp_path, {"parameter": "plain_amount", "jurisdictions": "all", "from": "2022-01-01", "value": 1}
        )


def test_a_reformed_system_has_its_own_lookup_tables_and_web_api_examples(system):
    reform = apply_reform(system, "raise_tekun_1050")
    assert resolver_for(reform) is not resolver_for(system)
    assert reform.open_api_config == system.open_api_config


# ---------------------------------------------------------------- validation

GOOD = {"parameter": "dibao.standard_urban", "jurisdictions": ["yunnan"], "from": "2022-01-01", "value": 800}
DROP = object()


@pytest.mark.parametrize(
    "change, field, message",
    [
        (
            {"parameter": "dibao.standard_urbn"},
            "parameter",
            r"unknown parameter 'dibao.standard_urbn'; did you mean dibao.standard_urban",
        ),
        (
            {"parameter": "dibao.standard_urban.xishuangbanna"},
            "parameter",
            r"write `parameter: dibao.standard_urban` with `jurisdictions: \[xishuangbanna\]`",
        ),
        ({"parameter": "dibao"}, "parameter", "a folder of parameters"),
        ({"parameter": "dibao standard"}, "parameter", "dotted path"),
        (
            {"jurisdictions": ["yunan"]},
            "jurisdictions",
            r"unknown jurisdiction\(s\) 'yunan' \(did you mean 'yunnan'\?\)",
        ),
        ({"jurisdictions": DROP}, "jurisdictions", "missing: give `all` or a list"),
        ({"jurisdictions": 5}, "jurisdictions", "give `all` or a list"),
        ({"from": "2022-13-01"}, "from", "not a date of the calendar"),
        ({"from": "2022-02-30"}, "from", "not a date of the calendar"),
        ({"from": "next year"}, "from", "not a date written YYYY-MM-DD"),
        ({"from": 2022}, "from", "not a date written YYYY-MM-DD"),
        ({"from": DROP}, "from", "missing: the date"),
        ({"change": "+10%"}, "value", "give both `value` and `change`; give one of them"),
        ({"value": DROP}, "value/change", "missing: give `value`"),
        ({"value": "800"}, "value", "not a number or true/false"),
        ({"value": None}, "value", "null is not a reform value"),
        ({"value": True}, "value", "is a number, not yes/no"),
        ({"value": DROP, "change": "10"}, "change", "not a percentage such as"),
        ({"value": DROP, "change": "+ten%"}, "change", "not a percentage such as"),
        ({"value": DROP, "change": 0.1}, "change", "not a percentage such as"),
        ({"value": DROP, "change": "-150%"}, "change", "negative"),
        ({"period": "week"}, "period", "must be month, year or case"),
        ({"value": DROP, "change": "+5%", "period": "year"}, "period", "only a `value` has a period"),
        ({"parameter": "temporary_assistance.township_approval_limit", "period": "month"}, "period", "quoted per case"),
        ({"parameter": "income.basic_pension_excluded", "value": 1}, "value", "takes true or false"),
        (
            {"parameter": "income.basic_pension_excluded", "value": DROP, "change": "+5%"},
            "change",
            "takes `value: true` or `value: false`",
        ),
        (
            {"parameter": "income.employment_cost_rate", "value": 0.2, "period": "month"},
            "period",
            r"only amounts \(元\) have a period",
        ),
    ],
)
def test_validation_names_the_file_the_change_and_the_field(system, tmp_path, change, field, message):
    bad = {k: v for k, v in {**GOOD, **change}.items() if v is not DROP}
    path = write_reform(tmp_path, [GOOD, bad])
    with pytest.raises(ReformError) as error:
        apply_reform(system, path)
    text = str(error.value)
    assert text.startswith(f"{path}, change 2")
    assert f"field '{field}'" in text
    assert re.search(message, text), text


def test_both_value_and_change_missing(system, tmp_path):
    path = write_reform(tmp_path, [{k: v for k, v in GOOD.items() if k != "value"}])
    with pytest.raises(
        ReformError, match=r"change 1 \(dibao.standard_urban\), field 'value/change': missing: give `value`"
    ):
        load_reform(path)


@pytest.mark.parametrize(
    "text, message",
    [
        ("- just a list\n", "a reform file is a mapping"),
        ("name: x\nchanges: []\n", "field 'changes': give a list of one or more changes"),
        ("name: 2x\nchanges: [{}]\n", "field 'name': '2x' must be a Python identifier"),
        (
            "name: x\nchanges:\n  - {parameter: dibao.standard_urban, form: 2022-01-01, value: 1}\n",
            r"change 1: unknown field\(s\) \['form'\]",
        ),
        ("name: x\nlabels: y\nchanges: []\n", r"unknown key\(s\) \['labels'\]"),
        ("name: x\nchanges: [\n", "not valid YAML"),
    ],
)
def test_malformed_files_are_reported_with_their_name(tmp_path, text, message):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ReformError, match=message) as error:
        reform_from_yaml(path)
    assert str(error.value).startswith(str(path))


def test_shipped_reform_errors_name_the_reforms_folder(tmp_path, monkeypatch):
    import openfisca_cn_assist.engine.reform_spec as spec
    import openfisca_cn_assist.engine.reform_tools as tools

    monkeypatch.setattr(tools, "REFORMS_DIR", tmp_path)  # where shipped reforms are looked up
    monkeypatch.setattr(spec, "REFORMS_DIR", tmp_path)  # how their files are named in errors
    (tmp_path / "broken.yaml").write_text("changes: [{parameter: x, from: 2022-01-01}]\n", encoding="utf-8")
    with pytest.raises(ReformError, match=r"^reforms/broken.yaml, change 1 \(x\), field 'value/change'"):
        tools.load_reform("broken")


# ---------------------------------------------------------------- openfisca test and openfisca serve


def test_openfisca_test_command_runs_the_reform_yaml_tests(tmp_path):
    openfisca = Path(sys.executable).with_name("openfisca")
    result = subprocess.run(
        [str(openfisca), "test", "--country-package", "openfisca_cn_assist", str(ROOT / "tests" / "reforms")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert " passed" in result.stdout


def test_openfisca_serve_with_a_reform():
    command = [
        script("openfisca"),
        "serve",
        "--country-package",
        "openfisca_cn_assist",
        "--reforms",
        "openfisca_cn_assist.reforms.raise_tekun_1050",
        "--bind",
        "127.0.0.1:{port}",
        "--workers",
        "1",
    ]
    with running_server(command) as base:
        situation = {
            "persons": {"p": {"age": {"2022-08": 75}, "tekun_basic_allowance": {"2022-08": None}}},
            "households": {
                "h": {"members": ["p"], "jurisdiction": {"ETERNITY": "mengla"}, "area": {"2022-08": "rural"}}
            },
        }
        result = post_json(base + "/calculate", situation)
        # 勐腊 inherits 西双版纳's 特困 standard: 910 in the baseline, 1050 with the reform
        assert result["persons"]["p"]["tekun_basic_allowance"]["2022-08"] == 1050
        parameter = get_json(base + "/parameter/tekun/basic_standard_rural/xishuangbanna")
        assert parameter["values"]["2022-01-01"] == 1050


# ---------------------------------------------------------------- properties (hypothesis)


NUMERIC = [
    "dibao.standard_urban",
    "dibao.standard_rural",
    "dibao.class_amount_a",
    "tekun.basic_standard_rural",
    "tekun.basic_ratio_to_dibao",
    "income.employment_cost_rate",
    "temporary_assistance.township_approval_limit",
    "orphan.standard_scattered",
    "one_off.living_subsidy_amount",
]
DATES = [
    "2015-01-01",
    "2016-01-01",
    "2020-01-01",
    "2021-07-22",
    "2022-01-01",
    "2022-07-01",
    "2024-07-01",
    "2025-01-01",
    "2026-01-01",
]


def _tables(parameters, registry, path, dates):
    resolved = JurisdictionResolver(parameters, registry)[path]
    return {d: (resolved.table(d).copy(), resolved.sources_at(d).copy()) for d in dates}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    path=st.sampled_from(NUMERIC),
    start=st.sampled_from(DATES),
    percent=st.integers(-50, 50),
    target=st.sampled_from(["all", "china", "yunnan", "xishuangbanna", "mengla", "qinghai", "hezhou", "yuxi"]),
)
def test_a_relative_change_scales_exactly_the_values_it_reaches(system, tmp_path, path, start, percent, target):
    """A change scales every value in force from `from` that the target reaches (its own, or inherited
    through it); any value before `from`, or not reached, is unchanged; no value appears where none was."""
    registry = system.registry
    change = {
        "parameter": path,
        "jurisdictions": target if target == "all" else [target],
        "from": start,
        "change": f"{percent:+d}%",
    }
    spec = read_reform_file(write_reform(tmp_path, [change]))
    parameters = apply_changes(system.parameters.clone(), registry, spec)
    probe = sorted({*DATES, "2023-03-01", "2030-01-01"})
    before, after = _tables(system.parameters, registry, path, probe), _tables(parameters, registry, path, probe)
    amount = path not in ("tekun.basic_ratio_to_dibao", "income.employment_cost_rate")
    for date in probe:
        old, old_sources = before[date]
        new = after[date][0]
        for i, key in enumerate(registry.keys):
            chain = registry.chain(key)
            if target == "all":
                reached = True
            else:
                source = registry.keys[old_sources[i]] if old_sources[i] >= 0 else None
                # the target lies between the jurisdiction and the one whose value it uses
                reached = target in chain and (source is None or chain.index(target) <= chain.index(source))
            if date >= start and reached:
                expected = old[i] * (1 + percent / 100)
            else:
                expected = old[i]
            if np.isnan(old[i]):
                assert np.isnan(new[i]), (key, date)
            else:
                assert new[i] == pytest.approx(expected, abs=0.006 if amount else 1e-8), (key, date, old[i])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    path=st.sampled_from(NUMERIC),
    start=st.sampled_from(DATES),
    value=st.integers(1, 2000),
    target=st.sampled_from(["all", "china", "yunnan", "xishuangbanna", "mengla", "qinghai", "hezhou", "yuxi"]),
)
def test_an_absolute_value_reaches_the_target_and_those_inheriting_from_it(
    system, tmp_path, path, start, value, target
):
    """From `from`, the target and every jurisdiction below it without an own value of its own in force
    use the new value; the others, and every date before `from`, keep theirs."""
    registry = system.registry
    change = {
        "parameter": path,
        "jurisdictions": target if target == "all" else [target],
        "from": start,
        "value": value,
    }
    if path == "temporary_assistance.township_approval_limit":
        change["period"] = "case"
    spec = read_reform_file(write_reform(tmp_path, [change]))
    parameters = apply_changes(system.parameters.clone(), registry, spec)
    probe = sorted({*DATES, "2023-03-01", "2030-01-01"})
    before, after = _tables(system.parameters, registry, path, probe), _tables(parameters, registry, path, probe)
    node = system.parameters
    for part in path.split("."):
        node = node.children[part]
    for date in probe:
        old, old_sources = before[date]
        new = after[date][0]
        for i, key in enumerate(registry.keys):
            if date < start:
                expected = old[i]
            elif target == "all":
                expected = value
            else:
                chain = registry.chain(key)
                # below the target, a jurisdiction with its own value in force keeps it
                below = chain[: chain.index(target)] if target in chain else None
                own_below = below is not None and any(
                    k in node.children and node.children[k](date) is not None for k in below
                )
                expected = value if below is not None and not own_below else old[i]
            if np.isnan(expected):
                assert np.isnan(new[i]), (key, date)
            else:
                assert new[i] == pytest.approx(expected), (key, date, old[i])
