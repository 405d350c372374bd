"""A person's monthly amounts (元/month): five disjoint income parts and rigid expenditures.

A yearly input is divided over its twelve months.
"""

from openfisca_core.holders import set_input_divide_by_period
from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.entities import Person
from openfisca_cn_assist.engine.variable import Variable


class wage_income(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    set_input = set_input_divide_by_period
    unit = "currency-CNY"
    label = "工资性收入 / Wage income (元/月)"
    reference = "家庭收入: 工资性、经营净、财产净、转移净收入 (POLICY_REFERENCE §3.1; W23)"


class business_income(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    set_input = set_input_divide_by_period
    unit = "currency-CNY"
    label = "经营净收入 / Net business income (元/月)"
    reference = "家庭收入: 工资性、经营净、财产净、转移净收入 (POLICY_REFERENCE §3.1; W23)"


class property_income(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    set_input = set_input_divide_by_period
    unit = "currency-CNY"
    label = "财产净收入 / Net property income (元/月)"
    reference = "家庭收入: 工资性、经营净、财产净、转移净收入 (POLICY_REFERENCE §3.1; W23)"


class transfer_income(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    set_input = set_input_divide_by_period
    unit = "currency-CNY"
    label = "转移净收入(不含基础养老金) / Net transfer income, excluding the basic pension (元/月)"
    reference = "家庭收入: 工资性、经营净、财产净、转移净收入 (POLICY_REFERENCE §3.1; W23)"


class basic_pension_income(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    set_input = set_input_divide_by_period
    unit = "currency-CNY"
    label = "城乡居民基本养老保险基础养老金 / Centrally set basic part of the residents' pension (元/月)"
    reference = "汉民发〔2021〕52号: 基础养老金不计入低保家庭、特困人员收入 (十四五)"


class medical_expenses(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    set_input = set_input_divide_by_period
    unit = "currency-CNY"
    label = "医疗支出 / Medical expenses, a rigid expenditure (元/月)"
    reference = "刚性支出扣减 (S0); 刚性支出 = 生活、医疗、教育、康复… (W12)"


class education_expenses(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    set_input = set_input_divide_by_period
    unit = "currency-CNY"
    label = "教育支出 / Education expenses, a rigid expenditure (元/月)"
    reference = "刚性支出扣减 (S0); 刚性支出 = 生活、医疗、教育、康复… (W12)"
