"""Steps of the account: child, disability, one-off and price subsidies, 临时救助, 刚性支出, total."""

from __future__ import annotations

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
        """orphan_allowance as it words itself for the child's status (nothing for a child with none)."""
        filled = self.explain_node(
            "other", "orphan_allowance", p, 1, prefix=f"{pid}：" if self.lang == "zh" else f"{pid}: "
        )
        if filled is None:
            return
        amount = self.var("orphan_allowance", p)
        status = self.var("child_care_status", p)
        self._benefit_verdict("orphan_allowance", pid, amount, self._shown(status), [])

    def explain_disability_living(self, p: int, pid: str) -> None:
        """disability_living_subsidy as it words itself for the amount that applies (said of a certified member)."""
        self._explain_disability(p, pid, "disability_living_subsidy", "disability_living_subsidy_rate")

    def explain_disability_care(self, p: int, pid: str) -> None:
        """disability_care_subsidy as it words itself for the amount that applies (said of a certified member)."""
        self._explain_disability(p, pid, "disability_care_subsidy", "disability_care_subsidy_rate")

    def _explain_disability(self, p: int, pid: str, name: str, rate: str) -> None:
        if not self.val("disability_grade", p):  # no certificate: nothing to say
            return
        self.explain_node("other", name, p, 1, prefix=f"{pid}：" if self.lang == "zh" else f"{pid}: ")
        reason = self.fill(rate, p)
        self._benefit_verdict(name, pid, self.var(name, p), reason.text, reason.items)

    def explain_one_off(self, p: int, pid: str) -> None:
        if not (self.val("dibao_covered_person", p) or self.val("tekun_eligible", p)):
            return
        path = self.run.yearly["one_off_living_subsidy"][0]
        amount = self.run.resolver[path].table(f"{self.run.date[:4]}-01-01")[self.registry.index[self.key]]
        if amount == 0:
            return  # no payment in the year here: 0 in every month
        self.var("one_off_living_subsidy", p)  # paid in the year, month unknown: reported as not computed

    def explain_price_subsidy(self, p: int, pid: str) -> None:
        """price_subsidy as it words itself, for a member it covers."""
        if not self.val("price_subsidy_covered", p):
            return
        self.explain_node("other", "price_subsidy", p, 1, prefix=f"{pid}：" if self.lang == "zh" else f"{pid}: ")
        reason = self.fill("price_subsidy", p, form="short")
        self._benefit_verdict("price_subsidy", pid, self.var("price_subsidy", p), reason.text, reason.items)

    def explain_temporary_assistance(self) -> None:
        """Who decides a request, as temporary_assistance_approval_level words it (said when there is one)."""
        s = "other"
        requested = self.var("temporary_assistance_requested")
        if not requested.value:
            return
        self.explain_node(s, "temporary_assistance_approval_level", self.h, 1)
        level = self.var("temporary_assistance_approval_level")
        self.verdicts.append(
            Verdict(
                "temporary_assistance",
                None,
                level.value,
                None,
                self.t(
                    f"临时救助：申请 {requested} 元，{self._shown(level)}",
                    f"Temporary assistance: {requested} requested, {self._shown(level).lower()}",
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
