import numpy as np
from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.accessor import jurisdictional
from openfisca_cn_assist.engine.entities import Person
from openfisca_cn_assist.engine.outputs import Output


class disability_care_subsidy(Output):
    value_type = float
    entity = Person
    definition_period = MONTH
    unit = "currency-CNY"
    label = "重度残疾人护理补贴 / Care subsidy for a severely disabled person needing long-term care (元/月)"
    reference = (
        "国发〔2015〕52号: 残疾等级被评定为一级、二级且需要长期照护的重度残疾人 (W22); amounts by province: 广西 50 "
        "(2016), 桂民发〔2025〕25号; 青海 (2025); 云民发〔2026〕2号 and 陕政发〔2016〕2号 grade 1 / grade 2"
    )
    # What this output is and where it is listed: every list of outputs is generated from these (engine/outputs.py).
    programme = "disability"
    kind = "money"
    order = 410
    shown_in = ("cli", "microsim")
    short_label = ("重度残疾人护理补贴", "disability care subsidy")

    # chosen by the amount that applies: each names the parameter the formula paid, or why there is none
    explanation = {
        ("disability_care_subsidy_rate", "not_needed"): {
            "zh": "{disability_care_subsidy_rate:text} → 无重度残疾人护理补贴",
            "en": "{disability_care_subsidy_rate:text} → no disability care subsidy",
        },
        ("disability_care_subsidy_rate", "above_max_grade"): {
            "zh": "{disability_care_subsidy_rate:text} → 无重度残疾人护理补贴",
            "en": "{disability_care_subsidy_rate:text} → no disability care subsidy",
        },
        ("disability_care_subsidy_rate", "grade_2"): {
            "zh": "{disability_care_subsidy_rate:text} → 重度残疾人护理补贴 {value} 元/月"
            "（{disability.care_subsidy_amount_grade_2:label}）",
            "en": "{disability_care_subsidy_rate:text} → disability care subsidy {value} a month "
            "({disability.care_subsidy_amount_grade_2:label})",
        },
        ("disability_care_subsidy_rate", "general"): {
            "zh": "{disability_care_subsidy_rate:text} → 重度残疾人护理补贴 {value} 元/月（{disability.care_subsidy_amount:label}）",
            "en": "{disability_care_subsidy_rate:text} → disability care subsidy {value} a month "
            "({disability.care_subsidy_amount:label})",
        },
    }

    def defined_for(person, period):
        """Grade 1 or more, a need for long-term care and a grade up to the jurisdiction's limit."""
        rate = person("disability_care_subsidy_rate", period)
        return (rate == rate.possible_values.grade_2) | (rate == rate.possible_values.general)

    def formula(person, period, parameters):
        """The amount that disability_care_subsidy_rate names."""
        rate = person("disability_care_subsidy_rate", period)
        p = jurisdictional(person, period).disability
        grade_2, general = (rate == rate.possible_values.grade_2), (rate == rate.possible_values.general)
        return np.where(
            grade_2, p.if_set.only(grade_2).care_subsidy_amount_grade_2, p.only(general).care_subsidy_amount
        )
