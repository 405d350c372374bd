from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.entities import Person
from openfisca_cn_assist.engine.enums import SelfCareLevel
from openfisca_cn_assist.engine.variable import Variable


class disability_long_term_care(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "需长期照护 / Needs long-term care (partly or fully dependent)"
    reference = "国发〔2015〕52号: 需要长期照护 (W22): care spending lasting over 6 months, read as 半护理 or 全护理"
    explanation = {
        True: {"zh": "{self_care_level}，需长期照护", "en": "{self_care_level}: needs long-term care"},
        False: {"zh": "{self_care_level}，不需长期照护", "en": "{self_care_level}: no long-term care needed"},
    }

    def formula(person, period, parameters):
        # 52号 defines long-term care by care spending lasting over 6 months; the self-care assessment stands in
        # for it: partly or fully dependent (半护理, 全护理) needs long-term care.
        care_level = person("self_care_level", period)
        return (care_level == SelfCareLevel.partial_care) | (care_level == SelfCareLevel.full_care)
