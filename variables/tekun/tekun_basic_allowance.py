import numpy as np
from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.accessor import jurisdictional
from openfisca_cn_assist.engine.entities import Person
from openfisca_cn_assist.engine.outputs import Output


class tekun_basic_allowance(Output):
    value_type = float
    entity = Person
    definition_period = MONTH
    unit = "currency-CNY"
    label = "特困基本生活费 / Monthly 特困 basic living allowance (元/月)"
    reference = "汉民发〔2021〕52号: 不低于我市低保标准的1.3倍; 贺州: 按照城乡最低生活保障标准的1.3倍发放"
    # What this output is and where it is listed: every list of outputs is generated from these (engine/outputs.py).
    programme = "tekun"
    kind = "money"
    order = 210
    shown_in = ("cli", "microsim", "page")
    short_label = ("特困基本生活费", "tekun basic allowance")

    defined_for = "tekun_eligible"
    explanation = {
        "zh": "基本生活费 = max(当地特困标准 {tekun.basic_standard[area]}，{tekun.basic_ratio_to_dibao} × 低保标准 "
        "{dibao_standard}) = {value} 元/月",
        "en": "Basic allowance = max(local tekun standard {tekun.basic_standard[area]}, {tekun.basic_ratio_to_dibao} × "
        "dibao standard {dibao_standard}) = {value} a month",
    }

    def formula(person, period, parameters):
        """The larger of the jurisdiction's own standard (urban or rural) and its multiple of the dibao standard;
        a jurisdiction may set either alone."""
        p = jurisdictional(person, period).tekun.optional
        own = p.basic_standard[person.household("area", period)]
        from_ratio = p.basic_ratio_to_dibao * person.household("dibao_standard", period)
        basic = np.fmax(own, from_ratio)
        return p.require_any(basic, "basic_standard.urban", "basic_standard.rural", "basic_ratio_to_dibao")
