from openfisca_core.periods import MONTH
from openfisca_core.variables import Variable

from openfisca_cn_assist.entities import Person


class tekun_eligible(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "特困人员 / Eligible for 特困 support: no work capacity, no livelihood, no able supporter"
    reference = "社会救助暂行办法 第十四条; 特困人员认定办法 (W15)"

    def formula(person, period, parameters):
        return (
            person("tekun_no_work_capacity", period)
            & ~person("has_able_supporter", period)
            & person("tekun_no_livelihood", period)
        )
