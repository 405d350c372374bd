import numpy as np
from openfisca_core.periods import MONTH
from openfisca_core.variables import Variable

from openfisca_cn_assist.engine.entities import Person
from openfisca_cn_assist.engine.enums import SelfCareLevel
from openfisca_cn_assist.engine.inputs import checked
from openfisca_cn_assist.engine.lookup import at_rows, breakdown_at_rows, by_jurisdiction


class disability_care_subsidy(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    unit = "currency-CNY"
    label = "重度残疾人护理补贴 / Care subsidy for a severely disabled person needing long-term care (元/月)"
    reference = (
        "国发〔2015〕52号: 残疾等级被评定为一级、二级且需要长期照护的重度残疾人 (W22); amounts by province: 广西 50 "
        "(2016), 桂民发〔2025〕25号; 青海 (2025); 云民发〔2026〕2号 and 陕政发〔2016〕2号 grade 1 / grade 2"
    )

    def formula(person, period, parameters):
        """Certificate grade 1 up to the jurisdiction's limit (2) and a need for long-term care; no means test.
        Grade 2 receives the grade-2 amount where the jurisdiction sets one, else the general amount."""
        grade = checked(person, "disability_grade", period)
        # 52号 defines long-term care by care spending lasting over 6 months; the self-care
        # assessment stands in for it: partly or fully dependent (半护理, 全护理) needs long-term care.
        care_level = person("self_care_level", period)
        long_term_care = (care_level == SelfCareLevel.partial_care) | (care_level == SelfCareLevel.full_care)
        candidate = (grade >= 1) & long_term_care
        max_grade = by_jurisdiction(person, period, "disability.care_subsidy_max_grade", where=candidate)
        with np.errstate(invalid="ignore"):  # rows outside the candidates may have no limit (NaN)
            rows = np.flatnonzero(candidate & (grade <= max_grade))
        amount = np.full(len(rows), np.nan)
        # A grade-2 amount that no jurisdiction in the chain sets reads NaN: grade 2 takes the general amount.
        grade_2 = grade[rows] == 2
        amount[grade_2] = breakdown_at_rows(person, period, "disability.care_subsidy_amount_grade_2", rows[grade_2])
        general = np.isnan(amount)
        amount[general] = at_rows(person, period, "disability.care_subsidy_amount", rows[general])
        subsidy = np.zeros(person.count)
        subsidy[rows] = amount
        return subsidy
