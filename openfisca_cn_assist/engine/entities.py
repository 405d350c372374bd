"""Entities: a person, and the household (共同生活的家庭成员) whose income is pooled."""

from openfisca_core.entities import build_entity

Person = build_entity(
    key="person",
    plural="persons",
    label="个人 / Person",
    doc="A person: a member of one household.",
    is_person=True,
)

Household = build_entity(
    key="household",
    plural="households",
    label="家庭 / Household",
    doc=(
        "共同生活的家庭成员: the co-resident family whose income and property are pooled "
        "for the means test. It carries the jurisdiction and urban/rural area."
    ),
    roles=[
        {
            "key": "member",
            "plural": "members",
            "label": "家庭成员 / Member",
            "doc": "Every person of the household.",
        }
    ],
)

entities = [Household, Person]
