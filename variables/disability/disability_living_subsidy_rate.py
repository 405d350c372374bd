import numpy as np
from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.accessor import jurisdictional
from openfisca_cn_assist.engine.entities import Person
from openfisca_cn_assist.engine.inputs import checked
from openfisca_cn_assist.engine.variable import Variable


class DisabilityLivingSubsidyRate(Enum):
    none = "不享受 / None: not a disabled person (grades 1–4) on 低保"
    minor = "未成年人标准 / The minors' amount"
    grades_3_4 = "三、四级标准 / The grades 3–4 amount"
    general = "一般标准 / The general amount"


class disability_living_subsidy_rate(Variable):
    """Which amount of the living subsidy a person is paid: a certified disabled person (grade 1–4) in a 低保
    household, or covered by 低保 alone, receives the minors' amount or the grades 3–4 amount where the
    jurisdiction sets one, else the general amount; anyone else none."""

    value_type = Enum
    possible_values = DisabilityLivingSubsidyRate
    default_value = DisabilityLivingSubsidyRate.none
    entity = Person
    definition_period = MONTH
    label = "困难残疾人生活补贴适用标准 / Which amount of the disability living subsidy applies (none if not entitled)"
    reference = (
        "国发〔2015〕52号: 困难残疾人生活补贴对象为低保家庭中的残疾人 (W22); 青海 grades 1–2 / 3–4 (2025); "
        "陕政发〔2016〕2号 under 18 / from 18"
    )
    explanation = {
        "none": {
            "zh": "残疾 {disability_grade} 级，但不享受低保",
            "en": "disability grade {disability_grade}, but not on dibao",
        },
        "minor": {"zh": "残疾 {disability_grade} 级，享受低保", "en": "disability grade {disability_grade}, on dibao"},
        "grades_3_4": {
            "zh": "残疾 {disability_grade} 级，享受低保",
            "en": "disability grade {disability_grade}, on dibao",
        },
        "general": {
            "zh": "残疾 {disability_grade} 级，享受低保",
            "en": "disability grade {disability_grade}, on dibao",
        },
    }

    def defined_for(person, period):
        """The entitled, a certified disabled person (grade 1–4) in a 低保 household or covered by 低保 alone; anyone
        else reads none (the default)."""
        grade = checked(person, "disability_grade", period)
        in_dibao = person.household("dibao_recipient", period) | person("dibao_covered_person", period)
        return (grade >= 1) & (grade <= 4) & in_dibao

    def formula(person, period, parameters):
        """Breakdowns that no jurisdiction in the chain sets read NaN (no age limit: nobody is a minor here);
        those rows take the general amount."""
        grade = checked(person, "disability_grade", period)
        p = jurisdictional(person, period).disability
        minor = person("age", period) < p.if_set.living_subsidy_minor_age_limit
        band = ~minor & (grade >= 3)
        minor &= ~np.isnan(p.if_set.only(minor).living_subsidy_amount_minor)
        band &= ~np.isnan(p.if_set.only(band).living_subsidy_amount_grades_3_4)
        rate = DisabilityLivingSubsidyRate
        return np.select([minor, band], [rate.minor.index, rate.grades_3_4.index], rate.general.index)
