"""A person's circumstances in a month: age, work, disability, illness, care needs, support.

A yearly input holds in each of its months.
"""

from openfisca_core.holders import set_input_dispatch_by_period
from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.entities import Person
from openfisca_cn_assist.engine.enums import DibaoClass, DisabilityCategory, SelfCareLevel
from openfisca_cn_assist.engine.variable import Variable


class age(Variable):
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    value_type = int
    default_value = 30
    label = "年龄 / Age in whole years"
    reference = "特困人员认定: 60 周岁以上或未满 18 周岁 (W15)"


class is_employed(Variable):
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    value_type = bool
    label = "实现就业 / Employed (for the employment-cost deduction)"
    reference = "汉民发〔2021〕52号: 对实现就业的低保对象…可适当扣除必要的就业成本"


class disability_grade(Variable):
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    value_type = int
    default_value = 0
    label = "残疾等级 / Disability certificate grade (0 none, 1 most severe … 4)"
    reference = "中华人民共和国残疾人证 grades 1–4"


class disability_category(Variable):
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    value_type = Enum
    possible_values = DisabilityCategory
    default_value = DisabilityCategory.none
    label = "残疾类别 / Disability category"
    reference = "中华人民共和国残疾人证 categories"


class has_serious_illness(Variable):
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    value_type = bool
    label = "重病患者 / Has a disease on the 大病专项救治病种目录"
    reference = "汉民发〔2021〕52号: 重病患者 definition"


class self_care_level(Variable):
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    value_type = Enum
    possible_values = SelfCareLevel
    default_value = SelfCareLevel.self_care
    label = "生活自理能力 / Self-care level (全自理, 半护理, 全护理)"
    reference = "特困人员照料护理标准 by self-care level (S2, S3)"


class has_able_supporter(Variable):
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    value_type = bool
    label = "有具备能力的法定赡养、抚养、扶养义务人 / Has a legal supporter able to support"
    reference = "特困人员认定: 无法定义务人或其无履行义务能力 (W15)"
    # the third 特困 condition (tekun_eligible), met when there is none
    explanation = {
        True: {
            "zh": "③ 无法定赡养、抚养、扶养义务人或其无履行能力：不满足（有具备能力的义务人）",
            "en": "(c) No legal supporter able to support: not met (has one)",
            "short": {"zh": "有赡养人", "en": "has a supporter"},
        },
        False: {
            "zh": "③ 无法定赡养、抚养、扶养义务人或其无履行能力：满足",
            "en": "(c) No legal supporter able to support: met",
        },
    }


class dibao_class(Variable):
    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    value_type = Enum
    possible_values = DibaoClass
    default_value = DibaoClass.unclassified
    label = "低保类别 / 低保 class (A, B, C) where the jurisdiction pays by class"
    reference = "云南农村低保 A/B/C 类分档发放 (S0; W20)"
