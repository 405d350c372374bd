import numpy as np
from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.entities import Household
from openfisca_cn_assist.engine.outputs import Output


class dibao_per_capita_income(Output):
    value_type = float
    entity = Household
    definition_period = MONTH
    unit = "currency-CNY"
    label = "家庭人均可计收入 / Per-capita countable income (元/人·月)"
    reference = "民发〔2021〕57号: 家庭人均收入低于当地最低生活保障标准"
    # What this output is and where it is listed: every list of outputs is generated from these (engine/outputs.py).
    programme = "dibao"
    kind = "amount_per_person"
    order = 115
    shown_in = ("cli", "page")
    short_label = ("人均收入", "per-capita income")

    # chosen by whether anyone is counted (a household of 特困 members only has nobody)
    explanation = {
        ("dibao_unit_size", True): {
            "zh": "人均收入 = {dibao_countable_income} ÷ {dibao_unit_size} = {value} 元/人·月",
            "en": "Per-capita income = {dibao_countable_income} ÷ {dibao_unit_size} = {value} per person a month",
        },
        ("dibao_unit_size", False): {
            "zh": "没有成员计入低保，人均收入记为 {value}",
            "en": "Nobody is counted for dibao; per-capita income reads {value}",
        },
    }

    def formula(household, period, parameters):
        size = household("dibao_unit_size", period)
        income = household("dibao_countable_income", period)
        return np.divide(income, size, out=np.zeros_like(income), where=size > 0)
