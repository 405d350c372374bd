"""Every HTTP answer says which rules produced it; retired division codes over HTTP (issues 12 and 13)."""

import pytest

from openfisca_cn_assist.engine.fingerprint import fingerprint, rules
from openfisca_cn_assist.serve.server import create_server_app

MONTH = "2022-06"


@pytest.fixture(scope="module")
def client(system):
    return create_server_app(system).test_client()


def rows(code: str) -> dict:
    return {
        "persons": [{"person_id": "a", "household_id": "h", "age": 40, "has_able_supporter": True}],
        "households": [{"household_id": "h", "jurisdiction": code, "area": "urban"}],
        "period": MONTH,
        "variables": ["dibao_standard"],
    }


def test_get_version_gives_the_rules_fingerprint(client, system):
    answer = client.get("/version")
    assert answer.status_code == 200 and answer.get_json() == rules(system)
    assert "/version" in client.get("/spec").get_json()["paths"]


def test_batch_answers_carry_the_rules(client, system):
    answer = client.post("/calculate_batch", json=rows("532801")).get_json()
    assert answer["results"][0]["dibao_standard"] == 700
    assert answer["rules"]["fingerprint"] == fingerprint(system) and answer["rules"]["reforms"] == []


def test_a_retired_code_over_http_is_refused_or_mapped_on_request(client):
    refused = client.post("/calculate_batch", json=rows("532821"))
    assert refused.status_code == 422 and "532801" in refused.get_json()["error"]
    mapped = client.post("/calculate_batch", json={**rows("532821"), "map_retired_codes": True}).get_json()
    assert mapped["results"][0]["dibao_standard"] == 700
    assert [(m["code"], m["mapped_to"]) for m in mapped["mapped_codes"]] == [("532821", "532801")]
    assert [r["reform"] for r in mapped["rules"]["reforms"]] == ["map_retired_codes"]
    bad = client.post("/calculate_batch", json={**rows("532821"), "map_retired_codes": "yes"})
    assert bad.status_code == 400 and bad.get_json()["field"] == "map_retired_codes"


def test_explain_carries_the_rules_and_maps_on_request(client, system):
    situation = {
        "persons": {"a": {"age": {"2022": 40}, "has_able_supporter": {"2022": True}}},
        "households": {"h": {"members": ["a"], "jurisdiction": {"ETERNITY": "532821"}, "area": {MONTH: "urban"}}},
    }
    answer = client.post("/explain", json={"situation": situation, "period": MONTH, "map_retired_codes": True})
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["rules"]["reforms"][0]["reform"] == "map_retired_codes"


def test_every_answer_carries_the_rules_in_its_headers_calculate_too(client, system):
    situation = {
        "persons": {"a": {"age": {"2022": 40}, "has_able_supporter": {"2022": True}}},
        "households": {
            "h": {"members": ["a"], "jurisdiction": {"ETERNITY": "jinghong"}, "area": {MONTH: "urban"}},
        },
    }
    situation["households"]["h"]["dibao_standard"] = {MONTH: None}
    answer = client.post("/calculate", json=situation)
    assert answer.status_code == 200
    assert answer.headers["X-Rules-Fingerprint"] == fingerprint(system) and answer.headers["X-CN-Assist-Version"]
    assert client.get("/entities").headers["X-Rules-Fingerprint"] == fingerprint(system)
