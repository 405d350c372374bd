from openfisca_core.periods import MONTH
from openfisca_core.variables import Variable

from openfisca_cn_assist.entities import Person
from openfisca_cn_assist.lookup import where_by_jurisdiction


class one_off_living_subsidy(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    unit = "currency-CNY"
    label = "一次性生活补贴 / One-off living subsidy paid this month to a 低保 or 特困 person (元)"
    reference = "西双版纳 2022: 按照100元/人的标准, 为全州22746名城乡低保对象、特困人员增发一次性生活补贴 (S0)"

    def formula(person, period, parameters):
        """A 低保 or 特困 person receives the amount the jurisdiction pays in this month (0 where no payment is decided)."""
        covered = person("dibao_covered_person", period) | person("tekun_eligible", period)
        return where_by_jurisdiction(person, period, "one_off.living_subsidy_amount", covered)
