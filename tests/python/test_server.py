"""`cn-assist serve`: real HTTP on a free 127.0.0.1 port, the server in a subprocess."""

import copy
import json
import urllib.error
import urllib.request
from pathlib import Path

import numpy as np
import pytest
from servers import get_json, post_json, running_server, script

from openfisca_cn_assist.caseload.readers import builtin_caseload
from openfisca_cn_assist.cli.main import build_parser

EXAMPLE = (
    Path(__file__).resolve().parents[2]
    / "openfisca_cn_assist"
    / "situation_examples"
    / "xishuangbanna_rural_class.json"
)
MONTH = "2022-08"
HOUSEHOLD_OUTPUTS = ["dibao_standard", "dibao_eligible", "dibao_benefit", "dibao_per_capita_income"]
PERSON_OUTPUTS = ["tekun_eligible", "tekun_basic_allowance"]
MAX_HOUSEHOLDS, MAX_SITUATION_HOUSEHOLDS = 60, 45


@pytest.fixture(scope="module")
def server():
    command = [
        script("cn-assist"),
        "serve",
        "--port",
        "{port}",
        "--workers",
        "1",
        "--max-households",
        str(MAX_HOUSEHOLDS),
        "--max-situation-households",
        str(MAX_SITUATION_HOUSEHOLDS),
        "--max-body-mb",
        "1",
    ]
    with running_server(command) as base:
        yield base


def example() -> dict:
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


def _plain(value):
    return value.item() if isinstance(value, np.generic) else value


@pytest.fixture(scope="module")
def households():
    """40 households of the built-in SYNTHETIC caseload (both areas, three counties), as (id, situation, rows)."""
    caseload = builtin_caseload("xishuangbanna_2022")
    persons, table = caseload.persons, caseload.households
    columns = [c for c in persons.columns if c not in ("person_id", "household_id") and not c[-1].isdigit()]
    chosen = table.iloc[np.r_[0:25, 3000:3015]]
    result = []
    for record in chosen.to_dict("records"):
        members = persons[persons["household_id"] == record["household_id"]]
        household_id = f"h{record['household_id']}"
        situation = {"persons": {}, "households": {}}
        person_rows = []
        for values in members.to_dict("records"):
            person_id = f"p{values['person_id']}"
            inputs = {k: _plain(values[k]) for k in columns}
            situation["persons"][person_id] = {
                **{k: {MONTH: v} for k, v in inputs.items()},
                **{k: {MONTH: None} for k in PERSON_OUTPUTS},
            }
            person_rows.append({"person_id": person_id, "household_id": household_id, **inputs})
        situation["households"][household_id] = {
            "members": list(situation["persons"]),
            "jurisdiction": {"ETERNITY": record["jurisdiction"]},
            "area": {MONTH: record["area"]},
            **{k: {MONTH: None} for k in HOUSEHOLD_OUTPUTS},
        }
        household_row = {"household_id": household_id, "jurisdiction": record["jurisdiction"], "area": record["area"]}
        result.append((household_id, situation, person_rows, household_row))
    assert len({h[3]["jurisdiction"] for h in result}) >= 3 and len({h[3]["area"] for h in result}) == 2
    return result


def merged(situations: list[dict]) -> dict:
    return {
        "persons": {k: v for s in situations for k, v in s["persons"].items()},
        "households": {k: v for s in situations for k, v in s["households"].items()},
    }


def asked_for(answer: dict, situation: dict) -> dict:
    """A /calculate answer reduced to what /calculate_batch returns: members and the values asked for (null)."""
    result = {}
    for plural in ("persons", "households"):
        result[plural] = {}
        for instance_id, values in answer[plural].items():
            asked = situation[plural][instance_id]
            result[plural][instance_id] = {
                name: {p: v for p, v in by_period.items() if asked[name][p] is None}
                for name, by_period in values.items()
                if name != "members" and any(v is None for v in asked[name].values())
            }
            if plural == "households":
                result[plural][instance_id]["members"] = values["members"]
    return result


def failure(url: str, payload=None, data: bytes | None = None, headers=None) -> tuple[int, dict]:
    """POST (or GET without payload/data) expecting an HTTP error: its status and JSON body."""
    if payload is not None:
        data = json.dumps(payload).encode()
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json", **(headers or {})})
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=60)
    error = caught.value
    body = error.read()
    try:
        return error.code, json.loads(body)
    except ValueError:
        pytest.fail(f"{error.code} answer is not JSON: {body[:300]!r}")


# --- /calculate_batch: the same results as /calculate, one per household, in input order ------------------


def test_batch_equals_calculate_household_by_household(server, households):
    situations = [h[1] for h in households]
    answer = post_json(server + "/calculate_batch", merged(copy.deepcopy(situations)))
    assert answer["count"] == len(households)
    assert [next(iter(r["households"])) for r in answer["results"]] == [h[0] for h in households]
    for situation, result in zip(situations, answer["results"]):
        alone = post_json(server + "/calculate", copy.deepcopy(situation))
        assert result == asked_for(alone, situation)
    # The whole set through /calculate at once gives the same numbers too.
    together = post_json(server + "/calculate", merged(copy.deepcopy(situations)))
    for situation, result in zip(situations, answer["results"]):
        household_id = next(iter(situation["households"]))
        assert (
            result["households"][household_id]["dibao_benefit"] == together["households"][household_id]["dibao_benefit"]
        )
    assert any(r["households"][next(iter(r["households"]))]["dibao_eligible"][MONTH] for r in answer["results"])


def test_batch_keeps_input_order(server, households):
    shuffled = list(reversed(households))
    answer = post_json(server + "/calculate_batch", merged([copy.deepcopy(h[1]) for h in shuffled]))
    assert [next(iter(r["households"])) for r in answer["results"]] == [h[0] for h in shuffled]


def test_batch_of_a_list_of_situations(server, households):
    example_situation = example()
    situations = [example_situation, merged([h[1] for h in households[:3]]), households[3][1]]
    answer = post_json(server + "/calculate_batch", copy.deepcopy(situations))
    assert answer["count"] == 5 and answer["situations"] == [0, 1, 1, 1, 2]
    # 勐腊县 rural class method: A 460 + B 310 + B 310 = 1080
    assert answer["results"][0]["households"]["household"]["dibao_benefit"] == {MONTH: 1080.0}
    assert answer["results"][0]["households"]["household"]["members"] == ["grandmother", "father", "daughter"]
    # The same ids may recur in different situations: each situation is its own namespace.
    again = post_json(server + "/calculate_batch", {"situations": [copy.deepcopy(example_situation)] * 2})
    assert again["results"][0] == again["results"][1] == answer["results"][0]


def test_rows_format_equals_calculate(server, households):
    rows = {
        "persons": [row for h in households for row in h[2]],
        "households": [h[3] for h in households],
        "period": MONTH,
        "variables": HOUSEHOLD_OUTPUTS + PERSON_OUTPUTS,
    }
    answer = post_json(server + "/calculate_batch", rows)
    assert answer["count"] == len(households) and answer["period"] == MONTH
    together = post_json(server + "/calculate", merged([copy.deepcopy(h[1]) for h in households]))
    for (household_id, _situation, person_rows, _), result in zip(households, answer["results"]):
        assert result["household_id"] == household_id
        for name in HOUSEHOLD_OUTPUTS:
            assert result[name] == together["households"][household_id][name][MONTH], name
        assert [p["person_id"] for p in result["persons"]] == [p["person_id"] for p in person_rows]
        for person in result["persons"]:
            for name in PERSON_OUTPUTS:
                assert person[name] == together["persons"][person["person_id"]][name][MONTH], name


def test_rows_with_household_columns_on_the_persons_rows(server):
    rows = {
        "persons": [
            {
                "person_id": "a",
                "household_id": 1,
                "age": 40,
                "wage_income": 300,
                "has_able_supporter": True,
                "jurisdiction": "jinghong",
                "area": "urban",
            },
        ],
        "period": MONTH,
        "variables": ["dibao_benefit"],
    }
    # 景洪 urban 2022: standard 700; (700 − 300) × 1 = 400
    assert post_json(server + "/calculate_batch", rows)["results"] == [{"household_id": 1, "dibao_benefit": 400.0}]


# --- Errors: 4xx naming the field, never a 500 -------------------------------------------------------------


def _edit(path: list, value):
    def edit(situation):
        target = situation
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        return situation

    return edit


SITUATION_ERRORS = [
    # (name, edit of the example situation, expected field, words the message must contain)
    (
        "unknown variable",
        _edit(["persons", "father", "wage_incme"], {MONTH: 600}),
        "persons.father.wage_incme",
        ["wage_incme", "wage_income"],
    ),
    (
        "variable of the other entity",
        _edit(["persons", "father", "area"], {MONTH: "rural"}),
        "persons.father.area",
        ["household"],
    ),
    (
        "unknown enum value",
        _edit(["households", "household", "area"], {MONTH: "rurl"}),
        "households.household.area.2022-08",
        ["rurl", "rural"],
    ),
    (
        "unknown jurisdiction",
        _edit(["households", "household", "jurisdiction"], {"ETERNITY": "atlantis"}),
        "households.household.jurisdiction.ETERNITY",
        ["atlantis"],
    ),
    (
        "bad period of an input",
        _edit(["persons", "father", "wage_income"], {"2022-13": 600}),
        "persons.father.wage_income.2022-13",
        ["2022-13"],
    ),
    (
        "bad period of a request",
        _edit(["households", "household", "dibao_benefit"], {"2022": None}),
        "households.household.dibao_benefit.2022",
        ["month"],
    ),
    (
        "person in no household",
        _edit(["persons", "lodger"], {"age": {MONTH: 30}}),
        "persons.lodger",
        ["lodger", "household"],
    ),
    (
        "member who is not a person",
        _edit(["households", "household", "members"], ["grandmother", "father", "son"]),
        "households.household.members[2]",
        ["son"],
    ),
    (
        "non-number",
        _edit(["persons", "father", "wage_income"], {MONTH: "six hundred"}),
        "persons.father.wage_income.2022-08",
        ["number", "six hundred"],
    ),
    (
        "boolean for a number",
        _edit(["persons", "father", "age"], {MONTH: True}),
        "persons.father.age.2022-08",
        ["number"],
    ),
    (
        "number for a boolean",
        _edit(["persons", "father", "is_employed"], {MONTH: "yes"}),
        "persons.father.is_employed.2022-08",
        ["true or false"],
    ),
    (
        "out of range",
        _edit(["persons", "father", "age"], {MONTH: 400}),
        "persons.father.age.2022-08",
        ["between 0 and 130"],
    ),
    ("value without a period", _edit(["persons", "father", "age"], 41), "persons.father.age", ["period"]),
    ("no households", _edit(["households"], {}), "households", ["household"]),
]


@pytest.mark.parametrize("name, edit, field, words", SITUATION_ERRORS, ids=[c[0] for c in SITUATION_ERRORS])
def test_batch_situation_errors_name_the_field(server, name, edit, field, words):
    status, body = failure(server + "/calculate_batch", edit(example()))
    assert status == 400, body
    assert body["field"] == field
    for word in words:
        assert word in body["error"], (word, body["error"])
    # In a list, the field says which situation.
    status, body = failure(server + "/calculate_batch", [example(), edit(example())])
    assert status == 400 and body["field"] == "situations[1]." + field


def _rows(**changes):
    rows = {
        "persons": [
            {"person_id": "a", "household_id": "h", "age": 40, "wage_income": 300, "has_able_supporter": True},
            {"person_id": "b", "household_id": "h", "age": 8, "wage_income": 0, "has_able_supporter": True},
        ],
        "households": [{"household_id": "h", "jurisdiction": "jinghong", "area": "urban"}],
        "period": MONTH,
        "variables": ["dibao_benefit"],
    }
    for key, edit in changes.items():
        edit(rows[key]) if callable(edit) else rows.__setitem__(key, edit)
    return rows


ROW_ERRORS = [
    ("non-number", _rows(persons=lambda r: r[1].update(age="eight")), "persons[1].age", ["not a number", "eight"]),
    ("unknown column", _rows(persons=lambda r: r[0].update(wages=1)), "persons.wages", ["wages"]),
    (
        "a row with null where its column needs a value (a key left out takes the default)",
        _rows(persons=lambda r: r[1].update(wage_income=None)),
        "persons[1].wage_income",
        ["empty"],
    ),
    (
        "unknown enum value",
        _rows(households=lambda r: r[0].update(area="town")),
        "households[0].area",
        ["town", "urban"],
    ),
    (
        "household not in the households rows",
        _rows(persons=lambda r: r[1].update(household_id="g")),
        "persons[1].household_id",
        ["'g'"],
    ),
    ("unknown variable asked for", _rows(variables=["dibao_benefits"]), "variables[0]", ["dibao_benefit"]),
    ("a year where a month is needed", _rows(period="2022"), "period", ["month"]),
    ("bad period", _rows(period="2022-14"), "period", ["2022-14"]),
    (
        "missing required column",
        _rows(persons=lambda r: [p.pop("has_able_supporter") for p in r]),
        "persons",
        ["has_able_supporter"],
    ),
]


@pytest.mark.parametrize("name, rows, field, words", ROW_ERRORS, ids=[c[0] for c in ROW_ERRORS])
def test_batch_row_errors_name_the_field(server, name, rows, field, words):
    status, body = failure(server + "/calculate_batch", rows)
    assert status == 400, body
    assert body["field"] == field
    for word in words:
        assert word in body["error"], (word, body["error"])


@pytest.mark.parametrize(
    "data",
    [
        b"{not json",
        b"",
        b"42",
        b'"text"',
        b"[1, 2]",
        b'{"persons": 3}',
        b'{"persons": {"p": []}, "households": {}}',
        b'{"persons": {"p": {}}, "households": {"h": {"members": {"p": 1}}}}',
        b'{"persons": {"p": {"age": {"2022-08": [1, 2]}}}, "households": {"h": {"members": ["p"]}}}',
        b'{"persons": {"p": {"age": {"2022-08": {"x": 1}}}}, "households": {"h": {"members": ["p"]}}}',
        b'{"persons": {"p": {}}, "households": {"h": {"members": ["p"]}}, "axes": []}',
        b'{"persons": [1], "period": "2022-08", "variables": ["dibao_benefit"]}',
        b'{"situations": []}',
    ],
)
def test_malformed_requests_are_4xx_never_500(server, data):
    status, body = failure(server + "/calculate_batch", data=data)
    assert 400 <= status < 500 and body["error"]


def test_a_missing_parameter_value_is_a_422_naming_the_households(server):
    situation = example()
    situation["households"]["household"]["jurisdiction"] = {
        "ETERNITY": "qinghai"
    }  # 青海's 2020 standard ends 2020-12-31
    status, body = failure(server + "/calculate_batch", [example(), situation])
    assert status == 422
    assert "parameter 'dibao.standard_rural'" in body["error"] and "qinghai" in body["error"]
    assert body["parameter"] == "dibao.standard_rural" and body["households"] == ["situations[1].households.household"]
    assert (body["horizon"], body["value"]) == ("2020-12-31", 4300) and "carry_forward" in body["carry_forward"]
    status, body = failure(server + "/calculate", situation)  # OpenFisca's own endpoint answers 422 too
    assert status == 422 and "dibao.standard_rural" in body["error"]


def test_an_input_the_rules_cannot_use_is_a_400(server):
    situation = example()
    situation["persons"]["father"]["dibao_class"] = {MONTH: "unclassified"}  # 勐腊 rural pays by class
    for path in ("/calculate_batch", "/calculate"):
        status, body = failure(server + path, situation)
        assert status == 400 and "dibao_class" in body["error"] and "unclassified" in body["error"]


def test_calculate_and_trace_refuse_what_openfisca_would_answer_with_a_500(server):
    situation = example()
    situation["households"]["household"]["dibao_benefit"] = {"2022": None}
    status, body = failure(server + "/calculate", situation)
    assert status == 400 and body["field"] == "households.household.dibao_benefit.2022"
    situation = example()
    situation["persons"]["father"]["wage_income"] = {MONTH: [600, 700]}  # OpenFisca itself would answer 500
    for path in ("/calculate", "/trace"):
        status, body = failure(server + path, situation)
        assert status == 400 and body["field"] == "persons.father.wage_income.2022-08"


# --- Limits -----------------------------------------------------------------------------------------------------


def test_too_many_households_is_a_413(server, households):
    situation = example()
    many = {"persons": {}, "households": {}}
    for n in range(MAX_HOUSEHOLDS + 1):
        many["persons"][f"p{n}"] = copy.deepcopy(situation["persons"]["father"])
        many["households"][f"h{n}"] = {**copy.deepcopy(situation["households"]["household"]), "members": [f"p{n}"]}
    status, body = failure(server + "/calculate_batch", many)
    assert status == 413 and str(MAX_HOUSEHOLDS) in body["error"] and body["field"] == "households"
    rows = {
        "persons": [
            {
                "person_id": n,
                "household_id": n,
                "age": 30,
                "has_able_supporter": True,
                "jurisdiction": "jinghong",
                "area": "urban",
            }
            for n in range(MAX_HOUSEHOLDS + 1)
        ],
        "period": MONTH,
        "variables": ["dibao_benefit"],
    }
    assert failure(server + "/calculate_batch", rows)[0] == 413
    few = {
        "persons": dict(list(many["persons"].items())[: MAX_SITUATION_HOUSEHOLDS + 1]),
        "households": dict(list(many["households"].items())[: MAX_SITUATION_HOUSEHOLDS + 1]),
    }
    status, body = failure(server + "/calculate", few)
    assert status == 413 and "/calculate_batch" in body["error"]


def test_a_body_over_the_size_limit_is_a_413(server):
    status, body = failure(server + "/calculate_batch", data=b"[" + b" " * (2**20 + 100) + b"]")
    assert status == 413 and "bytes" in body["error"]


def test_serve_binds_to_127_0_0_1_by_default():
    args = build_parser().parse_args(["serve"])
    assert args.host == "127.0.0.1" and args.port == 5000


# --- /explain ---------------------------------------------------------------------------------------------------


def test_explain_as_json_and_as_text(server):
    body = post_json(server + "/explain", {"situation": example(), "period": MONTH, "lang": "en"})
    assert body["period"] == MONTH and body["lang"] == "en" and len(body["households"]) == 1
    assert body["households"][0]["household"] == "household"
    assert "1080" in body["text"]
    request = urllib.request.Request(
        server + "/explain?format=text",
        data=json.dumps({"situation": example(), "period": MONTH}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        assert response.headers["Content-Type"].startswith("text/plain")
        text = response.read().decode()
    assert "勐腊县" in text and "1080" in text
    request = urllib.request.Request(
        server + "/explain",
        data=json.dumps(example()).encode(),  # a bare situation; the month is its first one
        headers={"Content-Type": "application/json", "Accept": "text/plain"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        assert response.read().decode() == text


def test_explain_errors_name_the_field(server):
    status, body = failure(server + "/explain", {"situation": example(), "period": MONTH, "lang": "fr"})
    assert status == 400 and body["field"] == "lang"
    status, body = failure(server + "/explain", {"situation": example(), "period": "2022"})
    assert status == 400 and body["field"] == "period"
    bad = example()
    bad["persons"]["father"]["agee"] = {MONTH: 41}
    status, body = failure(server + "/explain", {"situation": bad, "period": MONTH})
    assert status == 400 and body["field"] == "situation.persons.father.agee"


# --- Jurisdiction values, the page and OpenFisca's own endpoints ------------------------------------------------


def test_jurisdiction_values_say_where_each_value_is_inherited_from(server):
    body = get_json(server + "/jurisdiction_values/dibao/standard_rural?date=2022-08-01")
    assert body["parameter"] == "dibao.standard_rural" and body["date"] == "2022-08-01"
    rows = {row["jurisdiction"]: row for row in body["jurisdictions"]}
    assert len(rows) == 13
    mengla = rows["mengla"]
    # 勐腊县 has no file of its own: it uses 西双版纳州's 5400 元/年 = 450 元/月 from 2022-01-01.
    assert mengla["inherited"] is True and mengla["source_jurisdiction"] == "xishuangbanna"
    assert (mengla["monthly_value"], mengla["value"], mengla["period"], mengla["start"]) == (
        450.0,
        5400,
        "year",
        "2022-01-01",
    )
    assert mengla["confidence"] == "M" and mengla["reference"][0]["source"].startswith("seeds/")
    assert (mengla["horizon"], mengla["past_horizon"]) == ("2022-12-31", False)
    assert mengla["file"] == "parameters/dibao/standard_rural/xishuangbanna.yaml"
    assert rows["xishuangbanna"]["inherited"] is False
    # 青海's 2020 value is past its horizon in 2022: shown with its horizon, not as a value in force.
    qinghai = rows["qinghai"]
    assert qinghai["monthly_value"] is None and qinghai["past_horizon"] and "2020-12-31" in qinghai["message"]
    assert rows["hanzhong"]["monthly_value"] is None and "no value" in rows["hanzhong"]["message"]
    one = get_json(server + "/jurisdiction_values/dibao.standard_rural?date=2022-08&jurisdiction=eshan")
    assert [row["jurisdiction"] for row in one["jurisdictions"]] == ["eshan"] and one["date"] == "2022-08-01"
    assert "dibao.standard_rural" in get_json(server + "/jurisdiction_values")


def test_jurisdiction_values_errors(server):
    status, body = failure(server + "/jurisdiction_values/dibao/standard_rurall")
    assert status == 404 and "dibao.standard_rural" in body["error"]
    status, body = failure(server + "/jurisdiction_values/dibao/standard_rural?date=2022-02-30")
    assert status == 400 and body["field"] == "date"
    status, body = failure(server + "/jurisdiction_values/dibao/standard_rural?jurisdiction=atlantis")
    assert status == 400 and body["field"] == "jurisdiction"


def test_root_serves_the_calculator_page(server):
    with urllib.request.urlopen(server + "/", timeout=10) as response:
        assert response.status == 200 and response.headers["Content-Type"].startswith("text/html")
        assert b"<html" in response.read().lower()


def test_openfisca_endpoints_under_cn_assist_serve(server):
    assert set(get_json(server + "/entities")) == {"person", "household"}
    spec = get_json(server + "/spec")
    assert "SituationInput" in json.dumps(spec) and "/calculate_batch" in spec["paths"]
    assert get_json(server + "/parameter/dibao/standard_rural/xishuangbanna")["metadata"]["confidence"] == "M"
    result = post_json(server + "/calculate", example())
    assert result["households"]["household"]["dibao_benefit"][MONTH] == 1080
    trace = post_json(server + "/trace", example())
    assert "dibao_benefit<2022-08>" in trace["requestedCalculations"]
