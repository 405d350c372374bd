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

    defined_for = "price_subsidy_covered"

    def formula(person, period, parameters):
        """A covered person receives the household's monthly 低保 standard times the triggering rise."""
        return person.household("dibao_standard", period) * person.household("price_subsidy_rise", period) / 100
