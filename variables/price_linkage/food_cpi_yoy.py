from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.entities import Household
from openfisca_cn_assist.engine.monthly_series import month_value
from openfisca_cn_assist.engine.variable import Variable


class food_cpi_yoy(Variable):
    value_type = float
    entity = Household
    definition_period = MONTH
    unit = "percent"
    label = "CPI中食品价格单月同比涨幅 / Food prices in the CPI, year-on-year rise in this month (%)"
    reference = "社会救助和保障标准与物价上涨挂钩联动机制: 启动条件 CPI 中食品价格单月同比涨幅 (W3, W4)"

    def formula(household, period, parameters):
        """The series value dated in this month (parameters/price_linkage/food_cpi_yoy); NaN where none is known."""
        return month_value(household, period, "price_linkage.food_cpi_yoy")
