from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.entities import Person
from openfisca_cn_assist.engine.inputs import checked
from openfisca_cn_assist.engine.variable import Variable


class tekun_old_enough(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "达到特困年龄条件 / Old enough for 特困 (at or above the age threshold)"
    reference = "特困人员认定: 60周岁以上的老年人 (W15); 青海 hardship areas 55 (S1)"
    explanation = {
        True: {"zh": "{age} 岁 ≥ {tekun_age_threshold} 岁", "en": "age {age} ≥ {tekun_age_threshold}"},
        False: {"zh": "{age} 岁 < {tekun_age_threshold} 岁", "en": "age {age} < {tekun_age_threshold}"},
    }

    def formula(person, period, parameters):
        return checked(person, "age", period) >= person("tekun_age_threshold", period)
