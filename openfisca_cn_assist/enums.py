"""Enumerations shared by inputs and formulas. Member names are the public input values."""

from openfisca_core.indexed_enums import Enum


class Area(Enum):
    urban = "城市 / Urban"
    rural = "农村 / Rural"


class DisabilityCategory(Enum):
    none = "无 / None"
    physical = "肢体 / Physical"
    visual = "视力 / Visual"
    hearing = "听力 / Hearing"
    speech = "言语 / Speech"
    intellectual = "智力 / Intellectual"
    mental = "精神 / Mental"
    multiple = "多重 / Multiple"


class SelfCareLevel(Enum):
    self_care = "全自理 / Fully self-caring"
    partial_care = "半护理 / Partly dependent"
    full_care = "全护理 / Fully dependent"


class DibaoClass(Enum):
    unclassified = "未分类 / Unclassified"
    a = "A类 / Class A"
    b = "B类 / Class B"
    c = "C类 / Class C"
