"""Explanations (openfisca_cn_assist.serve.explain, cn-assist explain): complete, in both languages, and never
in disagreement with the computation: every number an account states is recomputed independently here."""

import json
import math
import re
from pathlib import Path

import numpy as np
import pytest
from openfisca_core.indexed_enums import EnumArray
from openfisca_core.periods import period
from openfisca_core.simulations import SimulationBuilder

from openfisca_cn_assist.cli.main import main
from openfisca_cn_assist.engine import lookup
from openfisca_cn_assist.engine.lookup import by_jurisdiction, flag_by_jurisdiction
from openfisca_cn_assist.engine.resolver import resolver_for
from openfisca_cn_assist.serve.explain import explain, format_number, household_situation
from openfisca_cn_assist.serve.explain.templates import CONSTANTS

EXAMPLES = Path(__file__).resolve().parents[2] / "openfisca_cn_assist" / "situation_examples"


def example(name):
    return json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))


def one_month(month, persons, household):
    """A one-household situation with every input given for ``month``."""
    return {
        "persons": {pid: {k: {month: v} for k, v in inputs.items()} for pid, inputs in persons.items()},
        "households": {
            "h": {
                "members": list(persons),
                "jurisdiction": {"ETERNITY": household.pop("jurisdiction")},
                **{k: {month: v} for k, v in household.items()},
            }
        },
    }


# 青海 rural 2025-03: 5676 / 12 = 473; income 480 ≥ 473, on 低保 last month, 2nd month above → 渐退
EXIT_QINGHAI = one_month(
    "2025-03",
    {"p": {"age": 45, "wage_income": 480, "has_able_supporter": True}},
    {
        "jurisdiction": "qinghai",
        "area": "rural",
        "dibao_recipient_last_month": True,
        "dibao_months_above_standard": 2,
        "dibao_exit_base_benefit": 300,
    },
)
# 景洪 urban 2022: 低保 in January–February, income rises in March; August is the 6th month of 渐退
EXIT_HISTORY = {
    "persons": {
        "earner": {
            "age": {"2022": 40},
            "has_able_supporter": {"2022": True},
            "wage_income": {f"2022-{m:02d}": (400 if m < 3 else 1600) for m in range(1, 13)},
        },
        "child": {"age": {"2022": 8}, "has_able_supporter": {"2022": True}},
    },
    "households": {
        "h": {"members": ["earner", "child"], "jurisdiction": {"ETERNITY": "jinghong"}, "area": {"2022": "urban"}}
    },
}
# 青海 urban 2025-03: 3147 / 3 = 1049 ≥ 700, < 1.5 × 700 → marginal; the disabled member is covered alone
SINGLE_PERSON = one_month(
    "2025-03",
    {
        "worker": {"age": 45, "wage_income": 3147, "has_able_supporter": True},
        "disabled": {"age": 40, "disability_grade": 1, "disability_category": "physical", "has_able_supporter": True},
        "child": {"age": 9, "has_able_supporter": True},
    },
    {"jurisdiction": "qinghai", "area": "urban"},
)
HANZHONG_MISSING = one_month(
    "2022-08",
    {"p": {"age": 45, "wage_income": 300, "has_able_supporter": True}},
    {"jurisdiction": "hanzhong", "area": "urban"},
)
HANZHONG_AND_JINGHONG = {
    "persons": {
        "p": {"age": {"2022-08": 45}, "wage_income": {"2022-08": 300}, "has_able_supporter": {"2022-08": True}},
        "q": {"age": {"2022-08": 45}, "wage_income": {"2022-08": 300}, "has_able_supporter": {"2022-08": True}},
    },
    "households": {
        "hz": {"members": ["p"], "jurisdiction": {"ETERNITY": "hanzhong"}, "area": {"2022-08": "urban"}},
        "jh": {"members": ["q"], "jurisdiction": {"ETERNITY": "jinghong"}, "area": {"2022-08": "urban"}},
    },
}
# Situations that exercise the other programmes (inputs as in the YAML tests of each programme).
OTHERS = {
    "price_subsidy": (
        {
            "persons": {"p": {"age": {"2022-09": 40}, "has_able_supporter": {"2022-09": True}}},
            "households": {
                "h": {
                    "members": ["p"],
                    "jurisdiction": {"ETERNITY": "xishuangbanna"},
                    "area": {"2022-09": "urban"},
                    "cpi_yoy": {"2022-08": 3.0},
                    "food_cpi_yoy": {"2022-08": 5.0},
                }
            },
        },
        "2022-09",
    ),
    "temporary_assistance": (
        one_month(
            "2025-03",
            {"p": {"age": 40, "wage_income": 2000, "is_employed": True, "has_able_supporter": True}},
            {"jurisdiction": "qinghai", "area": "urban", "temporary_assistance_requested": 8000},
        ),
        "2025-03",
    ),
    "disability": (
        one_month(
            "2016-06",
            {
                "p": {
                    "age": 50,
                    "disability_grade": 2,
                    "disability_category": "physical",
                    "self_care_level": "full_care",
                    "has_able_supporter": True,
                }
            },
            {"jurisdiction": "guangxi", "area": "urban", "dibao_standard": 300},
        ),
        "2016-06",
    ),
    "orphan": (
        one_month(
            "2020-09",
            {
                "i": {"age": 8, "child_care_status": "orphan_institutional"},
                "d": {"age": 9, "child_care_status": "de_facto_unsupported"},
            },
            {"jurisdiction": "hezhou", "area": "urban"},
        ),
        "2020-09",
    ),
    "points": (
        one_month(
            "2024-11",
            {"p1": {"age": 70, "has_able_supporter": True}, "p2": {"age": 40, "wage_income": 735}},
            {"jurisdiction": "eshan", "area": "urban"},
        ),
        "2024-11",
    ),
    "tekun_ratio": (
        one_month(
            "2022-08",
            {"o": {"age": 70, "has_able_supporter": False, "self_care_level": "full_care"}},
            {"jurisdiction": "hanzhong", "area": "urban", "dibao_standard": 600},
        ),
        "2022-08",
    ),
    "one_off_and_tekun_member": (
        one_month(
            "2022-01",
            {
                "o": {"age": 70, "has_able_supporter": False},
                "y": {"age": 40, "wage_income": 200, "has_able_supporter": True, "dibao_class": "c"},
            },
            {"jurisdiction": "jinghong", "area": "rural"},
        ),
        "2022-01",
    ),
    "employment_and_rigid": (
        one_month(
            "2025-03",
            {
                "w": {
                    "age": 40,
                    "wage_income": 100,
                    "business_income": 50,
                    "is_employed": True,
                    "has_able_supporter": True,
                    "medical_expenses": 30,
                },
                "s": {"age": 15, "education_expenses": 20, "has_able_supporter": True},
            },
            {"jurisdiction": "qinghai", "area": "urban"},
        ),
        "2025-03",
    ),
    "rigid_hardship": (
        one_month(
            "2025-03",
            {"p": {"age": 40, "wage_income": 3000, "has_able_supporter": True}},
            {
                "jurisdiction": "qinghai",
                "area": "urban",
                "rigid_expenditure_past_12_months": 30000,
                "previous_year_per_capita_disposable_income": 40000,
                "rigid_expenditure_to_income_threshold": 0.5,
            },
        ),
        "2025-03",
    ),
    # 陕西 2016-06 (陕政发〔2016〕2号): not on 低保 (1000 ≥ 300); care grade 1 120, grade 2 80, grade 3 > 2 none
    "disability_care_grades": (
        one_month(
            "2016-06",
            {
                f"g{grade}": {
                    "age": 40,
                    "disability_grade": grade,
                    "disability_category": "physical",
                    "self_care_level": "full_care",
                    "transfer_income": 1000,
                    "has_able_supporter": True,
                }
                for grade in (1, 2, 3)
            },
            {"jurisdiction": "shaanxi", "area": "urban", "dibao_standard": 300},
        ),
        "2016-06",
    ),
    # 陕西 2016-01: on 低保; living subsidy 100 under 18, 60 from 18
    "disability_minor": (
        one_month(
            "2016-01",
            {
                "child": {
                    "age": 17,
                    "disability_grade": 3,
                    "disability_category": "intellectual",
                    "has_able_supporter": True,
                },
                "adult": {
                    "age": 18,
                    "disability_grade": 3,
                    "disability_category": "intellectual",
                    "has_able_supporter": True,
                },
            },
            {"jurisdiction": "shaanxi", "area": "urban", "dibao_standard": 300},
        ),
        "2016-01",
    ),
    # 玉溪 urban 2022-08: 1800 / 2 = 900 < 1.5 × 700 → marginal; own points 35 + 30 + 0 − 31 = 34 < 35
    "single_person_points": (
        one_month(
            "2022-08",
            {
                "worker": {"age": 45, "wage_income": 1800, "has_able_supporter": True},
                "disabled": {
                    "age": 40,
                    "disability_grade": 2,
                    "disability_category": "mental",
                    "has_able_supporter": True,
                },
            },
            {
                "jurisdiction": "yuxi",
                "area": "urban",
                "property_score_share": 0,
                "dibao_points_adjustment": -31,
            },
        ),
        "2022-08",
    ),
    # 青海 urban 2025-03: 1600 / 2 = 800 < 1050 → marginal; the 特困 member is not a 单人户, the other is
    "single_person_tekun": (
        one_month(
            "2025-03",
            {
                "worker": {"age": 45, "wage_income": 1600, "has_able_supporter": True},
                "tekun": {"age": 65, "disability_grade": 1, "disability_category": "physical"},
                "disabled": {
                    "age": 40,
                    "disability_grade": 1,
                    "disability_category": "physical",
                    "has_able_supporter": True,
                },
            },
            {"jurisdiction": "qinghai", "area": "urban"},
        ),
        "2025-03",
    ),
    # 贺州 urban 2020-06: no 单人户 rule before 2021; 勐腊 rural 2022-08: a 单人户 paid by class (A 460)
    "single_person_not_allowed": (
        one_month(
            "2020-06",
            {
                "worker": {"age": 45, "wage_income": 1600, "has_able_supporter": True},
                "disabled": {
                    "age": 40,
                    "disability_grade": 1,
                    "disability_category": "physical",
                    "has_able_supporter": True,
                },
            },
            {"jurisdiction": "hezhou", "area": "urban"},
        ),
        "2020-06",
    ),
    "single_person_by_class": (
        one_month(
            "2022-08",
            {
                "worker": {"age": 45, "wage_income": 1200, "has_able_supporter": True},
                "disabled": {
                    "age": 30,
                    "disability_grade": 3,
                    "disability_category": "intellectual",
                    "has_able_supporter": True,
                    "dibao_class": "a",
                },
            },
            {"jurisdiction": "mengla", "area": "rural"},
        ),
        "2022-08",
    ),
}
ALL_CASES = {
    "xishuangbanna_rural_class": (example("xishuangbanna_rural_class"), "2022-08"),
    "qinghai_tekun": (example("qinghai_tekun"), "2025-03"),
    "exit_qinghai": (EXIT_QINGHAI, "2025-03"),
    "exit_history": (EXIT_HISTORY, "2022-08"),
    "single_person": (SINGLE_PERSON, "2025-03"),
    "hanzhong_missing": (HANZHONG_MISSING, "2022-08"),
    "hanzhong_and_jinghong": (HANZHONG_AND_JINGHONG, "2022-08"),
    **OTHERS,
}


def account(system, situation, period, lang="zh", household=0):
    return explain(system, situation, period, lang)[household]


def verdict_text(acc, programme, person=None):
    v = acc.verdict(programme, person)
    assert v is not None, f"no verdict for {programme} {person}: {[(x.programme, x.person) for x in acc.verdicts]}"
    return v.text


# -- the examples, in both languages --------------------------------------------------------------------


def test_example_mengla_rural_class_in_chinese(system):
    acc = account(system, *ALL_CASES["xishuangbanna_rural_class"])
    text = acc.to_text()
    # income: the basic pension is excluded by the 十四五 rule, with its parameter and source
    assert "基础养老金 103 元：不计入" in text
    assert "income.basic_pension_excluded" in text and "“十四五”时期" in text
    # the education spending is deducted
    assert "刚性支出扣减 = 1 × (医疗支出 0 + 教育支出 50) = 50 元" in text
    # per-capita income: 600 − 50 pooled over 3 members
    assert "家庭可计收入 = max(0, 0 + 600 + (-50)) = 550 元/月" in text
    assert "人均收入 = 550 ÷ 3 = 183.33 元/人·月" in text
    # the standard: inherited, converted, with its source and confidence
    assert "农村低保标准：5400 元/人·年 ÷ 12 = 450 元/人·月" in text
    assert "勐腊县使用西双版纳傣族自治州 2022-01-01 起的值" in text
    assert "西双版纳州 2022 年度社会救助工作总结" in text and "可信度 H（高）" in text
    # the class method, member by member
    assert "分档发放：grandmother A类 460 + father B类 310 + daughter B类 310 = 1080 元/月" in text
    assert verdict_text(acc, "dibao").startswith(
        "低保：人均收入 183.33 元 < 标准 450 元，符合低保；分档发放 1080 元/月"
    )
    # 特困: each of the three conditions for each member
    assert text.count("① 无劳动能力") == 3 and text.count("② 无生活来源") == 3 and text.count("③ 无法定") == 3
    assert "特困：father 不符合（有劳动能力、有生活来源、有赡养人）" in verdict_text(acc, "tekun", "father")
    # no CPI figures ship: the price subsidy and the total cannot be computed, and the account says why
    assert acc.verdict("total").status == "not_computed"
    assert "缺少参数 price_linkage.cpi_yoy" in verdict_text(acc, "total")
    assert "2022-07-01 时勐腊县、西双版纳傣族自治州、云南省、中国都没有有效值" in text
    json.dumps(acc.to_dict(), ensure_ascii=False, allow_nan=False)


def test_example_mengla_rural_class_in_english(system):
    acc = account(system, *ALL_CASES["xishuangbanna_rural_class"], lang="en")
    text = acc.to_text()
    assert "Basic pension 103: not counted" in text
    assert "Per-capita income = 550 ÷ 3 = 183.33 per person a month" in text
    assert "Rural dibao standard: 5400 yuan per person a year ÷ 12 = 450 per person a month" in text
    assert "Mengla County uses Xishuangbanna Prefecture's value from 2022-01-01" in text
    assert "Paid by class: grandmother Class A 460 + father Class B 310 + daughter Class B 310 = 1080 a month" in text
    assert verdict_text(acc, "dibao").startswith("Dibao: per-capita income 183.33 < standard 450, eligible for dibao")
    assert "missing parameter price_linkage.cpi_yoy" in text
    # English throughout: no Chinese outside names, titles and quotes of the sources
    for line in acc.lines():
        if line.kind not in ("source", "rule"):
            assert not re.search(r"[\u4e00-\u9fff]", line.text.replace("低保", "")), line.text


def test_inherited_standard_in_mengla_carries_its_provenance(system):
    acc = account(system, *ALL_CASES["xishuangbanna_rural_class"])
    standard = next(p for p in acc.parameters if p["parameter"] == "dibao.standard_rural")
    assert standard["jurisdiction"] == "mengla" and standard["source_jurisdiction"] == "xishuangbanna"
    assert standard["inherited"] is True and standard["start"] == "2022-01-01"
    assert (standard["value"], standard["period"], standard["monthly_value"]) == (5400, "year", 450.0)
    assert standard["confidence"] == "M" and standard["file"] == "parameters/dibao/standard_rural/xishuangbanna.yaml"
    assert standard["reference"][0]["title"] == "西双版纳州 2022 年度社会救助工作总结"
    # a dated value with its own confidence keeps the file's reference (class A before July: M, not H)
    class_a = resolver_for(system)["dibao.class_amount_a"].source("mengla", "2022-06-01")
    assert class_a.confidence == "M" and class_a.reference[0]["title"] == "西双版纳州 2022 年度社会救助工作总结"


def test_qinghai_tekun_in_a_hardship_area(system):
    acc = account(system, *ALL_CASES["qinghai_tekun"])
    text = acc.to_text()
    assert "艰苦边远地区 5 类（≥ 5 类）：年龄条件为 55 岁（一般为 60 岁）" in text
    assert "tekun.age_threshold_hardship_area" in text and "将五类以上地区特困供养对象年龄从60周岁下调至55周岁" in text
    assert "① 无劳动能力：满足（57 岁 ≥ 55 岁；57 岁 ≥ 18 岁；非重度残疾）" in text
    assert "② 无生活来源：满足（本人可计收入 120 元 < 低保标准 473 元）" in text
    assert "③ 无法定赡养、抚养、扶养义务人或其无履行能力：满足" in text
    assert "基本生活费 = max(当地特困标准 1050，— × 低保标准 473) = 1050 元/月" in text
    assert acc.verdict("tekun", "elder").status == "eligible" and acc.verdict("tekun", "elder").amount == 1050
    # 特困 members are left out of the 低保 unit
    assert "特困人员 elder 不计入" in text and acc.verdict("dibao").status == "not_applicable"
    # no care rate for 青海: cannot be computed, said with the parameter and the jurisdictions searched
    assert "照料护理费：无法计算：缺少参数 tekun.care_rate_partial_care" in text
    cause = next(c for c in acc.not_computed if "tekun_care_allowance" in c.outputs)
    assert cause.parameters == [("tekun.care_rate_partial_care", "2025-03-01")]
    assert "青海省、中国都没有有效值" in cause.text and "hanzhong (from 2021-07-22)" in cause.text
    en = account(system, *ALL_CASES["qinghai_tekun"], lang="en").to_text()
    assert "Hardship area class 5 (≥ 5): age threshold 55 (generally 60)" in en
    assert "Basic allowance = max(local tekun standard 1050, — × dibao standard 473) = 1050 a month" in en


# -- 低保 special cases ------------------------------------------------------------------------------------


def test_gradual_exit_from_inputs(system):
    acc = account(system, *ALL_CASES["exit_qinghai"])
    dibao = acc.verdict("dibao")
    assert dibao.status == "gradual_exit" and dibao.amount == 300
    assert dibao.text.startswith("低保：人均收入 480 元 ≥ 标准 473 元，不符合低保；处于渐退期第 2 个月")
    text = acc.to_text()
    assert "渐退：上月享受低保（输入），本月收入超标，处于渐退期第 2 个月（渐退期 6 个月）" in text
    assert "渐退期低保金 = 1 × 渐退前常规低保金 300（输入） = 300 元/月" in text
    assert "dibao.gradual_exit_months" in text and "可信度 assumed" in text
    en = account(system, *ALL_CASES["exit_qinghai"], lang="en")
    assert en.verdict("dibao").text.startswith(
        "Dibao: per-capita income 480 ≥ standard 473, not eligible for dibao; in month 2 of the gradual exit"
    )


def test_gradual_exit_carried_from_earlier_months(system):
    acc = account(system, *ALL_CASES["exit_history"])
    assert acc.verdict("dibao").status == "gradual_exit"
    text = acc.to_text()
    # February's regular benefit (700 − 200) × 2 = 1000 is kept through the 6th month
    assert "处于渐退期第 6 个月（渐退期 6 个月）" in text
    assert "渐退期低保金 = 1 × 渐退前常规低保金 1000 = 1000 元/月" in text
    september = account(system, EXIT_HISTORY, "2022-09")
    assert september.verdict("dibao").status == "not_eligible"
    assert "渐退期已满（第 7 个月 > 6 个月）" in september.verdict("dibao").text


def test_single_person_unit_and_marginal_family(system):
    acc = account(system, *ALL_CASES["single_person"])
    text = acc.to_text()
    assert (
        "单人户：disabled（重度残疾），家庭为低保边缘家庭，本人可计收入 0 元 < 标准 700 元 → 单独纳入低保；700 − 0 = 700 元/月"
        in text
    )
    assert "低保边缘：人均收入 1049 元 < 1.5 × 标准 700 元 → 是低保边缘家庭" in text
    dibao = acc.verdict("dibao")
    assert dibao.status == "single_person" and dibao.amount == 700
    assert "disabled 作为单人户纳入低保 700 元/月" in dibao.text and "属低保边缘家庭" in dibao.text
    # covered by 低保 as a 单人户, grade 1: 青海's 2025 living subsidy for grades 1–2, 120
    living = acc.verdict("disability_living_subsidy", "disabled")
    assert living.status == "paid" and living.amount == 120


def test_single_person_reasons_and_payment_by_class(system):
    """dibao_single_person_unit words why a member is not covered alone; dibao_single_person_benefit how they are
    paid (chosen by the household's way of paying)."""
    points = account(system, *ALL_CASES["single_person_points"]).to_text()
    # 35 + 30 + 35 × 0 − 31 = 34 < 35
    assert "单人户：disabled（重度残疾）不单独纳入低保：本人积分未达标" in points
    assert "低保边缘：人均收入 900 元 < 1.5 × 标准 700 元 → 是低保边缘家庭" in points
    tekun = account(system, *ALL_CASES["single_person_tekun"])
    assert "单人户：tekun（重度残疾）不单独纳入低保：本人是特困人员" in tekun.to_text()
    assert "单人户：disabled（重度残疾），家庭为低保边缘家庭，本人可计收入 0 元 < 标准 700 元 → 单独纳入低保" in (
        tekun.to_text()
    )
    assert tekun.verdict("dibao").amount == 700
    hezhou = account(system, *ALL_CASES["single_person_not_allowed"]).to_text()
    assert "单人户：disabled（重度残疾）不单独纳入低保：当地此时不实行单人户" in hezhou
    assert "dibao.single_person_unit_allowed）= 否" in hezhou
    by_class = account(system, *ALL_CASES["single_person_by_class"], lang="en")
    assert "own countable income 0 < standard 450 → covered alone; paid Class A: 460 a month" in by_class.to_text()
    assert "dibao.class_amount_a" in by_class.to_text() and by_class.verdict("dibao").amount == 460
    hanzhong = one_month(
        "2022-08",
        {
            "worker": {"age": 45, "wage_income": 1000, "has_able_supporter": True},
            "ill": {"age": 50, "has_serious_illness": True, "transfer_income": 600, "has_able_supporter": True},
        },
        {"jurisdiction": "hanzhong", "area": "urban", "dibao_standard": 600},
    )
    # (1000 + 600) / 2 = 800 < 1.5 × 600 = 900 → marginal; own income 600 is not below 600
    assert (
        "单人户：ill（重病）不单独纳入低保：本人可计收入 600 元 ≥ 标准 600 元"
        in account(system, hanzhong, "2022-08").to_text()
    )


def test_hanzhong_without_a_standard_is_explained_not_raised(system):
    acc = account(system, *ALL_CASES["hanzhong_missing"])
    assert acc.verdict("dibao").status == "not_computed"
    assert "缺少参数 dibao.standard_urban" in acc.verdict("dibao").text
    assert len(acc.not_computed) == 1
    cause = acc.not_computed[0]
    assert cause.error == "MissingParameterValueError" and cause.variable == "dibao_standard"
    assert cause.parameters == [("dibao.standard_urban", "2022-08-01")]
    assert (
        "汉中市、陕西省、中国都没有有效值" in cause.text
        and "xishuangbanna (from 2022-01-01 until its horizon 2022-12-31)" in cause.text
    )
    assert {"dibao_standard", "social_assistance_total"} <= set(cause.outputs)
    # what does not need the standard is still explained
    text = acc.to_text()
    assert (
        "工资性收入 300 元：计入" in text
        and "计入家庭收入 = 收入合计 300 − 不计入的基础养老金 0 − 就业成本扣减 0 − 刚性支出扣减 0 = 300 元" in text
    )
    en = account(system, *ALL_CASES["hanzhong_missing"], lang="en")
    assert "missing parameter dibao.standard_urban" in en.verdict("dibao").text
    assert "for Hanzhong City, Shaanxi Province, China" in en.not_computed[0].text


def test_one_household_missing_a_standard_does_not_hide_the_others(system):
    hanzhong, jinghong = explain(system, *ALL_CASES["hanzhong_and_jinghong"], "zh")
    assert (hanzhong.household, jinghong.household) == ("hz", "jh")
    assert jinghong.computed_alone  # the joint computation fails for it only because of 汉中's standard
    assert hanzhong.verdict("dibao").status == "not_computed"
    assert jinghong.verdict("dibao").status == "eligible" and jinghong.verdict("dibao").amount == 400
    assert "差额发放：（700 − 300）× 1 = 400 元/月" in jinghong.to_text()
    assert "本户单独计算" in jinghong.to_text()


def test_households_explained_together_when_all_compute(system):
    situation = json.loads(json.dumps(HANZHONG_AND_JINGHONG))
    situation["households"]["hz"]["dibao_standard"] = {"2022-08": 600}
    accounts = explain(system, situation, "2022-08", "en")
    assert [a.household for a in accounts] == ["hz", "jh"]
    assert not any(a.computed_alone for a in accounts)
    assert "Dibao standard 600 per person a month: given as an input (no parameter used)" in accounts[0].to_text()


def test_other_programmes(system):
    price = account(system, *OTHERS["price_subsidy"])
    assert "p：价格临时补贴 = 低保标准 700 × 涨幅 3% = 21 元" in price.to_text()
    assert "本月现金救助合计 = 低保 700 + p 价格临时补贴 21 = 721 元（不含临时救助）" in price.to_text()
    assert price.verdict("total").amount == 721
    temporary = account(system, *OTHERS["temporary_assistance"])
    assert "上限 = 5 × 12 × 城市低保标准 700 = 42000 元，申请 ≤ 上限 → 县级审批" in temporary.to_text()
    assert temporary.verdict("temporary_assistance").status == "county"
    assert "就业成本扣减 = min(0.3 × 低保标准 700，max(0，就业收入 2000 + 0)) = 210 元" in temporary.to_text()
    disability = account(system, *OTHERS["disability"], lang="en")
    assert disability.verdict("disability_care_subsidy", "p").amount == 50
    assert "Dibao standard 300 per person a month: given as an input" in disability.to_text()
    care = account(system, *OTHERS["disability_care_grades"]).to_text()
    # 1000 ≥ 300: not on 低保; grade 1 ≤ 2 → the general 120; grade 2 → 陕西's grade-2 80; grade 3 > 2 → none
    assert "g1：残疾 1 级，但不享受低保 → 无困难残疾人生活补贴" in care
    assert "g1：残疾 1 级 ≤ 2 级，全护理，需长期照护 → 重度残疾人护理补贴 120 元/月" in care
    assert "g2：残疾 2 级 ≤ 2 级，全护理，需长期照护 → 重度残疾人护理补贴 80 元/月" in care
    assert "disability.care_subsidy_amount_grade_2）= 80" in care
    assert "g3：残疾 3 级 > 2 级 → 无重度残疾人护理补贴" in care
    minor = account(system, *OTHERS["disability_minor"])
    # 17 < 18 → the minors' 100; 18 → the general 60
    assert "child：残疾 3 级，享受低保 → 困难残疾人生活补贴 100 元/月" in minor.to_text()
    assert "disability.living_subsidy_amount_minor）= 100" in minor.to_text()
    assert "adult：残疾 3 级，享受低保 → 困难残疾人生活补贴 60 元/月" in minor.to_text()
    assert (
        minor.verdict("disability_living_subsidy", "child").text
        == "困难残疾人生活补贴（child）：100 元（残疾 3 级，享受低保）"
    )
    orphan = account(system, *OTHERS["orphan"])
    assert "i：机构养育孤儿 → 孤儿基本生活保障金 1300 元/月（机构集中养育孤儿基本生活最低养育标准）" in orphan.to_text()
    assert "orphan.de_facto_unsupported_at_scattered_standard）= 是" in orphan.to_text()
    assert (
        orphan.verdict("orphan_allowance", "i").amount == 1300 and orphan.verdict("orphan_allowance", "d").amount == 900
    )
    points = account(system, *OTHERS["points"])
    assert (
        "积分制：劳动力积分 17.5 + 收入积分 15 + 财产积分 35 + 加减分 0 = 67.5 分 ≥ 认定分数线 35 分 → 达标"
        in points.to_text()
    )
    ratio = account(system, *OTHERS["tekun_ratio"])
    assert "基本生活费 = max(当地特困标准 —，1.3 × 低保标准 600) = 780 元/月" in ratio.to_text()
    assert "缺少参数 wages.minimum_wage" in ratio.to_text()
    one_off = account(system, *OTHERS["one_off_and_tekun_member"])
    # 西双版纳 pays 100 once in 2022, in a month no source gives: a month's account cannot show it
    assert one_off.verdict("one_off_living_subsidy", "o").status == "not_computed"
    assert "payment month is not known" in one_off.to_text()
    assert "计入低保的成员：y（1 人）；特困人员 o 不计入（另按特困供养）" in one_off.to_text()
    assert "分档发放：y C类 250 = 250 元/月" in one_off.to_text()
    deductions = account(system, *OTHERS["employment_and_rigid"]).to_text()
    assert "就业成本扣减 = min(0.3 × 低保标准 700，max(0，就业收入 100 + 50)) = 150 元" in deductions
    assert (
        "刚性支出扣减 = 0 × (医疗支出 30 + 教育支出 0) = 0 元" in deductions
    )  # 青海 has no rule: china deducts nothing
    hardship = account(system, *OTHERS["rigid_hardship"])
    # 12 × 3000 = 36000 a year for one person < 40000; 30000 > 0.5 × 36000
    assert hardship.verdict("rigid_expenditure_hardship").status == "eligible"


# -- every number an account states equals the computed value -------------------------------------------


def _recompute(system, situation, period):
    """Each (variable, period) computed afresh, without tracing, in its own simulation per request."""
    cache = {}

    def value(variable, month, entity, identifier):
        key = (variable, month)
        if key not in cache:
            simulation = SimulationBuilder().build_from_entities(system, situation)
            cache[key] = (simulation, simulation.calculate(variable, month))
        simulation, values = cache[key]
        population = simulation.persons if entity == "person" else simulation.household
        row = list(population.ids).index(identifier)
        if isinstance(values, EnumArray):
            return values.decode_to_str()[row]
        return values[row]

    return value


def _same(stated, computed):
    if isinstance(stated, str) or isinstance(computed, str):  # an enum member, by its name
        return str(stated) == str(computed)
    if stated is None or (isinstance(stated, float) and math.isnan(stated)):
        return computed is None or (isinstance(computed, (float, np.floating)) and math.isnan(computed))
    if isinstance(stated, bool) or isinstance(computed, (bool, np.bool_)):
        return bool(stated) == bool(computed)
    return computed is not None and abs(float(stated) - float(computed)) < 1e-9


@pytest.mark.parametrize("case", sorted(ALL_CASES))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_number_stated_equals_the_computed_value(system, case, lang):
    situation, period = ALL_CASES[case]
    resolver = resolver_for(system)
    accounts = explain(system, situation, period, lang)
    checked = 0
    for acc in accounts:
        own = household_situation(situation, acc.household) if acc.computed_alone else situation
        value = _recompute(system, own, period)
        for item in acc.items():
            if item.kind == "variable":
                assert _same(item.value, value(item.variable, item.period, item.entity, item.id)), item
            elif item.kind == "parameter":
                source = resolver[item.parameter].source(item.jurisdiction, item.period)
                assert _same(item.value, None if source is None else getattr(source, item.field)), item
            else:
                assert item.kind == "constant" and item.value in {c[0] for c in CONSTANTS.values()}, item
            checked += 1
        for verdict in acc.verdicts:
            if verdict.amount is not None:
                assert any(i.kind == "variable" and _same(verdict.amount, i.value) for i in verdict.items), verdict
        json.dumps(acc.to_dict(), ensure_ascii=False, allow_nan=False)
    assert checked > 5


_DATE = re.compile(r"\d{4}-\d{2}(?:-\d{2})?")
_NUMBER = re.compile(r"(?<![A-Za-z0-9_.])-?\d+(?:\.\d+)?(?![A-Za-z0-9_])")


@pytest.mark.parametrize(
    "case",
    [
        "xishuangbanna_rural_class",
        "qinghai_tekun",
        "exit_qinghai",
        "single_person",
        "price_subsidy",
        "temporary_assistance",
        "points",
        "tekun_ratio",
        "orphan",
        "disability",
        "disability_minor",  # not disability_care_grades: a rule line names "grade 2", a parameter's label
        "single_person_points",
        "single_person_tekun",
        "single_person_by_class",
    ],
)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_numbers_in_the_text_are_the_stated_items(system, case, lang):
    """Parse the numbers out of each computation line and verdict: each is one of the line's items."""
    situation, period = ALL_CASES[case]
    for acc in explain(system, situation, period, lang):
        texts = [(line.text, line.items) for line in acc.lines() if line.kind in ("step", "rule")]
        texts += [(v.text, v.items) for v in acc.verdicts if v.status != "not_computed"]
        for text, items in texts:
            allowed = {format_number(i.value, lang) for i in items}
            for number in _NUMBER.findall(_DATE.sub(" ", text)):
                assert number in allowed, f"{number!r} in {text!r} is not one of {sorted(allowed)}"


# -- the trace records the jurisdictional lookups ----------------------------------------------------------


def test_lookups_are_recorded_in_the_trace_only_when_tracing(system):
    situation = example("xishuangbanna_rural_class")
    quiet = SimulationBuilder().build_from_entities(system, situation)
    quiet.calculate("dibao_standard", "2022-08")
    assert not hasattr(quiet.tracer, "trees")  # the plain tracer keeps no tree at all
    traced = SimulationBuilder().build_from_entities(system, situation)
    traced.trace = True
    traced.calculate("dibao_standard", "2022-08")
    node = traced.tracer.trees[0]
    lookups = {(p.name, p.period): p.value.tolist() for p in node.parameters}
    assert lookups[("dibao.standard_rural", "2022-08-01")] == [450.0]
    # outside any computation nothing is recorded and nothing breaks
    assert by_jurisdiction(traced.household, period("2022-08"), "dibao.standard_rural").tolist() == [450.0]
    assert len(traced.tracer.trees) == 1
    # every entry point records: yes/no flags (as 1/0) and lookups of the rows that need a value
    traced.calculate("dibao_pays_by_class", "2022-08")
    node = traced.tracer.trees[-1]
    assert {(p.name, p.value.tolist()[0]) for p in node.parameters} == {
        ("dibao.pays_by_class_urban", 0.0),
        ("dibao.pays_by_class_rural", 1.0),
    }
    month = period("2022-08")
    traced.tracer.record_calculation_start("probe", month)  # a formula being computed
    flag_by_jurisdiction(traced.persons, month, "income.basic_pension_excluded")
    sparse = getattr(lookup, "where_by_jurisdiction", None)  # the lookup of only the rows that need it
    if sparse is not None:
        sparse(traced.persons, month, "dibao.class_amount_a", np.array([True, False, False]))
    probe = traced.tracer._current_node
    traced.tracer.record_calculation_end()
    expected = [("income.basic_pension_excluded", "2022-08-01", [1.0, 1.0, 1.0])]
    if sparse is not None:
        expected.append(("dibao.class_amount_a", "2022-08-01", [460.0, 460.0, 460.0]))
    assert [(p.name, p.period, p.value.tolist()) for p in probe.parameters] == expected


# -- the command line --------------------------------------------------------------------------------------


def test_cli_explain_in_chinese_and_english(tmp_path, capsys):
    path = tmp_path / "exit.json"
    path.write_text(json.dumps(EXIT_QINGHAI), encoding="utf-8")
    assert main(["explain", str(path), "--period", "2025-03"]) == 0
    out = capsys.readouterr().out
    assert "【结论】" in out and "人均收入 480 元 ≥ 标准 473 元，不符合低保；处于渐退期第 2 个月" in out
    assert main(["explain", str(path), "--lang", "en"]) == 0  # the period defaults to the file's first month
    out = capsys.readouterr().out
    assert "== Result ==" in out and "per-capita income 480 ≥ standard 473, not eligible for dibao; in month 2" in out


def test_cli_explain_json_and_builtin_example(capsys):
    assert main(["explain", "--json"]) == 0
    accounts = json.loads(capsys.readouterr().out)
    assert accounts[0]["jurisdiction"] == "mengla" and accounts[0]["lang"] == "zh"
    dibao = next(v for v in accounts[0]["verdicts"] if v["programme"] == "dibao")
    assert dibao["status"] == "eligible" and dibao["amount"] == 1080
    regular = next(i for i in dibao["items"] if i.get("variable") == "dibao_regular_benefit")
    assert regular == {
        "label": "常规低保金",
        "value": 1080.0,
        "kind": "variable",
        "variable": "dibao_regular_benefit",
        "entity": "household",
        "id": "household",
        "period": "2022-08",
    }
    assert main(["explain", "--example", "qinghai_tekun", "--lang", "en"]) == 0
    assert "Tekun: elder eligible, basic allowance 1050 a month" in capsys.readouterr().out


def test_cli_explain_errors(tmp_path, capsys):
    assert main(["explain", str(tmp_path / "none.json")]) == 2
    assert "cannot read situation" in capsys.readouterr().err
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {"persons": {"p": {}}, "households": {"h": {"members": ["p"], "jurisdiction": {"ETERNITY": "atlantis"}}}}
        )
    )
    assert main(["explain", str(bad), "--period", "2022-08"]) == 2
    assert "atlantis" in capsys.readouterr().err
    assert main(["explain", str(bad)]) == 2  # no month anywhere in the file
    assert "--period" in capsys.readouterr().err


def test_api_rejects_bad_arguments(system):
    with pytest.raises(ValueError, match="lang"):
        explain(system, HANZHONG_MISSING, "2022-08", "fr")
    with pytest.raises(ValueError, match="month"):
        explain(system, HANZHONG_MISSING, "2022", "zh")
