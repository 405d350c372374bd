import numpy as np
from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.accessor import jurisdictional
from openfisca_cn_assist.engine.entities import Person
from openfisca_cn_assist.engine.inputs import checked
from openfisca_cn_assist.engine.variable import Variable


class DisabilityCareSubsidyRate(Enum):
    not_needed = "不需长期照护 / None: no certificate or no long-term care needed"
    above_max_grade = "超过补贴等级 / None: grade above the subsidy's limit"
    grade_2 = "二级标准 / The grade-2 amount"
    general = "一般标准 / The general amount"


class disability_care_subsidy_rate(Variable):
    """Which amount of the care subsidy a person is paid: a certificate (grade 1 or more) and a need for long-term
    care, a grade up to the jurisdiction's limit (2); grade 2 receives the grade-2 amount where the jurisdiction
    sets one, else the general amount. No means test."""

    value_type = Enum
    possible_values = DisabilityCareSubsidyRate
    default_value = DisabilityCareSubsidyRate.not_needed
    entity = Person
    definition_period = MONTH
    label = "重度残疾人护理补贴适用标准 / Which amount of the disability care subsidy applies (or why none)"
    reference = "国发〔2015〕52号: 残疾等级被评定为一级、二级且需要长期照护的重度残疾人 (W22)"
    explanation = {
        "not_needed": {
            "zh": "残疾 {disability_grade} 级，{disability_long_term_care:text}",
            "en": "grade {disability_grade}, {disability_long_term_care:text}",
        },
        "above_max_grade": {
            "zh": "残疾 {disability_grade} 级 > {disability.care_subsidy_max_grade} 级",
            "en": "grade {disability_grade} > {disability.care_subsidy_max_grade}",
        },
        "grade_2": {
            "zh": "残疾 {disability_grade} 级 ≤ {disability.care_subsidy_max_grade} 级，{disability_long_term_care:text}",
            "en": "grade {disability_grade} ≤ {disability.care_subsidy_max_grade}, {disability_long_term_care:text}",
        },
        "general": {
            "zh": "残疾 {disability_grade} 级 ≤ {disability.care_subsidy_max_grade} 级，{disability_long_term_care:text}",
            "en": "grade {disability_grade} ≤ {disability.care_subsidy_max_grade}, {disability_long_term_care:text}",
        },
    }

    def defined_for(person, period):
        """A certificate (grade 1 or more) and a need for long-term care; anyone else reads not_needed (the
        default)."""
        return (checked(person, "disability_grade", period) >= 1) & person("disability_long_term_care", period)

    def formula(person, period, parameters):
        """A grade-2 amount that no jurisdiction in the chain sets reads NaN: grade 2 takes the general amount."""
        grade = checked(person, "disability_grade", period)
        p = jurisdictional(person, period).disability
        within = grade <= p.care_subsidy_max_grade
        grade_2 = within & (grade == 2)
        grade_2 &= ~np.isnan(p.if_set.only(grade_2).care_subsidy_amount_grade_2)
        rate = DisabilityCareSubsidyRate
        return np.select([~within, grade_2], [rate.above_max_grade.index, rate.grade_2.index], rate.general.index)
