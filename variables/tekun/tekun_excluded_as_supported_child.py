from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.entities import Person
from openfisca_cn_assist.engine.enums import ChildCareStatus
from openfisca_cn_assist.engine.variable import Variable


class tekun_excluded_as_supported_child(Variable):
    """A child under 孤儿 or 事实无人抚养儿童 basic-living support, who is not also recognised as 特困.

    Covered means a recognised status in child_care_status (孤儿, institutional or scattered, or 事实无人
    抚养儿童): the status is the recognition that brings the support, and both are children's statuses
    (孤儿 and 事实无人抚养儿童 are minors by definition), so no age is tested. The rule is taken at every
    date: the 2021 特困人员认定办法 is the text cited for it (not retrieved, R), and no earlier text lets a
    child hold both (贺州's 十三五 summary lists 孤儿保障 and 特困供养 as separate supports, S3).
    """

    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "已纳入孤儿保障的未成年人 / A child under orphan or de facto unsupported child support (not also 特困)"
    reference = (
        "特困人员认定办法 (民政部, 2021): 已纳入孤儿、事实无人抚养儿童基本生活保障范围的未成年人, 不再认定为特困人员 "
        "(text not retrieved: R; POLICY_REFERENCE §5.2)"
    )

    explanation = {
        True: {
            "zh": "已纳入孤儿或事实无人抚养儿童基本生活保障，不再认定为特困",
            "en": "under orphan or de facto unsupported child support: not also tekun",
            "short": {"zh": "已享受孤儿保障", "en": "under orphan support"},
        },
        False: None,
    }

    def formula(person, period, parameters):
        return person("child_care_status", period) != ChildCareStatus.none
