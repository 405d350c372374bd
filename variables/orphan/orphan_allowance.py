import numpy as np
from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.accessor import jurisdictional
from openfisca_cn_assist.engine.entities import Person
from openfisca_cn_assist.engine.enums import ChildCareStatus
from openfisca_cn_assist.engine.outputs import Output


class orphan_allowance(Output):
    value_type = float
    entity = Person
    definition_period = MONTH
    unit = "currency-CNY"
    label = "孤儿基本生活保障金 / Basic living allowance of an orphan or a de facto unsupported child (元/月)"
    reference = (
        "贺州: 散居孤儿 600 → 900 元/月, 机构供养孤儿 1000 → 1300 元/月; "
        "提高孤儿、事实无人抚养儿童根本生活养育标准每月100元 (S3, 贺民规〔2020〕3号)"
    )
    # What this output is and where it is listed: every list of outputs is generated from these (engine/outputs.py).
    programme = "orphan"
    kind = "money"
    order = 300
    shown_in = ("cli", "microsim")
    short_label = ("孤儿基本生活保障金", "orphan allowance")
    # chosen by the child's status: each names the standard the formula pays it
    explanation = {
        ("child_care_status", "none"): None,
        ("child_care_status", "orphan_institutional"): {
            "zh": "{child_care_status} → 孤儿基本生活保障金 {value} 元/月（{orphan.standard_institutional:label}）",
            "en": "{child_care_status} → orphan allowance {value} a month ({orphan.standard_institutional:label})",
        },
        ("child_care_status", "orphan_scattered"): {
            "zh": "{child_care_status} → 孤儿基本生活保障金 {value} 元/月（{orphan.standard_scattered:label}）",
            "en": "{child_care_status} → orphan allowance {value} a month ({orphan.standard_scattered:label})",
        },
        ("child_care_status", "de_facto_unsupported"): {
            "zh": "{child_care_status} → 孤儿基本生活保障金 {value} 元/月"
            "（{orphan.de_facto_unsupported_at_scattered_standard:label}；{orphan.standard_scattered:label}）",
            "en": "{child_care_status} → orphan allowance {value} a month "
            "({orphan.de_facto_unsupported_at_scattered_standard:label}; {orphan.standard_scattered:label})",
        },
    }

    def defined_for(person, period):
        """Orphans and de facto unsupported children."""
        return person("child_care_status", period) != ChildCareStatus.none

    def formula(person, period, parameters):
        """An orphan receives the institutional or scattered standard; a de facto unsupported child the
        scattered one, where the jurisdiction pays them at it."""
        p = jurisdictional(person, period).orphan
        status = person("child_care_status", period)
        institutional = status == ChildCareStatus.orphan_institutional
        de_facto = status == ChildCareStatus.de_facto_unsupported
        at_scattered_standard = p.only(de_facto).de_facto_unsupported_at_scattered_standard
        scattered = (status == ChildCareStatus.orphan_scattered) | (de_facto & at_scattered_standard)
        institutional_standard = np.where(institutional, p.only(institutional).standard_institutional, 0)
        return np.where(scattered, p.only(scattered).standard_scattered, institutional_standard)
