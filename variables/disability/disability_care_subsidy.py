import numpy as np
from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.accessor import jurisdictional
from openfisca_cn_assist.engine.entities import Person
from openfisca_cn_assist.engine.enums import SelfCareLevel
from openfisca_cn_assist.engine.inputs import checked
from openfisca_cn_assist.engine.outputs import Output


class disability_care_subsidy(Output):
    value_type = float
    entity = Person
    definition_period = MONTH
    unit = "currency-CNY"
    label = "重度残疾人护理补贴 / Care subsidy for a severely disabled person needing long-term care (元/月)"
    reference = (
        "国发〔2015〕52号: 残疾等级被评定为一级、二级且需要长期照护的重度残疾人 (W22); amounts by province: 广西 50 "
        "(2016), 桂民发〔2025〕25号; 青海 (2025); 云民发〔2026〕2号 and 陕政发〔2016〕2号 grade 1 / grade 2"
    )
    # What this output is and where it is listed: every list of outputs is generated from these (engine/outputs.py).
    programme = "disability"
    kind = "money"
    order = 410
    shown_in = ("cli", "microsim")
    short_label = ("重度残疾人护理补贴", "disability care subsidy")

    def defined_for(person, period):
        """Certificate grade 1 or more and a need for long-term care."""
        grade = checked(person, "disability_grade", period)
        # 52号 defines long-term care by care spending lasting over 6 months; the self-care
        # assessment stands in for it: partly or fully dependent (半护理, 全护理) needs long-term care.
        care_level = person("self_care_level", period)
        long_term_care = (care_level == SelfCareLevel.partial_care) | (care_level == SelfCareLevel.full_care)
        return (grade >= 1) & long_term_care

    def formula(person, period, parameters):
        """Certificate grade up to the jurisdiction's limit (2); no means test. Grade 2 receives the grade-2
        amount where the jurisdiction sets one, else the general amount."""
        p = jurisdictional(person, period).disability
        grade = checked(person, "disability_grade", period)
        within = grade <= p.care_subsidy_max_grade
        # A grade-2 amount that no jurisdiction in the chain sets reads NaN: grade 2 takes the general amount.
        grade_2 = within & (grade == 2)
        amount = np.where(grade_2, p.if_set.only(grade_2).care_subsidy_amount_grade_2, np.nan)
        general = within & np.isnan(amount)
        amount = np.where(general, p.only(general).care_subsidy_amount, amount)
        return np.where(within, amount, 0)
