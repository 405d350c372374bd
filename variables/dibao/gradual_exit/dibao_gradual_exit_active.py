from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.entities import Household
from openfisca_cn_assist.engine.history import exit_active, facts
from openfisca_cn_assist.engine.outputs import Output


class dibao_gradual_exit_active(Output):
    value_type = bool
    entity = Household
    definition_period = MONTH
    label = "处于渐退期 / In the gradual-exit (渐退) period: on 低保 last month, now above the standard, within the exit length"
    reference = "渐退 (S0: 低保救助渐退; S1: 制定救助渐退…政策; S2: 落实渐退帮扶政策)"
    # What this output is and where it is listed: every list of outputs is generated from these (engine/outputs.py).
    programme = "dibao"
    kind = "status"
    order = 130
    shown_in = ("cli", "microsim")
    # said of a household on 低保 last month and not eligible now
    explanation = {
        True: {
            "zh": "渐退：上月享受低保{dibao_recipient_last_month:given}，本月收入超标，处于渐退期第 "
            "{dibao_months_above_standard} 个月（渐退期 {dibao.gradual_exit_months} 个月）",
            "en": "Gradual exit: on dibao last month{dibao_recipient_last_month:given}, income now above the standard: "
            "month {dibao_months_above_standard} of the {dibao.gradual_exit_months}-month exit period",
            "short": {
                "zh": "处于渐退期第 {dibao_months_above_standard} 个月",
                "en": "in month {dibao_months_above_standard} of the gradual exit",
            },
        },
        False: {
            "zh": "渐退：上月享受低保{dibao_recipient_last_month:given}，本月为收入超标第 {dibao_months_above_standard} "
            "个月，超过渐退期 {dibao.gradual_exit_months} 个月，低保停发",
            "en": "Gradual exit: on dibao last month{dibao_recipient_last_month:given}; this is month "
            "{dibao_months_above_standard} above the standard, past the {dibao.gradual_exit_months}-month exit period: "
            "dibao stops",
            "short": {
                "zh": "渐退期已满（第 {dibao_months_above_standard} 个月 > {dibao.gradual_exit_months} 个月）",
                "en": "the gradual exit is over (month {dibao_months_above_standard} > {dibao.gradual_exit_months})",
            },
        },
    }

    def formula(household, period, parameters):
        _, above = facts(household, period)
        recipient_last_month = household("dibao_recipient_last_month", period)
        count = household("dibao_months_above_standard", period)
        return exit_active(household, period, recipient_last_month, above, count)
