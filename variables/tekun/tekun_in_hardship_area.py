import numpy as np
from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.accessor import jurisdictional
from openfisca_cn_assist.engine.entities import Person
from openfisca_cn_assist.engine.inputs import checked
from openfisca_cn_assist.engine.variable import Variable


class tekun_in_hardship_area(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "特困年龄条件适用艰苦边远地区年龄 / Lives where the hardship-area 特困 age applies"
    reference = "青海: 将五类以上地区特困供养对象年龄从60周岁下调至55周岁 (S1)"
    explanation = {
        True: {
            "zh": "艰苦边远地区 {hardship_area_class} 类（≥ {tekun.hardship_area_min_class} 类）：年龄条件为 "
            "{tekun.age_threshold_hardship_area} 岁（一般为 {tekun.age_threshold} 岁）",
            "en": "Hardship area class {hardship_area_class} (≥ {tekun.hardship_area_min_class}): age threshold "
            "{tekun.age_threshold_hardship_area} (generally {tekun.age_threshold})",
        },
        False: None,
    }

    def defined_for(person, period):
        """Persons whose household lives in a hardship area (class 1 or more): anyone else is not (false)."""
        households = person.simulation.populations["household"]
        return households.project(checked(households, "hardship_area_class", period)) > 0

    def formula(person, period, parameters):
        """The jurisdiction sets a hardship-area age other than its general one, and the household's area is of
        the qualifying class or above."""
        p = jurisdictional(person, period).tekun
        area_class = person.household("hardship_area_class", period)  # checked by defined_for
        general = p.age_threshold
        differs = p.age_threshold_hardship_area != general
        # Only a person whose two ages differ needs the qualifying class (elsewhere it may be absent: NaN).
        return np.asarray(differs & (area_class >= p.only(differs).hardship_area_min_class))
