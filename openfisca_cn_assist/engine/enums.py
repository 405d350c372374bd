"""Enumerations shared by inputs and formulas. Member names are the public input values."""

from __future__ import annotations

import sys

import numpy as np
from openfisca_core.indexed_enums import Enum
from openfisca_core.indexed_enums.config import ENUM_ARRAY_DTYPE

# The versions whose enum module indexed_enum's fast path follows (tests/python/test_cold_start.py compares it with
# the functional API); on any other, the functional API builds the enum.
_FAST_ENUM_VERSIONS = ((3, 11), (3, 12), (3, 13))


def indexed_enum(base: type[Enum], name: str, members: list[tuple[str, str]], module: str) -> type[Enum]:
    """``base(name, members, module=module)``, the same enum built four times faster for thousands of members.

    Python's enum machinery costs about 6 µs a member (0.04 s of a cold start for the 6,824 jurisdictions). For
    members that neither shadow an attribute of the class nor repeat a value, it comes down to what is done here:
    create each member, give it its name, value, openfisca index and order, and list it in the class's maps. Any
    other case (an alias, a shadowing name) goes through the functional API, as does any other Python version.
    """
    names = [n for n, _ in members]
    values = [v for _, v in members]
    shadowed = set().union(*(vars(c) for c in base.__mro__))
    simple = (
        sys.version_info[:2] in _FAST_ENUM_VERSIONS
        and len(set(names)) == len(names)
        and len(set(values)) == len(values)
        and shadowed.isdisjoint(names)
        and not any(n.startswith("_") for n in names)
        and base._new_member_ is object.__new__
        and not base._use_args_
        and base._member_type_ is object
        and base.__init__ is Enum.__init__
    )
    if not simple:
        return base(name, members, module=module)
    meta = type(base)  # the functional API's own steps, for a class without members
    body = meta.__prepare__(name, (base,))
    body["__module__"] = module
    cls = meta(name, (base,), body)
    made = []
    for order, (member_name, value) in enumerate(members):
        member = object.__new__(cls)
        # The attributes enum's member creation sets, in its order; ``index`` is what openfisca's Enum.__init__
        # sets (the number of members before this one), as the condition above checked that it is that __init__.
        vars(member).update(_value_=value, _name_=member_name, __objclass__=cls, index=order, _sort_order_=order)
        made.append(member)
    cls._member_names_.extend(names)
    cls._member_map_.update(zip(names, made))
    cls._value2member_map_.update(zip(values, made))
    for member_name, member in zip(names, made):  # after the loop above: each set empties the type's lookup cache
        type.__setattr__(cls, member_name, member)
    # What openfisca's EnumType adds to a class created with members.
    type.__setattr__(cls, "indices", np.arange(len(made), dtype=ENUM_ARRAY_DTYPE))
    type.__setattr__(cls, "names", np.array(names, dtype=np.str_))
    enums = np.empty(len(made), dtype=object)
    enums[:] = made
    type.__setattr__(cls, "enums", enums)
    return cls


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
