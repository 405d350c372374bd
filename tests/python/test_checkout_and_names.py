"""Test writers' safety nets: a misspelled jurisdiction file, an installed copy that is not the checkout, cn-assist check."""

from __future__ import annotations

import shutil

import pytest

from openfisca_cn_assist.cli.main import main
from openfisca_cn_assist.engine.checkout import installed_copy_warning, parameters_differ
from openfisca_cn_assist.engine.paths import PARAMETERS_DIR
from openfisca_cn_assist.engine.resolver import JurisdictionResolver, ParameterLayoutError


def test_a_misspelled_jurisdiction_file_gets_a_did_you_mean(system):
    parameters = system.parameters.clone()
    node = parameters.dibao.standard_rural
    node.children["xishuangbana"] = node.children.pop("xishuangbanna")  # parameters/…/xishuangbana.yaml
    with pytest.raises(ParameterLayoutError, match=r"'xishuangbana' under 'dibao.standard_rural'.*did you mean.*"):
        JurisdictionResolver(parameters, system.registry)
    with pytest.raises(ParameterLayoutError, match="xishuangbanna"):
        JurisdictionResolver(parameters, system.registry)


def test_the_checkout_itself_is_not_flagged():
    checkout = PARAMETERS_DIR.parent
    assert parameters_differ(checkout) == [] and installed_copy_warning(checkout) is None


def test_an_installed_copy_with_other_parameters_is_flagged(tmp_path):
    shutil.copytree(PARAMETERS_DIR, tmp_path / "parameters")
    assert parameters_differ(tmp_path) == []  # the same files: nothing to say
    edited = tmp_path / "parameters" / "dibao" / "standard_urban" / "xishuangbanna.yaml"
    edited.write_text(edited.read_text(encoding="utf-8").replace("700", "701"), encoding="utf-8")
    assert parameters_differ(tmp_path) == ["dibao/standard_urban/xishuangbanna.yaml"]
    warning = installed_copy_warning(tmp_path)
    assert "pip install -e ." in warning and "dibao/standard_urban/xishuangbanna.yaml" in warning


def test_cn_assist_check(tmp_path, capsys):
    assert main(["check", "--checkout", str(PARAMETERS_DIR.parent)]) == 0
    assert "parameter metadata: complete" in capsys.readouterr().out
    shutil.copytree(PARAMETERS_DIR, tmp_path / "parameters")
    (tmp_path / "parameters" / "dibao" / "standard_urban" / "new.yaml").write_text("x: 1\n", encoding="utf-8")
    assert main(["check", "--checkout", str(tmp_path)]) == 1
    assert "installed copy" in capsys.readouterr().out
