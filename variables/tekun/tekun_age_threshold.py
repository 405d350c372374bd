import numpy as np
from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.accessor import jurisdictional
from openfisca_cn_assist.engine.entities import Person
from openfisca_cn_assist.engine.variable import Variable


class tekun_age_threshold(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    label = "特困年龄条件 / Age from which the person counts as having no work capacity"
    reference = "青海: 将五类以上地区特困供养对象年龄从60周岁下调至55周岁 (S1)"

    def formula(person, period, parameters):
        """The hardship-area age applies in areas of the jurisdiction's qualifying class or above."""
        p = jurisdictional(person, period).tekun
        general = p.age_threshold
        hardship_age = p.age_threshold_hardship_area
        return np.where(person("tekun_in_hardship_area", period), hardship_age, general)
