from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.entities import Person
from openfisca_cn_assist.engine.outputs import Output


class price_subsidy(Output):
    value_type = float
    entity = Person
    definition_period = MONTH
    unit = "currency-CNY"
    label = "价格临时补贴 / Price-linked temporary subsidy paid this month (元/月)"
    reference = "价格临时补贴标准 = 当地城乡低保标准 × CPI 或食品价格单月同比涨幅 (按什么指数启动就与什么指数相乘) (W7)"
    # What this output is and where it is listed: every list of outputs is generated from these (engine/outputs.py).
    programme = "price_linkage"
    kind = "money"
    order = 600
    shown_in = ("cli", "microsim")
    short_label = ("价格临时补贴", "price subsidy")
    explanation = {
        True: {
            "zh": "价格临时补贴 = 低保标准 {dibao_standard} × 涨幅 {price_subsidy_rise}% = {value} 元",
            "en": "price subsidy = dibao standard {dibao_standard} × rise {price_subsidy_rise}% = {value}",
            "short": {"zh": "启动涨幅 {price_subsidy_rise}%", "en": "triggering rise {price_subsidy_rise}%"},
        },
        False: {
            "zh": "属价格临时补贴保障对象，但上月物价涨幅未达到启动条件 → {value} 元",
            "en": "covered by the price subsidy, but last month's price rise did not reach the trigger → {value}",
            "short": {"zh": "未启动", "en": "not triggered"},
        },
    }

    defined_for = "price_subsidy_covered"

    def formula(person, period, parameters):
        """A covered person receives the household's monthly 低保 standard times the triggering rise."""
        return person.household("dibao_standard", period) * person.household("price_subsidy_rise", period) / 100
