"""Steps of the account: 低保 standard, eligibility, payment, 渐退, 单人户, 低保边缘."""

from __future__ import annotations

from openfisca_cn_assist.serve.explain.model import (
    Item,
    Verdict,
)


class DibaoSteps:
    """Steps of the account: 低保 standard, eligibility, payment, 渐退, 单人户, 低保边缘 (a part of the household account; see account._Account)."""

    def explain_standard(self) -> None:
        s = "standard"
        with self.block(s, "低保标准", "Dibao standard"):
            standard = self.var("dibao_standard")
            if self.run.given("dibao_standard"):
                self.add(
                    s,
                    self.t(
                        f"低保标准 {standard} 元/人·月：作为输入给出（没有使用参数）",
                        f"Dibao standard {standard} per person a month: given as an input (no parameter used)",
                    ),
                    [standard],
                )
                return
            self.explain_node(s, "dibao_standard", self.h, 1)

    # 4. dibao ----------------------------------------------------------------------------------

    def explain_dibao(self) -> None:
        s = "dibao"
        with self.block(s, "低保", "Dibao", verdict=("dibao", None)):
            size = self.var("dibao_unit_size")
            if not size.value:
                benefit = self.var("dibao_benefit")
                text = self.t(
                    "低保：全体成员都是特困人员，低保不适用", "Dibao: every member is tekun; dibao does not apply"
                )
                self.add(s, text, [])
                self.verdicts.append(Verdict("dibao", None, "not_applicable", benefit.value, text, [benefit]))
                return
            eligible = self.var("dibao_eligible")
            self.explain_points()
            test = self.fill("dibao_eligible", self.h)  # its own result, worded by its template
            self.add(s, self.t("认定：", "Test: ") + test.text, test.items)
            verdict_text = self.t("低保：", "Dibao: ") + test.text
            verdict_items = list(test.items)
            status = "eligible" if eligible.value else "not_eligible"

            if eligible.value:
                regular = self.var("dibao_regular_benefit")
                payment = self.explain_payment()
                verdict_text += self.t(f"；{payment}", f"; {payment}")
                verdict_items.append(regular)
            else:
                exit_text, exit_items, in_exit = self.explain_gradual_exit()
                if exit_text:
                    verdict_text += self.t(f"；{exit_text}", f"; {exit_text}")
                    verdict_items += exit_items
                if in_exit:
                    status = "gradual_exit"
            single_text, single_items = self.explain_single_person()
            if single_text:
                verdict_text += self.t(f"；{single_text}", f"; {single_text}")
                verdict_items += single_items
                if status == "not_eligible":
                    status = "single_person"
            marginal_text, marginal_items = self.explain_marginal()
            if marginal_text:
                verdict_text += self.t(f"；{marginal_text}", f"; {marginal_text}")
                verdict_items += marginal_items
            benefit = self.explain_dibao_total()
            verdict_text += self.t(f"。本月低保金 {benefit} 元", f". Dibao this month: {benefit}")
            verdict_items.append(benefit)
            self.verdicts.append(Verdict("dibao", None, status, benefit.value, verdict_text, verdict_items))

    def explain_points(self) -> None:
        """玉溪's points test, as dibao_points_pass words it, where the jurisdiction uses it."""
        uses = self.param("dibao_points_pass", "dibao.uses_points")
        if uses is not None and uses.value:
            self.explain_node("dibao", "dibao_points_pass", self.h, 1)

    def explain_payment(self) -> str:
        """The regular benefit of an eligible household, as dibao_regular_benefit words it; its short words."""
        self.explain_node("dibao", "dibao_regular_benefit", self.h, 1)
        return self.fill("dibao_regular_benefit", self.h, form="short").text

    def explain_gradual_exit(self) -> tuple[str, list[Item], bool]:
        """渐退 of a household on 低保 last month that is not eligible now, as dibao_gradual_exit_active and
        dibao_gradual_exit_benefit word it; (verdict words, their items, whether it is in its 渐退 period)."""
        s = "dibao"
        if not self.val("dibao_recipient_last_month"):
            return "", [], False
        self.explain_node(s, "dibao_gradual_exit_active", self.h, 1)
        status = self.fill("dibao_gradual_exit_active", self.h, form="short")
        if not self.val("dibao_gradual_exit_active"):
            return status.text, status.items, False
        self.explain_node(s, "dibao_gradual_exit_benefit", self.h, 1)
        paid = self.fill("dibao_gradual_exit_benefit", self.h, form="short")
        return status.text + self.t("，", ", ") + paid.text, status.items + paid.items, True

    def explain_single_person(self) -> tuple[str, list[Item]]:
        """单人户 for each severely disabled or seriously ill member (those the rule concerns), as
        dibao_single_person_unit words its result, with the payment as dibao_single_person_benefit words it."""
        s = "dibao"
        summaries, summary_items = [], []
        for p in self.person_rows:
            pid = self.person_ids[p]
            with self.block(s, f"单人户（{pid}）", f"Single-person unit ({pid})", 1):
                severe = self.val("is_severely_disabled", p)
                if not (severe or self.val("has_serious_illness", p)):
                    continue
                who = self.t("重度残疾" if severe else "重病", "severely disabled" if severe else "seriously ill")
                unit = self.fill("dibao_single_person_unit", p)
                allowed = self.param("dibao_single_person_allowed", "dibao.single_person_unit_allowed", p)
                parts = [unit]
                if self.val("dibao_single_person_unit", p):
                    benefit = self.var("dibao_single_person_benefit", p)
                    parts.append(self.fill("dibao_single_person_benefit", p))
                    text = self.t(
                        f"单人户：{pid}（{who}），{unit.text}；{parts[1].text}",
                        f"Single-person unit: {pid} ({who}), {unit.text}; {parts[1].text}",
                    )
                    summaries.append(
                        self.t(f"{pid} 作为单人户纳入低保 {benefit} 元/月", f"{pid} covered alone ({benefit} a month)")
                    )
                    summary_items.append(benefit)
                else:
                    text = self.t(
                        f"单人户：{pid}（{who}）{unit.text}", f"Single-person unit: {pid} ({who}) {unit.text}"
                    )
                self.add(s, text, [i for part in parts for i in part.items])
                for item in [allowed, *(i for part in parts for i in part.parameters)]:
                    self.rule(s, item, 2)
        return self.t("；".join(summaries), "; ".join(summaries)), summary_items

    def explain_marginal(self) -> tuple[str, list[Item]]:
        """低保边缘 as dibao_marginal_family words it; said of a family not on 低保 (it is not a candidate)."""
        s = "dibao"
        with self.block(s, "低保边缘家庭", "Marginal family"):
            if self.val("dibao_recipient"):
                return "", []
            self.explain_node(s, "dibao_marginal_family", self.h, 1)
            short = self.fill("dibao_marginal_family", self.h, form="short")
            if self.val("dibao_marginal_family"):  # the verdict quotes the family's status only when it is one
                return short.text, short.items
        return "", []

    def explain_dibao_total(self) -> Item:
        s = "dibao"
        benefit = self.var("dibao_benefit")
        parts = [self.var("dibao_regular_benefit"), self.var("dibao_gradual_exit_benefit")]
        parts += [self.var("dibao_single_person_benefit", p) for p in self.person_rows]
        shown = [p for p in parts if p.value]
        if len(shown) > 1:
            expression = " + ".join(f"{p.label} {p}" for p in shown)
            self.add(
                s,
                self.t(f"本月低保金 = {expression} = {benefit} 元", f"Dibao this month = {expression} = {benefit}"),
                [*shown, benefit],
            )
        else:
            self.add(s, self.t(f"本月低保金 {benefit} 元", f"Dibao this month: {benefit}"), [benefit])
        return benefit

    # 5. tekun ----------------------------------------------------------------------------------
