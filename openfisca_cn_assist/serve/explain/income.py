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
                for name in INCOME_PARTS:
                    part = self.var(name, p)
                    if part.value:
                        self.add(
                            s,
                            self.t(f"{part.label} {part} 元：计入", f"{_cap(part.label)} {part}: counted"),
                            [part],
                            "step",
                            2,
                        )
                self.explain_deductions(p)

    def explain_deductions(self, p: int) -> None:
        """The exclusions and deductions a member has, each as its variable words it, then what is counted.
        A line is left out only where its input is nil (no pension, not employed, no spending)."""
        s = "income"
        for name, inputs, zh, en in (
            ("excluded_basic_pension", ("basic_pension_income",), "基础养老金", "Basic pension"),
            ("employment_cost_deduction", ("is_employed",), "就业成本扣减", "Employment-cost deduction"),
            (
                "rigid_expenditure_deduction",
                ("medical_expenses", "education_expenses"),
                "刚性支出扣减",
                "Rigid-expenditure deduction",
            ),
        ):
            with self.block(s, zh, en, 2):
                if any(self.val(i, p) for i in inputs):
                    self.explain_node(s, name, p, 2)
        with self.block(s, "计入家庭收入", "Income counted", 2):
            self.explain_node(s, "countable_income_net", p, 2)

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
            self.explain_node(s, "dibao_countable_income", self.h, 1)
            self.explain_node(s, "dibao_per_capita_income", self.h, 1)

    # 3. standard -------------------------------------------------------------------------------
