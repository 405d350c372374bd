import numpy as np
from openfisca_core.periods import MONTH
from openfisca_core.variables import Variable

from openfisca_cn_assist.entities import Person
from openfisca_cn_assist.enums import SelfCareLevel
from openfisca_cn_assist.inputs import checked
from openfisca_cn_assist.lookup import by_jurisdiction, where_by_jurisdiction


class disability_care_subsidy(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    unit = "currency-CNY"
    label = "重度残疾人护理补贴 / Care subsidy for a severely disabled person needing long-term care (元/月)"
    reference = "国发〔2015〕52号: 残疾等级被评定为一级、二级且需要长期照护的重度残疾人 (W22); 广西 50 元/月 from 2016 (W22)"

    def formula(person, period, parameters):
        """Certificate grade 1 up to the jurisdiction's limit (2) and a need for long-term care; no means test."""
        grade = checked(person, "disability_grade", period)
        # 52号 defines long-term care by care spending lasting over 6 months; the self-care
        # assessment stands in for it: partly or fully dependent (半护理, 全护理) needs long-term care.
        care_level = person("self_care_level", period)
        long_term_care = (care_level == SelfCareLevel.partial_care) | (care_level == SelfCareLevel.full_care)
        candidate = (grade >= 1) & long_term_care
        max_grade = by_jurisdiction(person, period, "disability.care_subsidy_max_grade", where=candidate)
        with np.errstate(invalid="ignore"):  # rows outside the candidates may have no limit (NaN)
            eligible = candidate & (grade <= max_grade)
        return where_by_jurisdiction(person, period, "disability.care_subsidy_amount", eligible)
