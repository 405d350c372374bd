"""Every parameter carries its provenance; assumed values are reported."""

from openfisca_cn_assist.provenance import assumed_values, format_assumed_values, leaf_parameters, metadata_problems


def test_every_parameter_has_description_unit_reference_and_confidence(system):
    assert metadata_problems(system.parameters) == []


def test_metadata_check_catches_a_parameter_without_reference(system):
    parameters = system.parameters.clone()
    parameters.dibao.standard_urban.xishuangbanna.metadata.pop("reference")
    assert any("xishuangbanna.yaml" in p and "reference" in p for p in metadata_problems(parameters))


def test_assumed_values_report_lists_each_assumed_value_with_its_note(system):
    assumed = assumed_values(system.parameters)
    names = {v.parameter for v in assumed}
    assert "income.employment_cost_rate.qinghai" in names
    assert all(v.note for v in assumed)
    report = format_assumed_values(system.parameters)
    assert f"{len(assumed)} assumed value(s)" in report
    assert "parameters/income/employment_cost_rate/qinghai.yaml" in report


def test_no_sourced_value_is_reported_as_assumed(system):
    names = {v.parameter for v in assumed_values(system.parameters)}
    assert "dibao.standard_rural.xishuangbanna" not in names
    assert len(list(leaf_parameters(system.parameters))) > len(names)
