import numpy as np
from openfisca_core.periods import MONTH
from openfisca_core.variables import Variable

from openfisca_cn_assist.engine.entities import Person
from openfisca_cn_assist.engine.inputs import checked
from openfisca_cn_assist.engine.lookup import at_rows, breakdown_at_rows


class disability_living_subsidy(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    unit = "currency-CNY"
    label = "困难残疾人生活补贴 / Living subsidy for a disabled person in a 低保 household (元/月)"
    reference = (
        "国发〔2015〕52号: 困难残疾人生活补贴对象为低保家庭中的残疾人 (W22); amounts by province: 广西 50 (2016), "
        "桂民发〔2025〕25号; 青海 grades 1–2 / 3–4 (2025); 云民发〔2026〕2号; 陕政发〔2016〕2号 under 18 / from 18"
    )

    def formula(person, period, parameters):
        """A certified disabled person (grade 1–4) in a 低保 household, or covered by 低保 alone, receives the
        amount: the minors' amount or the grades 3–4 amount where the jurisdiction sets one, else the general one."""
        grade = checked(person, "disability_grade", period)
        in_dibao = person.household("dibao_recipient", period) | person("dibao_covered_person", period)
        rows = np.flatnonzero((grade >= 1) & (grade <= 4) & in_dibao)  # a few per cent of persons
        amount = np.full(len(rows), np.nan)
        # Breakdowns that no jurisdiction in the chain sets read NaN: those rows take the general amount.
        age_limit = breakdown_at_rows(person, period, "disability.living_subsidy_minor_age_limit", rows)
        with np.errstate(invalid="ignore"):  # no age limit (NaN): nobody is a minor here
            minor = person("age", period)[rows] < age_limit
        amount[minor] = breakdown_at_rows(person, period, "disability.living_subsidy_amount_minor", rows[minor])
        band = ~minor & (grade[rows] >= 3)
        amount[band] = breakdown_at_rows(person, period, "disability.living_subsidy_amount_grades_3_4", rows[band])
        general = np.isnan(amount)
        amount[general] = at_rows(person, period, "disability.living_subsidy_amount", rows[general])
        subsidy = np.zeros(person.count)
        subsidy[rows] = amount
        return subsidy
