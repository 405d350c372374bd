from openfisca_core.periods import MONTH
from openfisca_core.variables import Variable

from openfisca_cn_assist.entities import Person
from openfisca_cn_assist.inputs import checked
from openfisca_cn_assist.lookup import where_by_jurisdiction


class disability_living_subsidy(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    unit = "currency-CNY"
    label = "困难残疾人生活补贴 / Living subsidy for a disabled person in a 低保 household (元/月)"
    reference = "国发〔2015〕52号: 困难残疾人生活补贴对象为低保家庭中的残疾人 (W22); 广西 50 元/月 from 2016 (W22)"

    def formula(person, period, parameters):
        """A certified disabled person (grade 1–4) in a 低保 household, or covered by 低保 alone, receives the amount."""
        grade = checked(person, "disability_grade", period)
        in_dibao = person.household("dibao_recipient", period) | person("dibao_covered_person", period)
        eligible = (grade >= 1) & (grade <= 4) & in_dibao
        return where_by_jurisdiction(person, period, "disability.living_subsidy_amount", eligible)
