import numpy as np
from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.dibao_classes import class_amounts_at
from openfisca_cn_assist.engine.entities import Person
from openfisca_cn_assist.engine.outputs import Output


class dibao_single_person_benefit(Output):
    value_type = float
    entity = Person
    definition_period = MONTH
    unit = "currency-CNY"
    label = "单人户低保金 / 低保 benefit of a person covered alone (元/月)"
    reference = "单人户 (S1, S2); payment as for a household of one (民发〔2021〕57号 第二十三条)"
    # What this output is and where it is listed: every list of outputs is generated from these (engine/outputs.py).
    programme = "dibao"
    kind = "money"
    order = 150
    shown_in = ("microsim",)
    short_label = ("单人户低保金", "single-person dibao benefit")

    def formula(person, period, parameters):
        """A household of one: the gap to the standard, or the person's class amount where paid by class."""
        unit = person("dibao_single_person_unit", period)
        households = person.simulation.populations["household"]
        by_class = households("dibao_pays_by_class", period)
        standard = households("dibao_standard", period)
        own_income = person("own_countable_income", period)
        # Worked out for the 单人户 persons only (very few).
        rows = np.flatnonzero(unit)
        household = households.members_entity_id[rows]
        benefit = np.zeros(person.count)
        benefit[rows] = standard[household] - own_income[rows]
        by_class_rows = rows[by_class[household]]
        benefit[by_class_rows] = class_amounts_at(person, period, by_class_rows, "persons covered as a 单人户")
        return benefit
