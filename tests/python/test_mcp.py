"""``cn-assist mcp`` driven as an assistant drives it: a subprocess spoken to over stdio with the MCP SDK's client."""

import asyncio
import json
import sys

import pandas as pd
import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters

from openfisca_cn_assist.cli.parser import EXAMPLES_DIR
from openfisca_cn_assist.engine.paths import PACKAGE_DIR

PERIOD = "2022-08"
TOOLS = {"calculate_household", "explain_household", "lookup_jurisdiction", "jurisdiction_values", "compare_reform"}


def _situation() -> dict:
    return json.loads((EXAMPLES_DIR / "xishuangbanna_rural_class.json").read_text(encoding="utf-8"))


def _caseload(count: int = 30) -> dict:
    folder = PACKAGE_DIR / "caseload" / "caseloads"
    households = pd.read_parquet(folder / "xishuangbanna_2022_households.parquet").head(count)
    persons = pd.read_parquet(folder / "xishuangbanna_2022_persons.parquet")
    persons = persons[persons["household_id"].isin(households["household_id"])]
    persons = persons.drop(columns=[c for c in persons if c.startswith("wage_income_20")])  # monthly overrides
    return {
        "persons": json.loads(persons.to_json(orient="records")),
        "households": json.loads(households.to_json(orient="records")),
    }


def _error(result) -> dict:
    """The HTTP-like error body a tool error carries after the SDK's prefix."""
    assert result.is_error
    text = result.content[0].text
    return json.loads(text[text.index("{") :])


async def _exchange() -> dict:
    server = StdioServerParameters(command=sys.executable, args=["-m", "openfisca_cn_assist.cli", "mcp"])
    bad = _situation()
    bad["persons"]["father"]["age"] = {PERIOD: "forty"}
    found = {}
    async with Client(server, read_timeout_seconds=120) as client:
        found["tools"] = (await client.list_tools()).tools
        call = client.call_tool
        found["calculate"] = await call("calculate_household", {"household": _situation(), "period": PERIOD})
        found["bad_age"] = await call("calculate_household", {"household": bad, "period": PERIOD})
        found["bad_period"] = await call("calculate_household", {"household": _situation(), "period": "2022-13"})
        found["file_reform"] = await call(
            "calculate_household", {"household": _situation(), "period": PERIOD, "reforms": ["/tmp/evil.py"]}
        )
        found["explain"] = await call("explain_household", {"household": _situation(), "period": PERIOD})
        found["lookup"] = await call("lookup_jurisdiction", {"query": "勐腊", "date": "2022-08-01"})
        found["retired"] = await call("lookup_jurisdiction", {"query": "610721"})
        found["bad_level"] = await call("lookup_jurisdiction", {"query": "勐腊", "level": "village"})
        found["values"] = await call(
            "jurisdiction_values", {"jurisdiction": "532823", "date": "2022-08-01", "parameter": "dibao.standard_rural"}
        )
        found["unknown_division"] = await call("jurisdiction_values", {"jurisdiction": "999999"})
        found["compare"] = await call(
            "compare_reform", {"caseload": _caseload(), "reforms": ["raise_tekun_1050"], "period": "2022"}
        )
        wrong = _caseload(5)
        wrong["persons"][2]["age"] = -3
        found["bad_caseload"] = await call(
            "compare_reform", {"caseload": wrong, "reforms": ["raise_tekun_1050"], "period": "2022"}
        )
    return found


@pytest.fixture(scope="module")
def exchange() -> dict:
    return asyncio.run(asyncio.wait_for(_exchange(), timeout=300))


def test_tools_are_listed_with_their_schemas(exchange):
    tools = {tool.name: tool for tool in exchange["tools"]}
    assert set(tools) == TOOLS
    for tool in tools.values():
        assert tool.description and tool.input_schema["type"] == "object"
        for name, schema in tool.input_schema["properties"].items():
            assert schema.get("description"), f"{tool.name}.{name} has no description"
    assert set(tools["calculate_household"].input_schema["required"]) == {"household", "period"}
    assert "raise_tekun_1050" in tools["compare_reform"].input_schema["properties"]["reforms"]["description"]


def test_calculate_household_gives_the_library_s_numbers(exchange):
    from openfisca_core.simulations import SimulationBuilder

    from openfisca_cn_assist import CountryTaxBenefitSystem
    from openfisca_cn_assist.engine.fingerprint import rules

    result = exchange["calculate"]
    assert not result.is_error
    answer = result.structured_content
    system = CountryTaxBenefitSystem()
    simulation = SimulationBuilder().build_from_entities(system, _situation())
    household = answer["households"]["household"]
    assert household["dibao_benefit"] == pytest.approx(float(simulation.calculate("dibao_benefit", PERIOD)[0]))
    assert household["dibao_benefit"] == 1080.0
    assert answer["persons"]["grandmother"]["tekun_eligible"] is False
    # A figure no source gives: reported with its reason, the other outputs still computed.
    assert "price_subsidy" in answer["not_computed"] and answer["not_computed"]["price_subsidy"]["error"]
    assert answer["rules"]["fingerprint"] == rules(system)["fingerprint"]
    assert answer["rules"]["version"]


def test_bad_input_is_a_tool_error_naming_the_field(exchange):
    assert _error(exchange["bad_age"])["field"] == "household.persons.father.age.2022-08"
    assert _error(exchange["bad_period"])["field"] == "period"
    refused = _error(exchange["file_reform"])
    assert refused["field"] == "reforms[0]" and "raise_tekun_1050" in refused["error"]
    assert _error(exchange["unknown_division"])["field"] == "jurisdiction"
    assert _error(exchange["bad_caseload"])["field"] == "caseload.persons[2].age"
    for key in ("bad_age", "bad_period", "file_reform", "unknown_division", "bad_caseload"):
        assert "Traceback" not in exchange[key].content[0].text


def test_explain_household(exchange):
    answer = exchange["explain"].structured_content
    assert answer["lang"] == "zh" and answer["households"]
    assert "1080" in answer["text"] and answer["rules"]["fingerprint"]


def test_lookup_jurisdiction(exchange):
    answer = exchange["lookup"].structured_content
    division = answer["divisions"][0]
    assert (division["code"], division["name"], division["level"]) == ("532823", "勐腊县", "county")
    assert (division["parent"], division["parent_name"]) == ("532800", "西双版纳傣族自治州")
    retired = exchange["retired"].structured_content["divisions"][0]
    assert retired["valid_until"] == "2017-12-31"
    assert (retired["successors"], retired["successor_names"]) == (["610703"], ["南郑区"])
    assert _error(exchange["bad_level"])["field"] == "level"


def test_jurisdiction_values(exchange):
    answer = exchange["values"].structured_content
    assert answer["jurisdiction"]["key"] == "mengla"
    (row,) = answer["values"]
    assert row["parameter"] == "dibao.standard_rural" and row["jurisdiction"] == "mengla"
    assert row["monthly_value"] == 450.0 and row["inherited"] is True and row["confidence"]


def test_compare_reform_gives_the_library_s_numbers(exchange):
    from openfisca_cn_assist.api import compare
    from openfisca_cn_assist.caseload.model import Caseload

    answer = exchange["compare"].structured_content
    tables = _caseload()
    caseload = Caseload(persons=pd.DataFrame(tables["persons"]), households=pd.DataFrame(tables["households"]))
    impact = compare("raise_tekun_1050", caseload, "2022")
    assert answer["households"] == 30
    assert answer["totals"]["change"]["tekun_basic_allowance"] == pytest.approx(impact.changes["tekun_basic_allowance"])
    assert answer["totals"]["change"]["tekun_basic_allowance"] > 0
    assert answer["counts"]["gaining"] == pytest.approx(impact.counts()["gaining"])
    assert answer["rules"]["reform"]["fingerprint"] != answer["rules"]["baseline"]["fingerprint"]


def test_without_the_sdk_the_command_says_how_to_install_it(monkeypatch, capsys):
    from openfisca_cn_assist.cli.main import main

    monkeypatch.setitem(sys.modules, "mcp.server.mcpserver", None)  # what `import` sees when it is missing
    assert main(["mcp"]) == 2
    assert "pip install 'openfisca-cn-assist[mcp]'" in capsys.readouterr().err
