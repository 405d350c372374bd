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


class TemporaryAssistanceApprovalLevel(Enum):
    township = "乡镇(街道)审批 / Approved by the township, within its approval limit"
    county = "县级审批 / Approved by the county, above the township limit and within the cap"
    case_by_case = "一事一议 / Decided case by case, above the cap"


class ChildCareStatus(Enum):
    none = "无 / None"
    orphan_institutional = "机构养育孤儿 / Orphan raised in an institution"
    orphan_scattered = "社会散居孤儿 / Orphan living in a family or the community (scattered)"
    de_facto_unsupported = "事实无人抚养儿童 / De facto unsupported child"
