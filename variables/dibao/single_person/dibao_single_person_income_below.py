from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.entities import Person
from openfisca_cn_assist.engine.variable import Variable


class dibao_single_person_income_below(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "本人可计收入低于低保标准 / Own countable income below the dibao standard (the 单人户 income test)"
    reference = "单人户: assessed on the person's own income (青海 S1, 汉中 S2; POLICY_REFERENCE §3.3)"
    explanation = {
        True: {
            "zh": "本人可计收入 {own_countable_income} 元 < 标准 {dibao_standard} 元",
            "en": "own countable income {own_countable_income} < standard {dibao_standard}",
        },
        False: {
            "zh": "本人可计收入 {own_countable_income} 元 ≥ 标准 {dibao_standard} 元",
            "en": "own countable income {own_countable_income} ≥ standard {dibao_standard}",
            "why": {
                "zh": "本人可计收入 {own_countable_income} 元 ≥ 标准 {dibao_standard} 元",
                "en": "own countable income {own_countable_income} ≥ standard {dibao_standard}",
            },
        },
    }

    def formula(person, period, parameters):
        return person("own_countable_income", period) < person.household("dibao_standard", period)
