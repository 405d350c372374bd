import numpy as np
from openfisca_core.periods import MONTH
from openfisca_core.variables import Variable

from openfisca_cn_assist.engine.entities import Person
from openfisca_cn_assist.engine.enums import Area
from openfisca_cn_assist.engine.lookup import at_rows, require_any


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
        households = person.simulation.populations["household"]
        # Worked out for the eligible persons only (a few per cent of all).
        rows = np.flatnonzero(eligible)
        household = households.members_entity_id[rows]
        urban = households("area", period)[household] == Area.urban.index
        own_urban = at_rows(person, period, "tekun.basic_standard_urban", rows, required=False)
        own_rural = at_rows(person, period, "tekun.basic_standard_rural", rows, required=False)
        ratio = at_rows(person, period, "tekun.basic_ratio_to_dibao", rows, required=False)
        from_ratio = ratio * households("dibao_standard", period)[household]
        basic = np.zeros(person.count)
        basic[rows] = np.fmax(np.where(urban, own_urban, own_rural), from_ratio)
        require_any(
            person,
            period,
            basic,
            eligible,
            ["tekun.basic_standard_urban", "tekun.basic_standard_rural", "tekun.basic_ratio_to_dibao"],
        )
        return basic
