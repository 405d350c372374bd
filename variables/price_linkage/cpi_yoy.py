from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.entities import Household
from openfisca_cn_assist.engine.monthly_series import month_value
from openfisca_cn_assist.engine.variable import Variable


class cpi_yoy(Variable):
    value_type = float
    entity = Household
    definition_period = MONTH
    unit = "percent"
    label = "CPI单月同比涨幅 / Consumer price index, year-on-year rise in this month (%, 3.5 means 3.5 %)"
    reference = "社会救助和保障标准与物价上涨挂钩联动机制: 启动条件 CPI 单月同比涨幅 (W3, W4)"

    def formula(household, period, parameters):
        """The series value dated in this month (parameters/price_linkage/cpi_yoy); NaN where none is known."""
        return month_value(household, period, "price_linkage.cpi_yoy")
