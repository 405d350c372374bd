import numpy as np
from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.accessor import jurisdictional
from openfisca_cn_assist.engine.entities import Person
from openfisca_cn_assist.engine.outputs import Output


class disability_living_subsidy(Output):
    value_type = float
    entity = Person
    definition_period = MONTH
    unit = "currency-CNY"
    label = "困难残疾人生活补贴 / Living subsidy for a disabled person in a 低保 household (元/月)"
    reference = (
        "国发〔2015〕52号: 困难残疾人生活补贴对象为低保家庭中的残疾人 (W22); amounts by province: 广西 50 (2016), "
        "桂民发〔2025〕25号; 青海 grades 1–2 / 3–4 (2025); 云民发〔2026〕2号; 陕政发〔2016〕2号 under 18 / from 18"
    )
    # What this output is and where it is listed: every list of outputs is generated from these (engine/outputs.py).
    programme = "disability"
    kind = "money"
    order = 400
    shown_in = ("cli", "microsim")
    short_label = ("困难残疾人生活补贴", "disability living subsidy")

    # chosen by the amount that applies: each names the parameter the formula paid
    explanation = {
        ("disability_living_subsidy_rate", "none"): {
            "zh": "{disability_living_subsidy_rate:text} → 无困难残疾人生活补贴",
            "en": "{disability_living_subsidy_rate:text} → no disability living subsidy",
        },
        ("disability_living_subsidy_rate", "minor"): {
            "zh": "{disability_living_subsidy_rate:text} → 困难残疾人生活补贴 {value} 元/月（{disability.living_subsidy_amount_minor:label}）",
            "en": "{disability_living_subsidy_rate:text} → disability living subsidy {value} a month "
            "({disability.living_subsidy_amount_minor:label})",
        },
        ("disability_living_subsidy_rate", "grades_3_4"): {
            "zh": "{disability_living_subsidy_rate:text} → 困难残疾人生活补贴 {value} 元/月（{disability.living_subsidy_amount_grades_3_4:label}）",
            "en": "{disability_living_subsidy_rate:text} → disability living subsidy {value} a month "
            "({disability.living_subsidy_amount_grades_3_4:label})",
        },
        ("disability_living_subsidy_rate", "general"): {
            "zh": "{disability_living_subsidy_rate:text} → 困难残疾人生活补贴 {value} 元/月（{disability.living_subsidy_amount:label}）",
            "en": "{disability_living_subsidy_rate:text} → disability living subsidy {value} a month "
            "({disability.living_subsidy_amount:label})",
        },
    }

    def defined_for(person, period):
        """A certified disabled person (grade 1–4) in a 低保 household, or covered by 低保 alone."""
        rate = person("disability_living_subsidy_rate", period)
        return rate != rate.possible_values.none

    def formula(person, period, parameters):
        """The amount that disability_living_subsidy_rate names."""
        rate = person("disability_living_subsidy_rate", period)
        amounts = rate.possible_values
        p = jurisdictional(person, period).disability
        minor, band, general = (rate == amounts.minor), (rate == amounts.grades_3_4), (rate == amounts.general)
        return np.select(
            [minor, band, general],
            [
                p.if_set.only(minor).living_subsidy_amount_minor,
                p.if_set.only(band).living_subsidy_amount_grades_3_4,
                p.only(general).living_subsidy_amount,
            ],
            default=0,
        )
