"""`openfisca serve --country-package openfisca_cn_assist` works: real HTTP on 127.0.0.1."""

import json
from pathlib import Path

import pytest
from servers import get_json, post_json, running_server, script

EXAMPLE = (
    Path(__file__).resolve().parents[2]
    / "openfisca_cn_assist"
    / "situation_examples"
    / "xishuangbanna_rural_class.json"
)


@pytest.fixture(scope="module")
def server():
    command = [
        script("openfisca"),
        "serve",
        "--country-package",
        "openfisca_cn_assist",
        "--bind",
        "127.0.0.1:{port}",
        "--workers",
        "1",
    ]
    with running_server(command) as base:
        yield base


def test_entities_spec_and_parameter_provenance(server):
    assert set(get_json(server + "/entities")) == {"person", "household"}
    assert "SituationInput" in json.dumps(get_json(server + "/spec"))
    parameter = get_json(server + "/parameter/dibao/standard_rural/xishuangbanna")
    assert parameter["metadata"]["confidence"] == "M"  # the value is stated; its start month is not


def test_calculate_example(server):
    result = post_json(server + "/calculate", json.loads(EXAMPLE.read_text(encoding="utf-8")))
    # 勐腊县 rural class method: A 460 + B 310 + B 310 = 1080
    assert result["households"]["household"]["dibao_benefit"]["2022-08"] == 1080


def test_jurisdictional_parameters_say_where_each_jurisdiction_inherits_from(server):
    node = get_json(server + "/parameter/dibao/standard_rural")
    sources = node["metadata"]["value_sources"]
    assert "inherit" in sources["description"]
    # 勐腊县 has no file of its own: from 2022-01-01 it uses 西双版纳州's values, which the 2022 summary supports
    # to 2022-12-31; 青海's own 2020 value runs out after 2020, and its 2025 value after 2025.
    assert sources["by_jurisdiction"]["mengla"] == [
        {"from": "2022-01-01", "source": "xishuangbanna"},
        {"from": "2023-01-01", "source": "xishuangbanna", "past_horizon": True},
    ]
    assert {"from": "2021-01-01", "source": "qinghai", "past_horizon": True} in sources["by_jurisdiction"]["qinghai"]
