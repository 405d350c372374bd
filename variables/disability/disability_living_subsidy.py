import numpy as np
from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.accessor import jurisdictional
from openfisca_cn_assist.engine.entities import Person
from openfisca_cn_assist.engine.inputs import checked
from openfisca_cn_assist.engine.outputs import Output


class disability_living_subsidy(Output):
    value_type = float
    entity = Person
    definition_period = MONTH
    unit = "currency-CNY"
    label = "困难残疾人生活补贴 / Living subsidy for a disabled person in a 低保 household (元/月)"
    reference = (
        "国发〔2015〕52号: 困难残疾人生活补贴对象为低保家庭中的残疾人 (W22); amounts by province: 广西 50 (2016), "
        "桂民发〔2025〕25号; 青海 grades 1–2 / 3–4 (2025); 云民发〔2026〕2号; 陕政发〔2016〕2号 under 18 / from 18"
    )
    # What this output is and where it is listed: every list of outputs is generated from these (engine/outputs.py).
    programme = "disability"
    kind = "money"
    order = 400
    shown_in = ("cli", "microsim")
    short_label = ("困难残疾人生活补贴", "disability living subsidy")

    def defined_for(person, period):
        """A certified disabled person (grade 1–4) in a 低保 household, or covered by 低保 alone."""
        grade = checked(person, "disability_grade", period)
        in_dibao = person.household("dibao_recipient", period) | person("dibao_covered_person", period)
        return (grade >= 1) & (grade <= 4) & in_dibao

    def formula(person, period, parameters):
        """The minors' amount or the grades 3–4 amount where the jurisdiction sets one, else the general one."""
        p = jurisdictional(person, period).disability
        # Breakdowns that no jurisdiction in the chain sets read NaN (no age limit: nobody is a minor here);
        # those rows take the general amount.
        minor = person("age", period) < p.if_set.living_subsidy_minor_age_limit
        band = ~minor & (checked(person, "disability_grade", period) >= 3)
        amount = np.select(
            [minor, band],
            [p.if_set.only(minor).living_subsidy_amount_minor, p.if_set.only(band).living_subsidy_amount_grades_3_4],
            default=np.nan,
        )
        general = np.isnan(amount)
        return np.where(general, p.only(general).living_subsidy_amount, amount)
