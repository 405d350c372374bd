import numpy as np
from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.accessor import jurisdictional
from openfisca_cn_assist.engine.entities import Person
from openfisca_cn_assist.engine.enums import DisabilityCategory
from openfisca_cn_assist.engine.inputs import checked
from openfisca_cn_assist.engine.variable import Variable


class is_severely_disabled(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "重度残疾人 / Severely disabled"
    reference = "汉民发〔2021〕52号: 一级、二级残疾以及三级智力、精神残疾"

    def formula(person, period, parameters):
        """Certificate grade 1–2, or up to grade 3 for intellectual or mental disability."""
        grade = checked(person, "disability_grade", period)
        category = person("disability_category", period)
        p = jurisdictional(person, period).disability
        max_grade = p.severe_max_grade
        max_grade_im = p.severe_max_grade_intellectual_mental
        intellectual_or_mental = (category == DisabilityCategory.intellectual) + (category == DisabilityCategory.mental)
        limit = np.where(intellectual_or_mental, max_grade_im, max_grade)
        return (grade >= 1) & (grade <= limit)
