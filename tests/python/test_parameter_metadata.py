"""Every parameter carries its provenance; assumed values are reported."""

from openfisca_cn_assist.engine.provenance import (
    assumed_values,
    format_assumed_values,
    leaf_parameters,
    metadata_problems,
)


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


def _references(parameter):
    refs = list(parameter.metadata.get("reference") or [])
    for entry in parameter.values_list:
        refs += list((entry.metadata or {}).get("reference") or [])
    return [r for r in refs if isinstance(r, dict)]


def test_seed_quotes_are_verbatim(system):
    """A `quote` citing a seed must stand in it (spacing aside); paraphrases go in `summary` or `reading`."""
    import re
    from pathlib import Path

    import pytest

    seeds_dir = Path(__file__).resolve().parents[3] / "shared" / "seeds"
    if not seeds_dir.is_dir():
        pytest.skip("../shared/seeds is not beside the checkout")
    seeds = {p.name: re.sub(r"\s+", "", p.read_text(encoding="utf-8")) for p in seeds_dir.iterdir()}
    wrong = [
        (parameter.name, ref["quote"])
        for parameter in leaf_parameters(system.parameters)
        for ref in _references(parameter)
        if "quote" in ref
        and str(ref.get("source", "")).startswith("seeds/")
        and re.sub(r"\s+", "", ref["quote"]) not in seeds[ref["source"].split("/")[-1]]
    ]
    assert wrong == []
