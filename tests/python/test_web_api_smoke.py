"""`openfisca serve --country-package openfisca_cn_assist` works: real HTTP on 127.0.0.1."""

import json
from pathlib import Path

import pytest

from servers import get_json, post_json, running_server, script

EXAMPLE = Path(__file__).resolve().parents[2] / "openfisca_cn_assist" / "situation_examples" / "xishuangbanna_rural_class.json"


@pytest.fixture(scope="module")
def server():
    command = [script("openfisca"), "serve", "--country-package", "openfisca_cn_assist", "--bind", "127.0.0.1:{port}", "--workers", "1"]
    with running_server(command) as base:
        yield base


def test_entities_spec_and_parameter_provenance(server):
    assert set(get_json(server + "/entities")) == {"person", "household"}
    assert "SituationInput" in json.dumps(get_json(server + "/spec"))
    parameter = get_json(server + "/parameter/dibao/standard_rural/xishuangbanna")
    assert parameter["metadata"]["confidence"] == "H"


def test_calculate_example(server):
    result = post_json(server + "/calculate", json.loads(EXAMPLE.read_text(encoding="utf-8")))
    # 勐腊县 rural class method: A 460 + B 310 + B 310 = 1080
    assert result["households"]["household"]["dibao_benefit"]["2022-08"] == 1080
