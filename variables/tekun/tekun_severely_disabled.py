import numpy as np
from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.accessor import jurisdictional
from openfisca_cn_assist.engine.entities import Person
from openfisca_cn_assist.engine.enums import DisabilityCategory
from openfisca_cn_assist.engine.inputs import checked
from openfisca_cn_assist.engine.variable import Variable


class tekun_severely_disabled(Variable):
    """Disabled enough to count as having no work capacity for 特困: intellectual or mental grade 1–3,
    physical grade 1–2, visual grade 1 (the national values; a jurisdiction may set its own).

    The 特困 list, not 单人户's (is_severely_disabled: any category at grade 1–2): hearing, speech
    and 多重 (multiple) disability are not in the 特困 criteria (W15), so they never count here. A
    person with multiple disabilities one of which is listed should be entered with that category
    and its grade: the certificate's 多重 grade alone does not say which disability reaches it.
    """

    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "特困认定的重度残疾 / Disabled enough for 特困 no work capacity (intellectual/mental 1–3, physical 1–2, visual 1)"
    reference = (
        "特困人员认定: 残疾等级为一、二、三级的智力、精神残疾人, 残疾等级为一、二级的肢体残疾人, "
        "残疾等级为一级的视力残疾人 (W15, M; POLICY_REFERENCE §3.6)"
    )

    explanation = {
        True: {"zh": "重度残疾", "en": "severely disabled"},
        False: {"zh": "非重度残疾", "en": "not severely disabled"},
    }

    def formula(person, period, parameters):
        """The certificate grade is at most the jurisdiction's limit for the person's category."""
        grade = checked(person, "disability_grade", period)
        category = person("disability_category", period)
        disabled = grade >= 1
        intellectual_or_mental = (category == DisabilityCategory.intellectual) | (category == DisabilityCategory.mental)
        physical = category == DisabilityCategory.physical
        visual = category == DisabilityCategory.visual
        p = jurisdictional(person, period).tekun
        limit = np.select(
            [intellectual_or_mental, physical, visual],
            [
                p.only(disabled & intellectual_or_mental).no_work_capacity_max_grade.intellectual_mental,
                p.only(disabled & physical).no_work_capacity_max_grade.physical,
                p.only(disabled & visual).no_work_capacity_max_grade.visual,
            ],
            default=0,  # hearing, speech, multiple: not listed
        )
        return disabled & (grade <= limit)
