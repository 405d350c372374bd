from openfisca_core.periods import MONTH
from openfisca_core.variables import Variable

from openfisca_cn_assist.entities import Person
from openfisca_cn_assist.lookup import flag_by_jurisdiction


class dibao_single_person_unit(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "单人户纳入低保 / Covered by 低保 alone: a severely disabled or seriously ill member of a 低保边缘 family, assessed on own income"
    reference = "青海: 将低保边缘家庭中的重病重残人员单独纳入低保范围 (S1); 汉中: 可参照“单人户”纳入低保范围 (S2)"

    def formula(person, period, parameters):
        """Where allowed: not 特困, in a marginal family, and own countable income below the standard."""
        severe = person("is_severely_disabled", period) | person("has_serious_illness", period)
        allowed = flag_by_jurisdiction(person, period, "dibao.single_person_unit_allowed", where=severe)
        candidate = severe & allowed & ~person("tekun_eligible", period)
        if not candidate.any():
            # Where no one can be a 单人户 the marginal-family test, and its parameters, are not needed.
            return candidate
        below = person("own_countable_income", period) < person.household("dibao_standard", period)
        return candidate & below & person.household("dibao_marginal_family", period)
