import numpy as np
from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.entities import Person
from openfisca_cn_assist.engine.enums import ChildCareStatus
from openfisca_cn_assist.engine.lookup import flag_by_jurisdiction, where_by_jurisdiction
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

    def formula(person, period, parameters):
        """An orphan receives the institutional or scattered standard; a de facto unsupported child the
        scattered one, where the jurisdiction pays them at it."""
        status = person("child_care_status", period)
        institutional = status == ChildCareStatus.orphan_institutional
        de_facto = status == ChildCareStatus.de_facto_unsupported
        at_scattered_standard = flag_by_jurisdiction(
            person, period, "orphan.de_facto_unsupported_at_scattered_standard", where=de_facto
        )
        scattered = (status == ChildCareStatus.orphan_scattered) | (de_facto & at_scattered_standard)
        institutional_standard = where_by_jurisdiction(person, period, "orphan.standard_institutional", institutional)
        scattered_standard = where_by_jurisdiction(person, period, "orphan.standard_scattered", scattered)
        return np.where(scattered, scattered_standard, institutional_standard)  # the two groups do not overlap
