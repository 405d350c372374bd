import numpy as np
from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.accessor import jurisdictional
from openfisca_cn_assist.engine.entities import Household
from openfisca_cn_assist.engine.monthly_series import require_month_value
from openfisca_cn_assist.engine.resolver import resolver_for
from openfisca_cn_assist.engine.sums import members_sum
from openfisca_cn_assist.engine.variable import Variable


def threshold(household, period, path, where):
    """The jurisdiction's threshold, but never above the national one: local may lower it, never raise it (W3, W4)."""
    local = getattr(jurisdictional(household, period).price_linkage.only(where), path)
    resolved = resolver_for(household.simulation.tax_benefit_system)[f"price_linkage.{path}"]
    national = resolved.table(str(period.start))[resolved.registry.levels[0][0]]
    return np.fmin(local, national)


class price_subsidy_rise(Variable):
    value_type = float
    entity = Household
    definition_period = MONTH
    unit = "percent"
    label = "价格临时补贴启动涨幅 / The price rise that triggers this month's temporary price subsidy (%, 0 if none)"
    reference = (
        "启动条件: CPI 单月同比涨幅 3.5% 或食品价格 6%, 任一单月达到即启动 (W3, 2016; restated 2021); "
        "2022-09 to 2023-03 CPI 3.0%, 对应2022年8月至2023年2月物价指数 (W4); 同时满足两个条件的从高 (W7)"
    )

    def formula(household, period, parameters):
        """Last month's CPI or food-CPI rise where it reaches this month's threshold; the higher if both do."""
        # Paid monthly after each index is published: the subsidy paid in a month uses the previous
        # month's indices (W3; W4: subsidies paid 2022-09 to 2023-03 use the indices of 2022-08 to 2023-02).
        needed = members_sum(household, household.members("price_subsidy_covered", period)) > 0
        index_month = period.last_month
        cpi = household("cpi_yoy", index_month)
        food = household("food_cpi_yoy", index_month)
        purpose = f"for the price subsidy paid in {str(period)[:7]} to the households' covered members"
        require_month_value(household, index_month, cpi, needed, "price_linkage.cpi_yoy", "cpi_yoy", purpose)
        require_month_value(household, index_month, food, needed, "price_linkage.food_cpi_yoy", "food_cpi_yoy", purpose)
        cpi_threshold = threshold(household, period, "cpi_threshold", needed)
        food_threshold = threshold(household, period, "food_cpi_threshold", needed)
        with np.errstate(invalid="ignore"):  # NaN indices of households that need none compare False
            rise = np.maximum(np.where(cpi >= cpi_threshold, cpi, 0), np.where(food >= food_threshold, food, 0))
        return np.where(needed, rise, 0)
