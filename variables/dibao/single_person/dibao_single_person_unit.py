from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.entities import Person
from openfisca_cn_assist.engine.outputs import Output


class dibao_single_person_unit(Output):
    """Where allowed: a severely disabled or seriously ill member, not 特困, of a 低保边缘 family, assessed
    alone on own income, and passing the points test as a unit of one where points are used.

    Property: §3.3 tests the person's own property. No person-level property input exists and no
    source gives a limit, so the test is the household's property_within_limits, which the 低保边缘
    condition already requires (a family over the limits is not 低保边缘, so none of its members is a
    单人户). The person's own property is part of the family's.
    """

    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "单人户纳入低保 / Covered by 低保 alone: a severely disabled or seriously ill member of a 低保边缘 family, assessed on own income"
    reference = (
        "青海: 将低保边缘家庭中的重病重残人员单独纳入低保范围 (S1); 汉中: 可参照“单人户”纳入低保范围 (S2); "
        "test p's own income and property (POLICY_REFERENCE §3.3); 玉溪: 通过精准低保积分制…纳入 (S4)"
    )
    # What this output is and where it is listed: every list of outputs is generated from these (engine/outputs.py).
    programme = "dibao"
    kind = "status"
    order = 240
    shown_in = ("cli",)
    explanation = {
        True: {
            "zh": "家庭为低保边缘家庭，{dibao_single_person_income_below:text} → 单独纳入低保",
            "en": "in a marginal family, {dibao_single_person_income_below:text} → covered alone",
        },
        False: {"zh": "不单独纳入低保：{children:why}", "en": "is not covered alone: {children:why}"},
    }

    def formula(person, period, parameters):
        """Where allowed: not 特困, in a marginal family, own countable income below the standard, points passed."""
        # read in the order the explanation gives the reasons: 特困, not allowed here, then the tests;
        # dibao_single_person_allowed is defined for the severely disabled or seriously ill alone (false elsewhere)
        candidate = ~person("tekun_eligible", period) & person("dibao_single_person_allowed", period)
        if not candidate.any():
            # Where no one can be a 单人户 the marginal-family test, and its parameters, are not needed.
            return candidate
        marginal = person.household("dibao_marginal_family", period)
        below = person("dibao_single_person_income_below", period)
        return candidate & marginal & below & person("dibao_single_person_points_pass", period)
