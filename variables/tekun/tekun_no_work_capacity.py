from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.entities import Person
from openfisca_cn_assist.engine.variable import Variable


class tekun_no_work_capacity(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "无劳动能力 / No work capacity: old enough, a minor, or disabled as the 特困 criteria list"
    reference = (
        "特困人员认定: 60周岁以上的老年人、未满18周岁的未成年人、一至三级智力和精神残疾人、"
        "一二级肢体残疾人、一级视力残疾人 (W15; POLICY_REFERENCE §3.6)"
    )

    explanation = {
        True: {
            "zh": "① 无劳动能力：满足（{tekun_old_enough:text}；{tekun_minor:text}；{tekun_severely_disabled:text}）",
            "en": "(a) No work capacity: met ({tekun_old_enough:text}; {tekun_minor:text}; "
            "{tekun_severely_disabled:text})",
        },
        False: {
            "zh": "① 无劳动能力：不满足（{tekun_old_enough:text}；{tekun_minor:text}；{tekun_severely_disabled:text}）",
            "en": "(a) No work capacity: not met ({tekun_old_enough:text}; {tekun_minor:text}; "
            "{tekun_severely_disabled:text})",
            "short": {"zh": "有劳动能力", "en": "can work"},
        },
    }

    def formula(person, period, parameters):
        return (
            person("tekun_old_enough", period)
            | person("tekun_minor", period)
            | person("tekun_severely_disabled", period)
        )
