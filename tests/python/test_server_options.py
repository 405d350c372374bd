"""The Web API in-process (Flask's test client): 500 answers, CORS and proxy options, the bind warning,
rows that leave out a key, ``"on_error": "report"`` in /calculate_batch, and the amount bound shared with
caseload files (issue 13)."""

import copy
import json
from pathlib import Path

import pytest

from openfisca_cn_assist.caseload.model import CaseloadError
from openfisca_cn_assist.caseload.readers import read_caseload
from openfisca_cn_assist.cli.main import build_parser
from openfisca_cn_assist.engine.inputs import AMOUNT_LIMIT
from openfisca_cn_assist.serve import running
from openfisca_cn_assist.serve.server import create_server_app

EXAMPLE = Path(__file__).resolve().parents[2] / "openfisca_cn_assist" / "situation_examples"
MONTH = "2022-08"
PORTAL = "https://portal.example"


@pytest.fixture(scope="module")
def client(system):
    return create_server_app(system).test_client()


def example() -> dict:
    return json.loads((EXAMPLE / "xishuangbanna_rural_class.json").read_text(encoding="utf-8"))


def test_a_500_does_not_repeat_the_exception(system):
    app = create_server_app(system)

    @app.route("/boom")
    def boom():
        raise RuntimeError("secret internals at /srv/app.py line 12")

    answer = app.test_client().get("/boom")
    assert answer.status_code == 500
    assert "secret" not in answer.get_data(as_text=True)
    assert answer.get_json()["error"].startswith("internal server error")


def test_cors_allows_only_the_origins_named(system, client):
    assert "Access-Control-Allow-Origin" not in client.get("/entities", headers={"Origin": PORTAL}).headers
    allowing = create_server_app(system, cors_origins=[PORTAL]).test_client()
    assert allowing.get("/entities", headers={"Origin": PORTAL}).headers["Access-Control-Allow-Origin"] == PORTAL
    other = allowing.get("/entities", headers={"Origin": "https://elsewhere.example"})
    assert "Access-Control-Allow-Origin" not in other.headers


def test_forwarded_host_is_trusted_only_behind_a_proxy(system, client):
    headers = {"X-Forwarded-Host": "public.example"}
    assert "public.example" not in client.get("/jurisdiction_values", headers=headers).get_data(as_text=True)
    proxied = create_server_app(system, behind_proxy=True).test_client()
    assert "http://public.example/" in proxied.get("/jurisdiction_values", headers=headers).get_data(as_text=True)


@pytest.mark.parametrize("host, warned", [("127.0.0.1", False), ("0.0.0.0", True)])
def test_a_warning_when_binding_beyond_this_machine(monkeypatch, capsys, host, warned):
    import waitress

    served = {}
    monkeypatch.setattr(running, "build_system", lambda reform=None: None)
    monkeypatch.setattr(running, "create_server_app", lambda *args, **kwargs: "app")
    monkeypatch.setattr(waitress, "serve", lambda app, **options: served.update(options))
    running.serve(host=host, port=5999, workers=3, timeout=7)
    assert ("warning" in capsys.readouterr().err) is warned
    assert served["threads"] == 3 and served["channel_timeout"] == 7 and served["host"] == host


def test_serve_options_parse():
    args = build_parser().parse_args(
        ["serve", "--cors-origin", PORTAL, "--cors-origin", "http://localhost:8080", "--behind-proxy"]
    )
    assert args.cors_origin == [PORTAL, "http://localhost:8080"] and args.behind_proxy
    args = build_parser().parse_args(["serve"])
    assert not args.cors_origin and not args.behind_proxy


# --- /calculate_batch rows: a key left out takes the default ----------------------------------------------


def _rows(**person_b) -> dict:
    return {
        "persons": [
            {"person_id": "a", "household_id": "h1", "age": 40, "has_able_supporter": True, "wage_income": 300},
            {"person_id": "b", "household_id": "h1", "age": 9, "has_able_supporter": True, **person_b},
        ],
        "households": [{"household_id": "h1", "jurisdiction": "jinghong", "area": "urban"}],
        "period": MONTH,
        "variables": ["dibao_benefit", "dibao_per_capita_income"],
    }


def test_a_key_left_out_of_a_row_takes_the_default(client):
    left_out = client.post("/calculate_batch", json=_rows())
    given = client.post("/calculate_batch", json=_rows(wage_income=0, disability_grade=0, dibao_class="unclassified"))
    assert left_out.status_code == 200, left_out.get_json()
    assert left_out.get_json()["results"] == given.get_json()["results"]
    assert client.post("/calculate_batch", json=_rows(wage_income=None)).status_code == 400  # null is not left out
    required = _rows()
    del required["persons"][1]["age"]
    answer = client.post("/calculate_batch", json=required)
    assert answer.status_code == 400 and answer.get_json()["field"] == "persons[1].age"


# --- on_error: report --------------------------------------------------------------------------------------


def _without_value(situation: dict) -> dict:
    """The situation moved to a jurisdiction no 低保 standard reaches (a 422 by default)."""
    situation = copy.deepcopy(situation)
    for household in situation["households"].values():
        household["jurisdiction"] = {"ETERNITY": "china"}
    return situation


def test_on_error_report_computes_every_household_it_can(client):
    good, bad = example(), _without_value(example())
    payload = {"situations": [good, bad, good, bad, good]}
    assert client.post("/calculate_batch", json=payload).status_code == 422  # all or nothing by default
    answer = client.post("/calculate_batch", json={**payload, "on_error": "report"})
    assert answer.status_code == 200
    body = answer.get_json()
    alone = client.post("/calculate_batch", json=good).get_json()["results"][0]
    assert body["count"] == 5 and body["errors"] == 2 and body["situations"] == [0, 1, 2, 3, 4]
    assert [r for i, r in enumerate(body["results"]) if i % 2 == 0] == [alone] * 3
    for failed in body["results"][1::2]:
        error = failed["error"]
        assert error["parameter"].startswith("dibao.standard") and error["date"] == "2022-08-01"
        assert error["household_id"] == "household" and error["field"].endswith("households.household")
        assert "first rows" not in error["error"]
        assert failed["households"]["household"]["members"] == ["grandmother", "father", "daughter"]


def test_on_error_report_in_one_situation_and_in_rows(client):
    situation = example()
    both = copy.deepcopy(situation)
    for person in list(situation["persons"]):
        both["persons"][person + "2"] = situation["persons"][person]
    both["households"]["other"] = {
        **_without_value(situation)["households"]["household"],
        "members": [p + "2" for p in situation["persons"]],
    }
    body = client.post("/calculate_batch", json={**both, "on_error": "report"}).get_json()
    assert body["count"] == 2 and body["errors"] == 1
    assert "error" not in body["results"][0] and body["results"][1]["error"]["household_id"] == "other"

    rows = _rows()
    rows["persons"].append({"person_id": "c", "household_id": "h2", "age": 70, "has_able_supporter": False})
    rows["households"].append({"household_id": "h2", "jurisdiction": "china", "area": "urban"})
    rows["households"].append({"household_id": "h3", "jurisdiction": "jinghong", "area": "urban"})
    rows["persons"].append({"person_id": "d", "household_id": "h3", "age": 50, "has_able_supporter": True})
    assert client.post("/calculate_batch", json=rows).status_code == 422
    body = client.post("/calculate_batch", json={**rows, "on_error": "report"}).get_json()
    assert [r["household_id"] for r in body["results"]] == ["h1", "h2", "h3"]
    assert body["errors"] == 1 and body["results"][1]["error"]["parameter"] == "dibao.standard_urban"
    alone = client.post("/calculate_batch", json=_rows()).get_json()["results"][0]
    assert body["results"][0] == alone and "dibao_benefit" in body["results"][2]


def test_an_input_a_formula_refuses_names_the_request_s_rows_and_fails_only_its_household(client):
    # 西双版纳 pays rural 低保 by class: an eligible rural member without a class cannot be paid
    rows = _rows()
    rows["households"].append({"household_id": "h2", "jurisdiction": "mengla", "area": "rural"})
    rows["persons"].append({"person_id": "c", "household_id": "h2", "age": 50, "has_able_supporter": True})
    answer = client.post("/calculate_batch", json=rows)
    assert answer.status_code == 400, answer.get_json()
    error = answer.get_json()
    assert error["field"] == "persons[2] (person_id 'c')"
    assert "person rows persons[2] (person_id 'c') are 'unclassified'" in error["error"]
    body = client.post("/calculate_batch", json={**rows, "on_error": "report"}).get_json()
    assert body["errors"] == 1 and "dibao_class" in body["results"][1]["error"]["error"]
    assert body["results"][0] == client.post("/calculate_batch", json=_rows()).get_json()["results"][0]


def test_the_rows_format_says_where_the_month_s_gradual_exit_state_comes_from(client):
    # h2's income (1,000 元) is above 景洪's 2022 standard (700 元): it may be in its 渐退 period, which the
    # request cannot say without last month's state, so the answer counts it as possibly affected
    rows = _rows()
    rows["households"].append({"household_id": "h2", "jurisdiction": "jinghong", "area": "urban"})
    rows["persons"].append(
        {"person_id": "c", "household_id": "h2", "age": 50, "has_able_supporter": True, "wage_income": 1000}
    )
    state = client.post("/calculate_batch", json=rows).get_json()["month_state"]
    assert state["source"] == "assumed" and state["start"] == MONTH and state["affected_households"] == 1
    assert "dibao_recipient_last_month" in state["note"] and "keys of the households' rows" in state["note"]
    reported = client.post("/calculate_batch", json={**rows, "on_error": "report"}).get_json()["month_state"]
    assert reported == state
    for household in rows["households"]:
        household["dibao_recipient_last_month"] = False
    given = client.post("/calculate_batch", json=rows).get_json()["month_state"]
    assert given["source"] == "given" and given["note"] is None


def test_on_error_report_still_refuses_bad_input_and_bad_options(client):
    bad_input = example()
    bad_input["persons"]["grandmother"]["age"] = {MONTH: 41.5}
    answer = client.post("/calculate_batch", json={"situations": [bad_input], "on_error": "report"})
    assert answer.status_code == 400 and "age" in answer.get_json()["field"]
    answer = client.post("/calculate_batch", json={"situations": [example()], "on_error": "skip"})
    assert answer.status_code == 400 and answer.get_json()["field"] == "on_error"


# --- The amount bound, shared with caseload files ------------------------------------------------------------


def _caseload(tmp_path, amount) -> Path:
    persons = tmp_path / "persons.csv"
    persons.write_text(
        "person_id,household_id,age,has_able_supporter,business_income,jurisdiction,area\n"
        f"p1,h1,40,true,{amount},jinghong,urban\n",
        encoding="utf-8",
    )
    return persons


@pytest.mark.parametrize("amount", [2e9, -2e9, "1e39"])
def test_a_caseload_amount_beyond_the_bound_is_a_row_error(tmp_path, amount):
    with pytest.raises(CaseloadError) as caught:
        read_caseload(_caseload(tmp_path, amount))
    message = str(caught.value)
    assert "business_income" in message and "row 1" in message and f"{int(AMOUNT_LIMIT)}" in message


def test_a_negative_amount_within_the_bound_is_read(tmp_path):
    caseload = read_caseload(_caseload(tmp_path, -500))
    assert caseload.persons["business_income"].tolist() == [-500]
