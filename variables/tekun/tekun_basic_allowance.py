import numpy as np
from openfisca_core.periods import MONTH
from openfisca_core.variables import Variable

from openfisca_cn_assist.entities import Person
from openfisca_cn_assist.enums import Area
from openfisca_cn_assist.lookup import by_jurisdiction, require_any


class tekun_basic_allowance(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    unit = "currency-CNY"
    label = "特困基本生活费 / Monthly 特困 basic living allowance (元/月)"
    reference = "汉民发〔2021〕52号: 不低于我市低保标准的1.3倍; 贺州: 按照城乡最低生活保障标准的1.3倍发放"

    def formula(person, period, parameters):
        """The larger of the jurisdiction's own standard and its multiple of the dibao standard, where defined."""
        eligible = person("tekun_eligible", period)
        urban = person.household("area", period) == Area.urban
        own_urban = by_jurisdiction(person, period, "tekun.basic_standard_urban", required=False)
        own_rural = by_jurisdiction(person, period, "tekun.basic_standard_rural", required=False)
        ratio = by_jurisdiction(person, period, "tekun.basic_ratio_to_dibao", required=False)
        from_ratio = ratio * person.household("dibao_standard", period)
        basic = np.fmax(np.where(urban, own_urban, own_rural), from_ratio)
        require_any(
            person,
            period,
            basic,
            eligible,
            ["tekun.basic_standard_urban", "tekun.basic_standard_rural", "tekun.basic_ratio_to_dibao"],
        )
        return np.where(eligible, basic, 0)
