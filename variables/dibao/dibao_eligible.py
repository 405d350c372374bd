from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.entities import Household
from openfisca_cn_assist.engine.outputs import Output


class dibao_eligible(Output):
    value_type = bool
    entity = Household
    definition_period = MONTH
    label = (
        "符合低保条件 / Eligible for dibao: per-capita income below the standard, property within the limits "
        "(and the points pass where used)"
    )
    reference = (
        "民发〔2021〕57号: 家庭人均收入低于当地最低生活保障标准; property within the local limits (POLICY_REFERENCE §3.2); "
        "玉溪 精准低保积分制 (S4)"
    )
    # What this output is and where it is listed: every list of outputs is generated from these (engine/outputs.py).
    programme = "dibao"
    kind = "status"
    order = 120
    shown_in = ("cli", "page")
    explanation = {
        True: {
            "zh": "{dibao_income_below_standard:text}，符合低保",
            "en": "{dibao_income_below_standard:text}, eligible for dibao",
        },
        False: {
            "zh": "{dibao_income_below_standard:text}{property_within_limits:text}{dibao_points_pass:why}，不符合低保",
            "en": "{dibao_income_below_standard:text}{property_within_limits:text}{dibao_points_pass:why}, "
            "not eligible for dibao",
        },
    }

    def formula(household, period, parameters):
        counted = household("dibao_unit_size", period) > 0
        below = household("dibao_income_below_standard", period)
        property_ok = household("property_within_limits", period)
        return counted & below & property_ok & household("dibao_points_pass", period)
