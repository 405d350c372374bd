from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.entities import Person
from openfisca_cn_assist.engine.variable import Variable


class tekun_no_livelihood(Variable):
    """Own countable income below the 低保 standard, and property within the local limits.

    The property test reads the household's property_within_limits: property is an input for the
    household (no source gives a limit, and no person-level assessment is an input), which for a 特困
    person living alone is the person's own property.
    """

    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "无生活来源 / No livelihood: own countable income below the dibao standard, property within the limits"
    reference = (
        "特困人员认定: 收入低于当地最低生活保障标准 (W15); property within the local 特困 limits (W15; "
        "POLICY_REFERENCE §3.6)"
    )

    explanation = {
        True: {
            "zh": "② 无生活来源：满足（本人可计收入 {own_countable_income} 元 < 低保标准 {dibao_standard} 元）",
            "en": "(b) No livelihood: met (own countable income {own_countable_income} < dibao standard {dibao_standard})",
        },
        False: {
            "zh": "② 无生活来源：不满足（本人可计收入 {own_countable_income} 元，低保标准 {dibao_standard} 元"
            "{property_within_limits:text}）",
            "en": "(b) No livelihood: not met (own countable income {own_countable_income}, dibao standard "
            "{dibao_standard}{property_within_limits:text})",
            "short": {"zh": "有生活来源", "en": "has a livelihood"},
        },
    }

    def formula(person, period, parameters):
        below = person("own_countable_income", period) < person.household("dibao_standard", period)
        return below & person.household("property_within_limits", period)
