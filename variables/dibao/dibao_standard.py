from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.accessor import jurisdictional
from openfisca_cn_assist.engine.entities import Household
from openfisca_cn_assist.engine.outputs import Output


class dibao_standard(Output):
    value_type = float
    entity = Household
    definition_period = MONTH
    unit = "currency-CNY"
    label = "低保标准 / Dibao standard for the household's area and jurisdiction (元/人·月)"
    reference = "民发〔2021〕57号: 城乡最低生活保障标准由县级以上地方人民政府确定"
    # What this output is and where it is listed: every list of outputs is generated from these (engine/outputs.py).
    programme = "dibao"
    kind = "amount_per_person"
    order = 100
    shown_in = ("cli", "page")
    short_label = ("低保标准", "dibao standard")

    # the standard of the household's area, as the source gives it (per year: ÷ 12) and per month
    explanation = {
        "zh": "{area}低保标准：{dibao.standard[area]:per_year}{value} 元/人·月",
        "en": "{area} dibao standard: {dibao.standard[area]:per_year}{value} per person a month",
    }

    def formula(household, period, parameters):
        """The urban or rural standard in force; yearly standards are converted to months by the resolver."""
        return jurisdictional(household, period).dibao.standard[household("area", period)]
