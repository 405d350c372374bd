from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.accessor import jurisdictional
from openfisca_cn_assist.engine.entities import Person
from openfisca_cn_assist.engine.inputs import checked
from openfisca_cn_assist.engine.variable import Variable


class excluded_basic_pension(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    unit = "currency-CNY"
    label = "不计入收入的基础养老金 / Basic pension not counted as income (元/月)"
    reference = "汉民发〔2021〕52号: “十四五”时期中央确定的城乡居民基本养老保险基础养老金不计入低保家庭、特困人员收入"

    explanation = {
        True: {
            "zh": "基础养老金 {value} 元：不计入（规则：{income.basic_pension_excluded:label}）",
            "en": "Basic pension {value}: not counted (rule: {income.basic_pension_excluded:label})",
        },
        False: {
            "zh": "基础养老金 {basic_pension_income} 元：计入（此时当地不适用：{income.basic_pension_excluded:label}）",
            "en": "Basic pension {basic_pension_income}: counted (not in force here at this date: "
            "{income.basic_pension_excluded:label})",
        },
    }

    def formula(person, period, parameters):
        """The basic pension is ignored where and while the jurisdiction excludes it."""
        pension = checked(person, "basic_pension_income", period)
        excluded = jurisdictional(person, period).income.only(pension > 0).basic_pension_excluded
        return pension * excluded
