"""Steps of the account: countable income, deductions, per-capita income."""

from __future__ import annotations

from openfisca_cn_assist.serve.explain.model import (
    INCOME_PARTS,
)
from openfisca_cn_assist.serve.explain.text import _cap


class IncomeSteps:
    """Steps of the account: countable income, deductions, per-capita income (a part of the household account; see account._Account)."""

    def explain_income(self) -> None:
        s = "income"
        for p in self.person_rows:
            pid = self.person_ids[p]
            with self.block(s, pid, pid):
                age = self.var("age", p)
                self.add(s, self.t(f"{pid}（{age} 岁）", f"{pid} (age {age})"), [age], "step", 1)
                stated = False
                for name in INCOME_PARTS:
                    part = self.var(name, p)
                    if part.value:
                        stated = True
                        self.add(
                            s,
                            self.t(f"{part.label} {part} 元：计入", f"{_cap(part.label)} {part}: counted"),
                            [part],
                            "step",
                            2,
                        )
                self.explain_pension(p)
                self.explain_employment_cost(p)
                self.explain_rigid_expenditure(p)
                with self.block(s, "计入家庭收入", "Income counted", 2):
                    gross = self.var("gross_income", p)
                    net = self.var("countable_income_net", p)
                    terms = [
                        self.var(n, p)
                        for n in ("excluded_basic_pension", "employment_cost_deduction", "rigid_expenditure_deduction")
                    ]
                    terms = [term for term in terms if term.value]
                    if not terms and not gross.value and not stated:
                        self.add(s, self.t(f"无收入，计入 {net} 元", f"no income: {net} counted"), [net], "step", 2)
                    elif not terms:
                        self.add(
                            s,
                            self.t(
                                f"计入家庭收入：{net} 元（全部计入）", f"Counted for the household: {net} (all of it)"
                            ),
                            [net],
                            "step",
                            2,
                        )
                    else:
                        expression = " − ".join([str(gross)] + [str(term) for term in terms])
                        self.add(
                            s,
                            self.t(
                                f"计入家庭收入 = 收入合计 {expression} = {net} 元",
                                f"Counted for the household = gross income {expression} = {net}",
                            ),
                            [gross, *terms, net],
                            "step",
                            2,
                        )

    def explain_pension(self, p: int) -> None:
        s = "income"
        with self.block(s, "基础养老金", "Basic pension", 2):
            pension = self.var("basic_pension_income", p)
            if not pension.value:
                return
            excluded = self.var("excluded_basic_pension", p)
            flag = self.param("excluded_basic_pension", "income.basic_pension_excluded", p)
            if excluded.value:
                self.add(
                    s,
                    self.t(
                        f"基础养老金 {excluded} 元：不计入（规则：{self.param_label('income.basic_pension_excluded')}）",
                        f"Basic pension {excluded}: not counted (rule: {self.param_label('income.basic_pension_excluded')})",
                    ),
                    [pension, excluded],
                    "step",
                    2,
                )
            else:
                self.add(
                    s,
                    self.t(
                        f"基础养老金 {pension} 元：计入（此时当地不适用基础养老金不计入规则）",
                        f"Basic pension {pension}: counted (the exclusion rule does not apply here at this date)",
                    ),
                    [pension],
                    "step",
                    2,
                )
            self.rule(s, flag, 3)

    def explain_employment_cost(self, p: int) -> None:
        s = "income"
        with self.block(s, "就业成本扣减", "Employment-cost deduction", 2):
            if not self.val("is_employed", p):
                return
            deduction = self.var("employment_cost_deduction", p)
            rate = self.param("employment_cost_deduction", "income.employment_cost_rate", p)
            if rate is None:
                return
            if not rate.value:
                self.add(
                    s,
                    self.t(
                        f"就业成本：当地扣减比例为 {rate}，不扣减（扣减 {deduction} 元）",
                        f"Employment cost: the local rate is {rate}, nothing deducted ({deduction})",
                    ),
                    [rate, deduction],
                    "step",
                    2,
                )
            else:
                standard = self.var("dibao_standard")
                earnings = [self.var(n, p) for n in ("wage_income", "business_income")]
                shown = [e for e in earnings if e.value] or earnings[:1]
                total = " + ".join(str(e) for e in shown)
                if sum(e.value for e in earnings) < 0:
                    total = f"max(0, {total})"
                self.add(
                    s,
                    self.t(
                        f"就业成本扣减 = min({rate} × 低保标准 {standard}，就业收入 {total}) = {deduction} 元",
                        f"Employment-cost deduction = min({rate} × dibao standard {standard}, earnings {total}) = {deduction}",
                    ),
                    [rate, standard, *shown, deduction],
                    "step",
                    2,
                )
            self.rule(s, rate, 3)

    def explain_rigid_expenditure(self, p: int) -> None:
        s = "income"
        with self.block(s, "刚性支出扣减", "Rigid-expenditure deduction", 2):
            spending = [self.var(n, p) for n in ("medical_expenses", "education_expenses")]
            shown = [x for x in spending if x.value]
            if not shown:
                return
            deduction = self.var("rigid_expenditure_deduction", p)
            share = self.param("rigid_expenditure_deduction", "income.rigid_expenditure_deduction_share", p)
            parts = " + ".join(f"{x.label} {x}" for x in shown)
            if len(shown) > 1:
                parts = f"({parts})"
            self.add(
                s,
                self.t(
                    f"刚性支出扣减 = {share} × {parts} = {deduction} 元",
                    f"Rigid-expenditure deduction = {share} × {parts} = {deduction}",
                ),
                [x for x in [share, *shown, deduction] if x is not None],
                "step",
                2,
            )
            self.rule(s, share, 3)

    # 2. per-capita income ----------------------------------------------------------------------

    def counted_members(self) -> tuple[list[int], list[int]]:
        counted, tekun = [], []
        for p in self.person_rows:
            (tekun if self.val("tekun_eligible", p) else counted).append(p)
        return counted, tekun

    def explain_per_capita(self) -> None:
        s = "per_capita"
        with self.block(s, "人均收入", "Per-capita income"):
            counted, tekun = self.counted_members()
            size = self.var("dibao_unit_size")
            names = (
                "、".join(self.person_ids[p] for p in counted)
                if self.lang == "zh"
                else ", ".join(self.person_ids[p] for p in counted)
            )
            text = self.t(
                f"计入低保的成员：{names or '无'}（{size} 人）",
                f"Members counted for dibao: {names or 'none'} ({size})",
            )
            if tekun:
                excluded = self.t("、", ", ").join(self.person_ids[p] for p in tekun)
                text += self.t(
                    f"；特困人员 {excluded} 不计入（另按特困供养）",
                    f"; tekun member(s) {excluded} not counted (supported as tekun)",
                )
            self.add(s, text, [size])
            countable = self.var("dibao_countable_income")
            terms = [self.var("countable_income_net", p) for p in counted]
            if len(terms) > 1 or any(t.value < 0 for t in terms):
                expression = " + ".join(f"({t})" if t.value < 0 else str(t) for t in terms)
                if any(t.value < 0 for t in terms):
                    expression = f"max(0, {expression})"
                self.add(
                    s,
                    self.t(
                        f"家庭可计收入 = {expression} = {countable} 元/月",
                        f"Household countable income = {expression} = {countable} a month",
                    ),
                    [*terms, countable],
                )
            else:
                self.add(
                    s,
                    self.t(f"家庭可计收入 = {countable} 元/月", f"Household countable income = {countable} a month"),
                    [countable],
                )
            per_capita = self.var("dibao_per_capita_income")
            if size.value:
                self.add(
                    s,
                    self.t(
                        f"人均收入 = {countable} ÷ {size} = {per_capita} 元/人·月",
                        f"Per-capita income = {countable} ÷ {size} = {per_capita} per person a month",
                    ),
                    [countable, size, per_capita],
                )
            else:
                self.add(
                    s,
                    self.t(
                        f"没有成员计入低保，人均收入记为 {per_capita}",
                        f"Nobody is counted for dibao; per-capita income reads {per_capita}",
                    ),
                    [per_capita],
                )

    # 3. standard -------------------------------------------------------------------------------
