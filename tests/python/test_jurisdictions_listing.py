"""The national register on the command line (`cn-assist jurisdictions`) and over HTTP (`GET /jurisdictions`)."""

import json

import pytest
from test_divisions import MOVING

from openfisca_cn_assist.cli.main import main
from openfisca_cn_assist.engine.jurisdictions import Registry
from openfisca_cn_assist.serve.jurisdictions_api import MAX_LIMIT, division_row, list_divisions

FIELDS = ["code", "key", "name", "name_en", "pinyin", "level", "parent", "valid_from", "valid_until", "successors"]


def run_json(capsys, *argv) -> list[dict]:
    assert main(["jurisdictions", *argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.fixture(scope="module")
def client(system):
    from openfisca_cn_assist.serve.server import create_server_app

    return create_server_app(system).test_client()


def test_json_lists_every_division_with_its_fields(capsys, system):
    rows = run_json(capsys)
    registry = system.registry
    assert len(rows) == len(registry) - 1  # every record but the national root, which has no code
    assert all(list(row) == FIELDS for row in rows)
    assert rows[0] == {
        "code": "110000",
        "key": "110000",
        "name": "北京市",
        "name_en": "",
        "pinyin": "beijingshi",
        "level": "province",
        "parent": None,
        "valid_from": "1981-01-01",
        "valid_until": None,
        "successors": [],
    }


def test_a_retired_code_names_its_validity_and_successor(capsys):
    (row,) = run_json(capsys, "610721")
    assert row["name"] == "南郑县" and row["valid_until"] == "2017-12-31" and row["successors"] == ["610703"]
    assert row["parent"] == "610700"


def test_search_by_chinese_name_pinyin_and_key_give_the_project_key(capsys):
    for query in ("勐腊", "menglaxian", "mengla"):
        rows = run_json(capsys, query, "--level", "county")
        assert [r["code"] for r in rows] == ["532823"], query
        assert rows[0]["key"] == "mengla" and rows[0]["name_en"] == "Mengla County"


def test_date_keeps_the_divisions_in_force_then(capsys):
    codes = {r["code"] for r in run_json(capsys, "6107", "--date", "2018-06-01", "--level", "county")}
    assert "610703" in codes and "610721" not in codes
    codes = {r["code"] for r in run_json(capsys, "6107", "--date", "2016-06-01", "--level", "county")}
    assert "610721" in codes and "610703" not in codes


def test_a_county_that_changed_prefecture_shows_the_parent_at_the_date():
    # The national register has no such county (a move there comes with a new code): a synthetic one.
    registry = Registry.from_records(MOVING)
    assert [division_row(registry, i, "2009-12-31")["parent"] for i in list_divisions(registry, "县")] == ["110100"]
    assert [division_row(registry, i, "2010-01-01")["parent"] for i in list_divisions(registry, "县")] == ["110200"]
    assert list_divisions(registry, "", "2009-06-01", parent="110100") == [registry.index["county"]]
    assert list_divisions(registry, "", "2012-06-01", parent="north") == []
    assert list_divisions(registry, "", "2012-06-01", parent="south") == [registry.index["county"]]


def test_table_shows_parent_validity_successors_and_key(capsys):
    assert main(["jurisdictions", "5328", "--date", "2022-08-01"]) == 0
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if line.startswith("532823"))
    assert line.split() == [
        "532823",
        "勐腊县",
        "county",
        "532800",
        "西双版纳傣族自治州",
        "1981-01-01",
        "–",
        "today",
        "—",
        "mengla",
    ]
    assert "4 divisions in force at 2022-08-01" in out  # the prefecture and its three counties


def test_nothing_matches_says_so_with_did_you_mean(capsys):
    assert main(["jurisdictions", "mengxa"]) == 1
    err = capsys.readouterr().err
    assert "no division matching 'mengxa'" in err and "532823 勐腊县 [mengla]" in err
    assert main(["jurisdictions", "610721", "--date", "2018-06-01"]) == 1
    err = capsys.readouterr().err
    assert "at other dates: 610721 南郑县 (1996-01-01 – 2017-12-31)" in err


def test_bad_date_is_refused(capsys):
    assert main(["jurisdictions", "--date", "2018-13-01"]) == 2
    assert "--date: date is YYYY-MM-DD" in capsys.readouterr().err


# --- GET /jurisdictions -----------------------------------------------------------------------------------------


def test_http_gives_the_commands_fields_and_pages(client, capsys):
    body = client.get("/jurisdictions?q=5328&date=2022-08-01").get_json()
    assert body["count"] == 4 and body["date"] == "2022-08-01"
    assert body["jurisdictions"] == run_json(capsys, "5328", "--date", "2022-08-01")
    first = client.get("/jurisdictions?limit=2").get_json()
    second = client.get("/jurisdictions?limit=2&offset=2").get_json()
    assert first["count"] == second["count"] > 6000 and first["limit"] == 2
    assert [r["code"] for r in first["jurisdictions"] + second["jurisdictions"]] == [
        "110000",
        "110101",
        "110102",
        "110103",
    ]
    assert len(client.get("/jurisdictions").get_json()["jurisdictions"]) == 100  # the default page


def test_http_level_and_parent_filters_feed_a_picker(client):
    provinces = client.get("/jurisdictions?level=province&date=2022-08-01&limit=100").get_json()
    assert provinces["count"] == 34 and all(r["parent"] is None for r in provinces["jurisdictions"])
    prefectures = client.get("/jurisdictions?parent=530000&date=2022-08-01").get_json()["jurisdictions"]
    assert {"532800", "530400"} <= {r["code"] for r in prefectures}
    counties = client.get("/jurisdictions?parent=xishuangbanna&date=2022-08-01").get_json()["jurisdictions"]
    assert [(r["code"], r["key"]) for r in counties] == [
        ("532801", "jinghong"),
        ("532822", "menghai"),
        ("532823", "mengla"),
    ]
    # Before 1993 景洪 was a county, 532821.
    earlier = client.get("/jurisdictions?parent=532800&date=1990-06-01").get_json()["jurisdictions"]
    assert [r["code"] for r in earlier] == ["532821", "532822", "532823"]


@pytest.mark.parametrize(
    "query, field",
    [
        ("date=2022-13-01", "date"),
        ("level=town", "level"),
        ("parent=999999", "parent"),
        (f"limit={MAX_LIMIT + 1}", "limit"),
        ("limit=0", "limit"),
        ("offset=-1", "offset"),
        ("limit=ten", "limit"),
    ],
)
def test_http_bad_filters_are_400_naming_the_field(client, query, field):
    answer = client.get(f"/jurisdictions?{query}")
    assert answer.status_code == 400
    body = answer.get_json()
    assert body["field"] == field and query.split("=")[1] in body["error"]


def test_http_route_is_in_the_spec(client):
    paths = client.get("/spec").get_json()["paths"]
    assert "/jurisdictions" in paths and "/calculate_batch" in paths
    names = [p["name"] for p in paths["/jurisdictions"]["get"]["parameters"]]
    assert names == ["q", "date", "level", "parent", "limit", "offset"]


def test_parent_lists_the_children_at_the_date(capsys):
    rows = run_json(capsys, "--parent", "532800", "--date", "1985-01-01")
    assert [(r["code"], r["key"]) for r in rows] == [("532821", "532821"), ("532822", "menghai"), ("532823", "mengla")]
    assert main(["jurisdictions", "--parent", "539999"]) == 2
    assert "--parent: unknown parent '539999'" in capsys.readouterr().err
