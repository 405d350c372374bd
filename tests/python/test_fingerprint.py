"""The rules fingerprint: the same for the same rules, different for any change of a value or a formula."""

import json
import subprocess
import sys

from openfisca_core.periods import DateUnit
from openfisca_core.periods import period as as_period

from openfisca_cn_assist import CountryTaxBenefitSystem
from openfisca_cn_assist.analysis.microsim import simulate
from openfisca_cn_assist.caseload.readers import builtin_caseload
from openfisca_cn_assist.engine.fingerprint import fingerprint, rules
from openfisca_cn_assist.engine.reform_tools import apply_reform
from openfisca_cn_assist.engine.variable import Variable


def test_the_same_rules_give_the_same_fingerprint_in_another_process(system):
    assert fingerprint(CountryTaxBenefitSystem()) == fingerprint(system)
    code = "from openfisca_cn_assist import CountryTaxBenefitSystem as S; from openfisca_cn_assist.engine.fingerprint "
    code += "import fingerprint; print(fingerprint(S()))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == fingerprint(system)


def test_a_changed_value_changes_the_parameters_part_only(system):
    reformed = apply_reform(system, "raise_tekun_1050")
    before, after = rules(system), rules(reformed)
    assert after["fingerprint"] != before["fingerprint"]
    assert after["parts"]["parameters"] != before["parts"]["parameters"]
    assert after["parts"]["variables"] == before["parts"]["variables"]
    assert after["baseline_fingerprint"] == before["fingerprint"]
    assert [r["reform"] for r in after["reforms"]] == ["raise_tekun_1050"]


def test_a_one_fen_change_of_one_value_changes_it(system):
    def nudge(parameters):
        node = parameters.dibao.standard_urban.xishuangbanna
        node.update(period=as_period("2022"), value=700.01)
        return parameters

    from openfisca_core.reforms import Reform

    class nudged(Reform):
        def apply(self):
            self.modify_parameters(modifier_function=nudge)

    assert fingerprint(nudged(system)) != fingerprint(system)


def test_a_changed_formula_changes_the_variables_part(system):
    class dibao_standard(Variable):
        value_type = float
        entity = system.variables["dibao_standard"].entity
        definition_period = DateUnit.MONTH
        label = "低保标准 (test: a flat 1000)"

        def formula(household, period, parameters):
            return household.empty_array() + 1000

    from openfisca_core.reforms import Reform

    class flat(Reform):
        def apply(self):
            self.update_variable(dibao_standard)

    before, after = rules(system), rules(flat(system))
    assert after["parts"]["variables"] != before["parts"]["variables"]
    assert after["parts"]["parameters"] == before["parts"]["parameters"]


def test_results_carry_the_rules_that_produced_them(system):
    results = simulate(system, builtin_caseload("xishuangbanna_2022"), "2022-11")
    assert results.rules["fingerprint"] == fingerprint(system) and results.rules["version"]
    json.dumps(results.rules)  # storable as it is
