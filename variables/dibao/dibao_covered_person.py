from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.entities import Person
from openfisca_cn_assist.engine.outputs import Output


class dibao_covered_person(Output):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = (
        "低保对象 / The person is covered by 低保 this month (a counted member of a recipient household, or a 单人户)"
    )
    reference = "民发〔2021〕57号: 低保对象; 单人户 (S1, S2)"
    # What this output is and where it is listed: every list of outputs is generated from these (engine/outputs.py).
    programme = "dibao"
    kind = "status"
    order = 160
    shown_in = ("microsim",)

    def formula(person, period, parameters):
        counted_member = person.household("dibao_recipient", period) & ~person("tekun_eligible", period)
        return counted_member | person("dibao_single_person_unit", period)
