"""Declared outputs (openfisca_cn_assist.engine.outputs): every list of outputs is generated from the variables.

A programme added in a folder of its own (a variable file and its programme.yaml, here in a temporary folder)
appears in the CLI table, the microsimulation, the calculator page's fields and the explanation, and the
total adds it once its ``adds`` names it, with no edit of the package's code.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import textwrap
from argparse import Namespace

import numpy as np
import pandas as pd
import pytest
from openfisca_core.periods import MONTH
from openfisca_core.simulations import SimulationBuilder

from openfisca_cn_assist import CountryTaxBenefitSystem
from openfisca_cn_assist.analysis.microsim import Aggregate, Results, household_frame
from openfisca_cn_assist.analysis.outputs import MicrosimOutputs
from openfisca_cn_assist.caseload.model import Caseload
from openfisca_cn_assist.caseload.simulation import caseload_simulation
from openfisca_cn_assist.engine.outputs import (
    Output,
    OutputDeclarationError,
    added_up,
    declared_outputs,
    output_fields,
    programmes,
    total_output,
    yearly_outputs,
)

NEW = "winter_fuel_allowance"
NEW_FILE = f"""
from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.entities import Person
from openfisca_cn_assist.engine.outputs import Output


class {NEW}(Output):
    value_type = float
    entity = Person
    definition_period = MONTH
    unit = "currency-CNY"
    label = "冬季取暖补贴 / Winter fuel allowance of a person on 低保 (元/月), invented for a test"
    programme = "winter_fuel"
    kind = "money"
    order = 650
    shown_in = ("cli", "microsim", "page")
    short_label = ("冬季取暖补贴", "winter fuel allowance")

    def formula(person, period, parameters):
        return person("dibao_covered_person", period) * 30.0
"""
PROGRAMME_FILE = """
label: {zh: 冬季取暖补贴, en: winter fuel allowance}
order: 7
"""


@pytest.fixture(scope="module")
def extended(tmp_path_factory):
    """The built-in system plus a programme in a temporary folder, and a total that adds it."""
    folder = tmp_path_factory.mktemp("variables") / "winter_fuel"
    folder.mkdir()
    (folder / f"{NEW}.py").write_text(textwrap.dedent(NEW_FILE), encoding="utf-8")
    (folder / "programme.yaml").write_text(PROGRAMME_FILE, encoding="utf-8")
    system = CountryTaxBenefitSystem()
    system.add_variables_from_directory(str(folder))
    baseline_total = type(system.variables["social_assistance_total"])

    class social_assistance_total(baseline_total):  # the one line a new programme changes in variables/totals
        adds = (*system.variables["social_assistance_total"].adds, NEW)

    system.update_variable(social_assistance_total)
    return system


def _caseload() -> Caseload:
    """One 低保 person (40, no income, urban 景洪) and a household above the standard."""
    persons = pd.DataFrame(
        {"person_id": [1, 2], "household_id": [1, 2], "age": [40, 40], "has_able_supporter": [True, True]}
    )
    persons["wage_income"] = [0.0, 5000.0]
    households = pd.DataFrame({"household_id": [1, 2], "jurisdiction": ["jinghong"] * 2, "area": ["urban"] * 2})
    return Caseload(persons, households, name="t", synthetic=True, description="t")


def test_a_new_programme_appears_in_every_list_without_a_code_edit(extended):
    names = [o.name for o in declared_outputs(extended)]
    assert names.index("price_subsidy") < names.index(NEW) < names.index("rigid_expenditure_hardship_family")
    assert "winter_fuel" in programmes(extended)
    assert NEW in [o.name for o in declared_outputs(extended, "cli", "person")]
    page = output_fields(extended)
    field = next(f for f in page["outputs"] if f["name"] == NEW)
    assert field == {
        "name": NEW,
        "entity": "person",
        "kind": "money",
        "unit": "per_month",
        "programme": "winter_fuel",
        "total": False,
        "label": {"zh": "冬季取暖补贴", "en": "winter fuel allowance"},
    }
    assert {"key": "winter_fuel", "zh": "冬季取暖补贴", "en": "winter fuel allowance"} in page["programmes"]
    outputs = MicrosimOutputs.of(extended)
    assert (NEW, "person", "冬季取暖补贴") in outputs.money and NEW in outputs.parts
    # the built-in system is untouched
    assert NEW not in [o.name for o in declared_outputs(CountryTaxBenefitSystem())]


def test_the_cli_table_shows_the_new_output(extended, monkeypatch):
    main = importlib.import_module("openfisca_cn_assist.cli.main")  # the package exports a function of that name
    monkeypatch.setattr(main, "_baseline", lambda args: extended)
    out = io.StringIO()
    args = Namespace(situation=None, example="xishuangbanna_rural_class", period=None, skip=[], carry_forward=False)
    with contextlib.redirect_stdout(out):
        assert main.calculate(args) == 0
    assert f"  {NEW:<36} " in out.getvalue()


def _rows(system, period="2022-08"):
    """The microsimulation's household rows and their sums; no CPI series covers 2022: no price subsidy."""
    simulation = caseload_simulation(system, _caseload(), period)
    simulation.set_input("price_subsidy", period, np.zeros(2))
    frame, not_computed = household_frame(simulation, period)
    return frame, not_computed, Aggregate.from_frame(frame, not_computed, 2, MicrosimOutputs.of(system))


def test_the_microsimulation_sums_the_new_output_and_the_total_adds_it(extended):
    frame, not_computed, aggregate = _rows(extended)
    assert list(not_computed) == ["one_off_living_subsidy"]  # paid in a month no source gives
    assert frame[NEW].tolist() == [30.0, 0.0]
    assert frame["social_assistance_total"].tolist() == [730.0, 0.0]  # 低保 700 (景洪 urban 2022) + 30
    assert aggregate.total(NEW) == 30
    assert NEW in Results("2022-08", None, "t", True, frame, not_computed, aggregate).summary()["output"].tolist()
    frame, _, _ = _rows(CountryTaxBenefitSystem())
    assert NEW not in frame and frame["social_assistance_total"].tolist() == [700.0, 0.0]


def test_the_explanation_computes_and_labels_the_new_output(extended):
    from openfisca_cn_assist.serve.explain import run as explain

    assert NEW in explain._stated(extended)
    assert explain._labels(extended)[NEW] == ("冬季取暖补贴", "winter fuel allowance")


def test_the_page_serves_its_fields_from_the_declarations(extended):
    from openfisca_cn_assist.serve.server import create_server_app

    answer = create_server_app(extended).test_client().get("/outputs").get_json()
    assert NEW in [f["name"] for f in answer["outputs"]]


def test_the_lists_are_those_kept_by_hand_before(system):
    """The order of every report stays what it was when the lists were kept by hand (0.1)."""
    cli = [o.name for o in declared_outputs(system, "cli")]
    assert [n for n in cli if system.variables[n].entity.key == "household"] == [
        "dibao_standard",
        "dibao_countable_income",
        "dibao_per_capita_income",
        "dibao_eligible",
        "dibao_gradual_exit_active",
        "dibao_marginal_family",
        "dibao_benefit",
        "rigid_expenditure_hardship_family",
        "temporary_assistance_approval_level",
        "social_assistance_total",
    ]
    assert [o.name for o in declared_outputs(system, "cli", "person")] == [
        "tekun_eligible",
        "tekun_basic_allowance",
        "tekun_care_allowance",
        "dibao_single_person_unit",
        "orphan_allowance",
        "disability_living_subsidy",
        "disability_care_subsidy",
        "one_off_living_subsidy",
        "price_subsidy",
    ]
    outputs = MicrosimOutputs.of(system)
    assert [(n, e) for n, e, _ in outputs.money] == [
        ("dibao_regular_benefit", "household"),
        ("dibao_gradual_exit_benefit", "household"),
        ("dibao_single_person_benefit", "person"),
        ("dibao_benefit", "household"),
        ("tekun_basic_allowance", "person"),
        ("tekun_care_allowance", "person"),
        ("orphan_allowance", "person"),
        ("disability_living_subsidy", "person"),
        ("disability_care_subsidy", "person"),
        ("one_off_living_subsidy", "person"),
        ("price_subsidy", "person"),
        ("social_assistance_total", "household"),
    ]
    assert [n for n, _, _ in outputs.status] == [
        "dibao_recipient",
        "dibao_gradual_exit_active",
        "dibao_marginal_family",
        "dibao_covered_person",
        "tekun_eligible",
    ]
    assert outputs.total == "social_assistance_total"
    assert outputs.parts == tuple(n for n, _, _ in outputs.money if n not in ("dibao_benefit", outputs.total))
    page = [(f["name"], f["unit"]) for f in output_fields(system)["outputs"]]
    assert page == [
        ("dibao_standard", "per_person_month"),
        ("dibao_unit_size", "persons_unit"),
        ("dibao_countable_income", "per_month"),
        ("dibao_per_capita_income", "per_person_month"),
        ("dibao_eligible", None),
        ("dibao_benefit", "per_month"),
        ("tekun_eligible", None),
        ("tekun_basic_allowance", "per_month"),
        ("tekun_care_allowance", "per_month"),
        ("dibao_class_amount", "per_month"),
        ("social_assistance_total", "per_month"),
    ]
    assert yearly_outputs(system) == {
        "one_off_living_subsidy": (
            "one_off.living_subsidy_amount",
            "the one-off living subsidy is paid once in the year (Xishuangbanna 2022, S0), in a month no source gives",
        )
    }


def test_dibao_benefit_is_the_sum_it_declares(system):
    """dibao_benefit's formula and its ``adds`` say the same (the total's formula is its ``adds``)."""
    situation = {
        "persons": {"a": {"age": {"2022-08": 70}}, "b": {"age": {"2022-08": 40}, "wage_income": {"2022-08": 200}}},
        "households": {"h": {"members": ["a", "b"], "jurisdiction": {"ETERNITY": "jinghong"}}},
    }
    simulation = SimulationBuilder().build_from_entities(system, situation)
    household = simulation.populations["household"]
    expected = added_up(household, "2022-08", "dibao_benefit")
    assert np.array_equal(simulation.calculate("dibao_benefit", "2022-08"), expected) and expected[0] > 0
    assert total_output(system) == "social_assistance_total"


def test_declarations_are_checked():
    with pytest.raises(OutputDeclarationError, match="unknown kind 'cash'"):

        class wrong_kind(Output):
            programme = "dibao"
            kind = "cash"

    with pytest.raises(OutputDeclarationError, match="declares no programme"):

        class no_programme(Output):
            kind = "money"

    with pytest.raises(OutputDeclarationError, match="shown_in"):

        class wrong_place(Output):
            programme = "dibao"
            kind = "money"
            shown_in = ("report",)


def test_an_unknown_programme_or_part_is_a_clear_error_at_load():
    from openfisca_core.periods import MONTH

    from openfisca_cn_assist.engine.entities import Person

    class orphan_bonus(Output):
        value_type = float
        entity = Person
        definition_period = MONTH
        label = "test"
        programme = "nowhere"
        kind = "money"

    system = CountryTaxBenefitSystem()
    system.add_variable(orphan_bonus)
    with pytest.raises(OutputDeclarationError, match="unknown programme 'nowhere'.*known: dibao, tekun"):
        declared_outputs(system)

    class orphan_sum(Output):
        value_type = float
        entity = Person
        definition_period = MONTH
        label = "test"
        programme = "orphan"
        kind = "money"
        adds = ("orphan_allowance", "age")

    system = CountryTaxBenefitSystem()
    system.add_variable(orphan_sum)
    with pytest.raises(OutputDeclarationError, match=r"adds \['age'\], which are not declared outputs"):
        declared_outputs(system)


def test_variables_carry_their_declarations(system):
    total = system.variables["social_assistance_total"]
    assert total.kind == "money" and total.programme == "totals" and "dibao_benefit" in total.adds
    assert system.variables["dibao_eligible"].kind == "status"


def test_a_reform_that_replaces_an_output_by_a_plain_variable_keeps_it_listed(system):
    """A reform that replaces dibao_regular_benefit with a Variable of its own: it stays an output, and a part."""
    from openfisca_core.periods import MONTH
    from openfisca_core.reforms import Reform

    from openfisca_cn_assist.engine.entities import Household
    from openfisca_cn_assist.engine.reform_tools import load_reform
    from openfisca_cn_assist.engine.variable import Variable

    class dibao_regular_benefit(Variable):
        value_type = float
        entity = Household
        definition_period = MONTH
        label = "低保金(常规, 翻倍) / Twice the regular benefit, invented for a test"

        def formula(household, period, parameters):
            return 2 * household("dibao_gap_benefit", period)

    class doubled(Reform):
        def apply(self):
            self.update_variable(dibao_regular_benefit)

    for reformed in (doubled(system), load_reform("gap_floor")(system)):
        assert [o.name for o in declared_outputs(reformed)] == [o.name for o in declared_outputs(system)]
        assert MicrosimOutputs.of(reformed) == MicrosimOutputs.of(system)


def test_a_yearly_output_declares_the_monthly_results_it_reads(system):
    """``reads_months`` (kept by the month-by-month microsimulation until the year is computed) is exactly what
    the formula reads at a month, found by tracing it: a yearly output that read more would have it recomputed."""
    from openfisca_cn_assist.engine.outputs import declared_outputs

    caseload = Caseload(
        persons=pd.DataFrame({"person_id": ["p"], "household_id": ["h"], "age": [70], "has_able_supporter": [False]}),
        households=pd.DataFrame({"household_id": ["h"], "jurisdiction": ["jinghong"], "area": ["urban"]}),
    )
    for output in (o for o in declared_outputs(system) if o.yearly):
        simulation = caseload_simulation(system, caseload, "2022")
        simulation.trace = True
        simulation.calculate(output.name, "2022")
        (root,) = [node for node in simulation.tracer.trees if node.name == output.name]
        read = {child.name for child in root.children if child.period.unit == MONTH}
        assert read == set(output.reads_months), (output.name, read)
