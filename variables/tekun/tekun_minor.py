from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.accessor import jurisdictional
from openfisca_cn_assist.engine.entities import Person
from openfisca_cn_assist.engine.inputs import checked
from openfisca_cn_assist.engine.variable import Variable


class tekun_minor(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "特困认定的未成年人 / A minor for 特困 (below the minor age limit)"
    reference = "特困人员认定: 未满18周岁的未成年人 (W15)"
    explanation = {
        True: {
            "zh": "{age} 岁 < {tekun.minor_age_limit} 岁（未成年）",
            "en": "age {age} < {tekun.minor_age_limit} (a minor)",
        },
        False: {"zh": "{age} 岁 ≥ {tekun.minor_age_limit} 岁", "en": "age {age} ≥ {tekun.minor_age_limit}"},
    }

    def formula(person, period, parameters):
        return checked(person, "age", period) < jurisdictional(person, period).tekun.minor_age_limit
