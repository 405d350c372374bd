from openfisca_core.holders import set_input_dispatch_by_period
from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.entities import Person
from openfisca_cn_assist.engine.enums import ChildCareStatus
from openfisca_cn_assist.engine.variable import Variable


class child_care_status(Variable):
    """A recognised orphan (institutional or scattered) or de facto unsupported child; a yearly input holds each month."""

    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    value_type = Enum
    possible_values = ChildCareStatus
    default_value = ChildCareStatus.none
    label = "孤儿及事实无人抚养儿童身份 / Orphan (institutional or scattered) or de facto unsupported child"
    reference = "孤儿基本生活保障; 事实无人抚养儿童 (S3 贺民规〔2020〕3号; POLICY_REFERENCE §3.10)"
