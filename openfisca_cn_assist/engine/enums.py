"""Enumerations shared by inputs and formulas. Member names are the public input values."""

from openfisca_core.indexed_enums import Enum


def member_lookup(enum: type[Enum]) -> dict[str, int]:
    """Every name an input may use for a member, to its index: the member names and their aliases (the
    jurisdiction enum's division codes). Built once per enum."""
    lookup = enum.__dict__.get("_input_lookup")
    if lookup is None:
        lookup = {name: member.index for name, member in enum.__members__.items()}
        type.__setattr__(enum, "_input_lookup", lookup)
    return lookup


def allowed_values(enum: type[Enum], value) -> str | None:
    """For an enum whose members come from the registry (jurisdiction), the did-you-mean and what is expected,
    to follow "unknown value X"; None for the other enums, whose members callers list themselves."""
    registry = getattr(enum, "registry", None)
    if registry is None:
        return None
    from openfisca_cn_assist.engine.division_search import did_you_mean

    return (
        f"{did_you_mean(registry, str(value))}; expected a 6-digit division code (`cn-assist jurisdictions` "
        "searches them) or a project key such as mengla"
    )


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
