from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.accessor import jurisdictional
from openfisca_cn_assist.engine.entities import Person
from openfisca_cn_assist.engine.variable import Variable


class dibao_single_person_allowed(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "当地实行单人户 / Where the person lives, a severely disabled or seriously ill person may be covered alone"
    reference = "青海 (S1), 汉中 (S2), china from 2021 (R): dibao.single_person_unit_allowed"
    # quoted by dibao_single_person_unit's explanation as a reason it is not granted
    explanation = {
        True: None,
        False: {
            "zh": "当地此时不实行单人户",
            "en": "not allowed here at this date",
            "why": {"zh": "当地此时不实行单人户", "en": "not allowed here at this date"},
        },
    }

    def defined_for(person, period):
        """The severely disabled or seriously ill: only they need the jurisdiction's rule."""
        return person("is_severely_disabled", period) | person("has_serious_illness", period)

    def formula(person, period, parameters):
        return jurisdictional(person, period).dibao.single_person_unit_allowed
