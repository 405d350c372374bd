from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.entities import Person
from openfisca_cn_assist.engine.outputs import Output


class tekun_eligible(Output):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "特困人员 / Eligible for 特困 support: no work capacity, no livelihood, no able supporter"
    reference = (
        "社会救助暂行办法 第十四条; 特困人员认定办法 (W15); a child under 孤儿 or 事实无人抚养儿童 support is not "
        "also 特困 (特困人员认定办法 2021, R; POLICY_REFERENCE §5.2)"
    )
    # What this output is and where it is listed: every list of outputs is generated from these (engine/outputs.py).
    programme = "tekun"
    kind = "status"
    order = 200
    shown_in = ("cli", "microsim", "page")
    explanation = {
        True: {
            "zh": "→ 三项条件均满足，为特困人员",
            "en": "→ all three conditions met: tekun",
            "short": {"zh": "符合", "en": "eligible"},
            "why": {"zh": "本人是特困人员", "en": "they are tekun"},  # why a 特困 member is not also a 单人户
        },
        False: {
            "zh": "→ 不符合特困供养条件",
            "en": "→ not eligible for tekun",
            "short": {"zh": "不符合（{children:short}）", "en": "not eligible ({children:short})"},
        },
    }

    def formula(person, period, parameters):
        """The three 特困 conditions, for a person not already supported as an orphan or unsupported child (read
        in the order of the criteria, which is the order the explanation states them)."""
        return (
            person("tekun_no_work_capacity", period)
            & person("tekun_no_livelihood", period)
            & ~person("has_able_supporter", period)
            & ~person("tekun_excluded_as_supported_child", period)
        )
