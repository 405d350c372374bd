"""Steps of the account: child, disability, one-off and price subsidies, 临时救助, 刚性支出, total."""

from __future__ import annotations

import math

from openfisca_cn_assist.engine.outputs import declaration, total_output
from openfisca_cn_assist.serve.explain.model import (
    Item,
    Verdict,
)
from openfisca_cn_assist.serve.explain.text import _cap


class OtherSteps:
    """Steps of the account: child, disability, one-off and price subsidies, 临时救助, 刚性支出, total (a part of the household account; see account._Account)."""

    def explain_other(self) -> None:
        for p in self.person_rows:
            pid = self.person_ids[p]
            for name, method in (
                ("orphan_allowance", self.explain_orphan),
                ("disability_living_subsidy", self.explain_disability_living),
                ("disability_care_subsidy", self.explain_disability_care),
                ("one_off_living_subsidy", self.explain_one_off),
                ("price_subsidy", self.explain_price_subsidy),
            ):
                zh, en = self.run.labels[name]
                with self.block("other", f"{zh}（{pid}）", f"{en.capitalize()} ({pid})", verdict=(name, pid)):
                    method(p, pid)
        with self.block("other", "临时救助", "Temporary assistance", verdict=("temporary_assistance", None)):
            self.explain_temporary_assistance()
        with self.block(
            "other",
            "刚性支出困难家庭",
            "Rigid-expenditure hardship family",
            verdict=("rigid_expenditure_hardship", None),
        ):
            self.explain_rigid_hardship()

    def _benefit_verdict(self, programme: str, pid: str | None, amount: Item, reason: str, items: list[Item]) -> None:
        status = "paid" if amount.value else "not_paid"
        who = self.t(f"（{pid}）", f" ({pid})") if pid else ""
        text = self.t(f"{amount.label}{who}：{amount} 元", f"{_cap(amount.label)}{who}: {amount}")
        text += self.t(f"（{reason}）", f" ({reason})") if reason else ""
        self.verdicts.append(Verdict(programme, pid, status, amount.value, text, [*items, amount]))

    def explain_orphan(self, p: int, pid: str) -> None:
        s = "other"
        status = self.val("child_care_status", p)
        if status == "none":
            return
        amount = self.var("orphan_allowance", p)
        label = self.enum_label("child_care_status", status)
        standard = None
        if status == "orphan_institutional":
            standard = self.param("orphan_allowance", "orphan.standard_institutional", p)
        elif (
            status == "orphan_scattered" or amount.value
        ):  # a de facto unsupported child paid at the scattered standard
            standard = self.param("orphan_allowance", "orphan.standard_scattered", p)
        flag = (
            self.param("orphan_allowance", "orphan.de_facto_unsupported_at_scattered_standard", p)
            if status == "de_facto_unsupported"
            else None
        )
        self.add(
            s,
            self.t(
                f"{pid}：{label} → {amount.label} {amount} 元/月",
                f"{pid}: {label.lower()} → {amount.label} {amount} a month",
            ),
            [amount],
        )
        for item in (flag, standard):
            if item is not None and not math.isnan(item.value):
                self.rule(s, item, 2)
        self._benefit_verdict("orphan_allowance", pid, amount, label, [])

    def explain_disability_living(self, p: int, pid: str) -> None:
        s = "other"
        grade = self.var("disability_grade", p)
        if grade.value < 1:
            return
        amount = self.var("disability_living_subsidy", p)
        in_dibao = self.val("dibao_recipient") or self.val("dibao_covered_person", p)
        if amount.value or (in_dibao and grade.value <= 4):
            rate = self.param("disability_living_subsidy", self._disability_living_path(p, grade.value), p)
            reason = self.t(f"残疾 {grade} 级，享受低保", f"disability grade {grade}, on dibao")
            self.add(
                s,
                self.t(
                    f"{pid}：{reason} → {amount.label} {amount} 元/月",
                    f"{pid}: {reason} → {amount.label} {amount} a month",
                ),
                [grade, amount],
            )
            self.rule(s, rate, 2)
        else:
            reason = self.t(f"残疾 {grade} 级，但不享受低保", f"disability grade {grade}, but not on dibao")
            self.add(s, self.t(f"{pid}：{reason} → 无{amount.label}", f"{pid}: {reason} → no {amount.label}"), [grade])
        self._benefit_verdict("disability_living_subsidy", pid, amount, reason, [grade])

    def _disability_living_path(self, p: int, grade: int) -> str:
        """The living-subsidy amount the formula paid this person: a minors' or grades 3–4 amount where the
        jurisdiction sets one, else the general amount (variables/disability/disability_living_subsidy.py)."""

        def looked_up(path):
            value = self.run.lookup("disability_living_subsidy", path, p)
            return None if value is None or math.isnan(value) else value

        limit = looked_up("disability.living_subsidy_minor_age_limit")
        if (
            limit is not None
            and self.val("age", p) < limit
            and looked_up("disability.living_subsidy_amount_minor") is not None
        ):
            return "disability.living_subsidy_amount_minor"
        if grade >= 3 and looked_up("disability.living_subsidy_amount_grades_3_4") is not None:
            return "disability.living_subsidy_amount_grades_3_4"
        return "disability.living_subsidy_amount"

    def explain_disability_care(self, p: int, pid: str) -> None:
        s = "other"
        grade = self.var("disability_grade", p)
        if grade.value < 1:
            return
        amount = self.var("disability_care_subsidy", p)
        level = self.val("self_care_level", p)
        level_label = self.enum_label("self_care_level", level)
        max_grade = self.param("disability_care_subsidy", "disability.care_subsidy_max_grade", p)
        if amount.value:
            grade_2 = self.run.lookup("disability_care_subsidy", "disability.care_subsidy_amount_grade_2", p)
            own_grade_2 = grade.value == 2 and grade_2 is not None and not math.isnan(grade_2)
            path = "disability.care_subsidy_amount" + ("_grade_2" if own_grade_2 else "")
            subsidy = self.param("disability_care_subsidy", path, p)
            reason = self.t(
                f"残疾 {grade} 级 ≤ {max_grade} 级，{level_label}，需长期照护",
                f"grade {grade} ≤ {max_grade}, {level_label.lower()}: needs long-term care",
            )
            self.add(
                s,
                self.t(
                    f"{pid}：{reason} → {amount.label} {amount} 元/月",
                    f"{pid}: {reason} → {amount.label} {amount} a month",
                ),
                [grade, max_grade, amount],
            )
            self.rule(s, max_grade, 2)
            self.rule(s, subsidy, 2)
            items = [grade, max_grade]
        elif level == "self_care":
            reason = self.t(
                f"残疾 {grade} 级，{level_label}，不需长期照护",
                f"grade {grade}, {level_label.lower()}: no long-term care needed",
            )
            self.add(s, self.t(f"{pid}：{reason} → 无{amount.label}", f"{pid}: {reason} → no {amount.label}"), [grade])
            items = [grade]
        else:
            reason = self.t(f"残疾 {grade} 级 > {max_grade} 级", f"grade {grade} > {max_grade}")
            self.add(
                s,
                self.t(f"{pid}：{reason} → 无{amount.label}", f"{pid}: {reason} → no {amount.label}"),
                [grade, max_grade],
            )
            self.rule(s, max_grade, 2)
            items = [grade, max_grade]
        self._benefit_verdict("disability_care_subsidy", pid, amount, reason, items)

    def explain_one_off(self, p: int, pid: str) -> None:
        if not (self.val("dibao_covered_person", p) or self.val("tekun_eligible", p)):
            return
        path = self.run.yearly["one_off_living_subsidy"][0]
        amount = self.run.resolver[path].table(f"{self.run.date[:4]}-01-01")[self.registry.index[self.key]]
        if amount == 0:
            return  # no payment in the year here: 0 in every month
        self.var("one_off_living_subsidy", p)  # paid in the year, month unknown: reported as not computed

    def explain_price_subsidy(self, p: int, pid: str) -> None:
        s = "other"
        if not self.val("price_subsidy_covered", p):
            return
        amount = self.var("price_subsidy", p)
        rise = self.var("price_subsidy_rise")
        if rise.value:
            standard = self.var("dibao_standard")
            self.add(
                s,
                self.t(
                    f"{pid}：价格临时补贴 = 低保标准 {standard} × 涨幅 {rise}% = {amount} 元",
                    f"{pid}: price subsidy = dibao standard {standard} × rise {rise}% = {amount}",
                ),
                [standard, rise, amount],
            )
            reason, items = self.t(f"启动涨幅 {rise}%", f"triggering rise {rise}%"), [rise]
        else:
            self.add(
                s,
                self.t(
                    f"{pid}：属价格临时补贴保障对象，但上月物价涨幅未达到启动条件 → {amount} 元",
                    f"{pid}: covered by the price subsidy, but last month's price rise did not reach the trigger → {amount}",
                ),
                [amount],
            )
            reason, items = self.t("未启动", "not triggered"), []
        self._benefit_verdict("price_subsidy", pid, amount, reason, items)

    def explain_temporary_assistance(self) -> None:
        s = "other"
        requested = self.var("temporary_assistance_requested")
        if not requested.value:
            return
        limit = self.var("temporary_assistance_township_limit")
        level = self.val("temporary_assistance_approval_level")
        level_label = self.enum_label("temporary_assistance_approval_level", level)
        limit_rule = self.param("temporary_assistance_township_limit", "temporary_assistance.township_approval_limit")
        items = [requested, limit]
        if requested.value <= limit.value:
            text = self.t(
                f"临时救助申请 {requested} 元 ≤ 乡镇审批权限 {limit} 元 → {level_label}",
                f"Temporary assistance requested {requested} ≤ township limit {limit} → {level_label.lower()}",
            )
            self.add(s, text, items)
            self.rule(s, limit_rule, 2)
        else:
            cap = self.var("temporary_assistance_cap")
            multiple = self.param(
                "temporary_assistance_cap", "temporary_assistance.cap_multiple_of_annual_urban_standard"
            )
            urban = self.param("temporary_assistance_cap", "dibao.standard_urban")
            twelve = Item(self.t("每年月数", "months a year"), 12, "constant", lang=self.lang)
            relation = "≤" if requested.value <= cap.value else ">"
            text = self.t(
                f"临时救助申请 {requested} 元 > 乡镇审批权限 {limit} 元；上限 = {multiple} × {twelve} × 城市低保标准 {urban} = {cap} 元，"
                f"申请 {relation} 上限 → {level_label}",
                f"Temporary assistance requested {requested} > township limit {limit}; cap = {multiple} × {twelve} × urban "
                f"standard {urban} = {cap}; request {relation} cap → {level_label.lower()}",
            )
            items += [multiple, twelve, urban, cap]
            self.add(s, text, items)
            self.rule(s, limit_rule, 2)
            self.rule(s, multiple, 2)
        self.verdicts.append(
            Verdict(
                "temporary_assistance",
                None,
                level,
                None,
                self.t(
                    f"临时救助：申请 {requested} 元，{level_label}",
                    f"Temporary assistance: {requested} requested, {level_label.lower()}",
                ),
                [requested],
            )
        )

    def explain_rigid_hardship(self) -> None:
        s = "other"
        spending = self.var("rigid_expenditure_past_12_months")
        if not spending.value:
            return
        if self.run.system.variables["rigid_expenditure_hardship_family"].get_formula(self.run.period) is None:
            text = self.t(
                "刚性支出困难家庭：本月尚无认定规则（民政部认定办法 2024 年 11 月起适用）",
                "Rigid-expenditure hardship family: no rule in force this month (the national measure applies from 2024-11)",
            )
            self.add(s, text, [])
            self.verdicts.append(Verdict("rigid_expenditure_hardship", None, "not_applicable", None, text))
            return
        family = self.val("rigid_expenditure_hardship_family")
        if not self.val("rigid_expenditure_hardship_candidate"):
            text = self.t(
                "刚性支出困难家庭：不认定（已享受低保或特困、属低保边缘家庭，或财产超出当地规定）",
                "Rigid-expenditure hardship family: no (on dibao or tekun, a marginal family, or property above the limits)",
            )
            self.add(s, text, [])
            self.verdicts.append(Verdict("rigid_expenditure_hardship", None, "not_eligible", None, text))
            return
        income = self.var("household_income_past_12_months")
        disposable = self.var("previous_year_per_capita_disposable_income")
        threshold = self.var("rigid_expenditure_to_income_threshold")
        verdict = self.t("是" if family else "否", "yes" if family else "no")
        text = self.t(
            f"刚性支出困难家庭：申请前十二个月刚性支出 {spending} 元，家庭总收入 {income} 元，上年度当地居民人均可支配收入 {disposable} 元，"
            f"当地刚性支出占收入比例标准 {threshold} → {verdict}",
            f"Rigid-expenditure hardship family: rigid spending {spending} and household income {income} over the past twelve months, "
            f"last year's local per-capita disposable income {disposable}, local threshold {threshold} → {verdict}",
        )
        items = [spending, income, disposable, threshold]
        self.add(s, text, items)
        self.verdicts.append(
            Verdict("rigid_expenditure_hardship", None, "eligible" if family else "not_eligible", None, text, items)
        )

    # 7. total ----------------------------------------------------------------------------------

    def _person_parts(self) -> list[str]:
        """The members' benefits the total adds (declared ``adds``), in order."""
        variables = self.run.system.variables
        parts = declaration(variables[total_output(self.run.system)]).adds
        return [p for p in parts if variables[p].entity.key == "person"]

    def explain_total(self) -> None:
        s = "total"
        with self.block(s, "社会救助合计", "Social assistance total", verdict=("total", None)):
            total = self.var("social_assistance_total")
            terms = []
            dibao = self.var("dibao_benefit")
            if dibao.value:
                terms.append((self.t(f"低保 {dibao}", f"dibao {dibao}"), dibao))
            for p in self.person_rows:
                for name in self._person_parts():
                    amount = self.var(name, p)
                    if amount.value:
                        terms.append((f"{self.person_ids[p]} {amount.label} {amount}", amount))
            if terms:
                expression = " + ".join(text for text, _ in terms)
                text = self.t(
                    f"本月现金救助合计 = {expression} = {total} 元（不含临时救助）",
                    f"Cash assistance this month = {expression} = {total} (temporary assistance not included)",
                )
            else:
                text = self.t(
                    f"本月现金救助合计 {total} 元（不含临时救助）",
                    f"Cash assistance this month: {total} (temporary assistance not included)",
                )
            self.add(s, text, [item for _, item in terms] + [total])
            self.verdicts.append(
                Verdict(
                    "total",
                    None,
                    "paid" if total.value else "not_paid",
                    total.value,
                    self.t(f"合计：本月现金救助 {total} 元", f"Total: {total} in cash this month"),
                    [total],
                )
            )
