"""Steps of the account: 低保 standard, eligibility, payment, 渐退, 单人户, 低保边缘."""

from __future__ import annotations

from openfisca_cn_assist.engine.resolver import (
    PERIOD_DIVISORS,
)
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
            path = f"dibao.standard_{self.area}"
            monthly = self.param("dibao_standard", path)
            source = self.source(path)
            area = self.enum_label("area", self.area)
            if source is not None and source.period == "year":
                quoted = Item(
                    self.param_label(path),
                    source.value,
                    "parameter",
                    parameter=path,
                    field="value",
                    jurisdiction=self.key,
                    period=self.run.date,
                    lang=self.lang,
                )
                divisor = Item(
                    self.t("每年月数", "months a year"), int(PERIOD_DIVISORS["year"]), "constant", lang=self.lang
                )
                self.add(
                    s,
                    self.t(
                        f"{area}低保标准：{quoted} 元/人·年 ÷ {divisor} = {standard} 元/人·月",
                        f"{area} dibao standard: {quoted} yuan per person a year ÷ {divisor} = {standard} per person a month",
                    ),
                    [quoted, divisor, standard] + ([monthly] if monthly else []),
                )
            else:
                self.add(
                    s,
                    self.t(
                        f"{area}低保标准：{standard} 元/人·月", f"{area} dibao standard: {standard} per person a month"
                    ),
                    [standard] + ([monthly] if monthly else []),
                )
            self.rule(s, monthly, 2)

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
            per_capita = self.var("dibao_per_capita_income")
            standard = self.var("dibao_standard")
            eligible = self.var("dibao_eligible")
            self.explain_points()
            test = self.fill("dibao_eligible", self.h)  # its own result, worded by its template
            self.add(s, self.t("认定：", "Test: ") + test.text, test.items)
            verdict_text = self.t("低保：", "Dibao: ") + test.text
            verdict_items = list(test.items)
            status = "eligible" if eligible.value else "not_eligible"

            if eligible.value:
                regular = self.var("dibao_regular_benefit")
                payment = self.explain_payment(regular, per_capita, standard, size)
                verdict_text += self.t(f"；{payment}", f"; {payment}")
                verdict_items.append(regular)
            else:
                exit_text, exit_items, in_exit = self.explain_gradual_exit()
                if exit_text:
                    verdict_text += self.t(f"；{exit_text}", f"; {exit_text}")
                    verdict_items += exit_items
                if in_exit:
                    status = "gradual_exit"
            single_text, single_items = self.explain_single_person(standard)
            if single_text:
                verdict_text += self.t(f"；{single_text}", f"; {single_text}")
                verdict_items += single_items
                if status == "not_eligible":
                    status = "single_person"
            marginal_text, marginal_items = self.explain_marginal(per_capita, standard)
            if marginal_text:
                verdict_text += self.t(f"；{marginal_text}", f"; {marginal_text}")
                verdict_items += marginal_items
            benefit = self.explain_dibao_total()
            verdict_text += self.t(f"。本月低保金 {benefit} 元", f". Dibao this month: {benefit}")
            verdict_items.append(benefit)
            self.verdicts.append(Verdict("dibao", None, status, benefit.value, verdict_text, verdict_items))

    def explain_points(self) -> bool:
        """玉溪's points test, where the jurisdiction uses it; True when it passes or is not used."""
        s = "dibao"
        uses = self.param("dibao_points_pass", "dibao.uses_points")
        if uses is None or not uses.value:
            return True
        parts = [
            self.var(n)
            for n in ("dibao_points_labour", "dibao_points_income", "dibao_points_property", "dibao_points_adjustment")
        ]
        score = self.var("dibao_points_score")
        mark = self.param("dibao_points_pass", "dibao.points_pass_mark")
        passed = self.val("dibao_points_pass")
        expression = " + ".join(f"{p.label} {p}" for p in parts)
        self.add(
            s,
            self.t(
                f"积分制：{expression} = {score} 分 {'≥' if passed else '<'} 认定分数线 {mark} 分 → {'达标' if passed else '未达标'}",
                f"Points: {expression} = {score} {'≥' if passed else '<'} pass mark {mark} → {'passes' if passed else 'fails'}",
            ),
            [*parts, score, mark],
        )
        self.rule(s, uses, 2)
        self.rule(s, mark, 2)
        return bool(passed)

    def explain_payment(self, regular: Item, per_capita: Item, standard: Item, size: Item) -> str:
        s = "dibao"
        by_class = self.val("dibao_pays_by_class")
        method = self.param("dibao_pays_by_class", f"dibao.pays_by_class_{self.area}")
        if by_class:
            counted, _ = self.counted_members()
            terms, items, paths = [], [], {}
            for p in counted:
                cls = self.val("dibao_class", p)
                amount = self.var("dibao_class_amount", p)
                terms.append(
                    self.t(
                        f"{self.person_ids[p]} {cls.upper()} 类 {amount}",
                        f"{self.person_ids[p]} class {cls.upper()} {amount}",
                    )
                )
                items.append(amount)
                paths.setdefault(f"dibao.class_amount_{cls}", p)
            text = self.t(
                f"分档发放：{' + '.join(terms)} = {regular} 元/月",
                f"Paid by class: {' + '.join(terms)} = {regular} a month",
            )
            self.add(s, text, [*items, regular])
            self.rule(s, method, 2)
            for path, p in paths.items():
                self.rule(s, self.param("dibao_class_amount", path, p), 2)
            short = self.t(f"分档发放 {regular} 元/月", f"paid by class: {regular} a month")
        else:
            text = self.t(
                f"差额发放：（{standard} − {per_capita}）× {size} = {regular} 元/月",
                f"Paid by the gap: ({standard} − {per_capita}) × {size} = {regular} a month",
            )
            self.add(s, text, [standard, per_capita, size, regular])
            self.rule(s, method, 2)
            short = self.t(f"差额发放 {regular} 元/月", f"gap payment {regular} a month")
        return short

    def explain_gradual_exit(self) -> tuple[str, list[Item], bool]:
        s = "dibao"
        last = self.var("dibao_recipient_last_month")
        if not last.value:
            return "", [], False
        months = self.var("dibao_months_above_standard")
        active = self.var("dibao_gradual_exit_active")
        length = self.param("dibao_gradual_exit_active", "dibao.gradual_exit_months")
        given = self.t("（输入）", " (input)") if self.run.given("dibao_recipient_last_month") else ""
        if active.value:
            base = self.var("dibao_exit_base_benefit")
            share = self.param("dibao_gradual_exit_benefit", "dibao.gradual_exit_benefit_share")
            benefit = self.var("dibao_gradual_exit_benefit")
            self.add(
                s,
                self.t(
                    f"渐退：上月享受低保{given}，本月收入超标，处于渐退期第 {months} 个月（渐退期 {length} 个月）",
                    f"Gradual exit: on dibao last month{given}, income now above the standard: month {months} of the {length}-month exit period",
                ),
                [months, length],
            )
            base_given = self.t("（输入）", " (input)") if self.run.given("dibao_exit_base_benefit") else ""
            self.add(
                s,
                self.t(
                    f"渐退期低保金 = {share} × 渐退前常规低保金 {base}{base_given} = {benefit} 元/月",
                    f"Gradual-exit benefit = {share} × regular benefit before the exit {base}{base_given} = {benefit} a month",
                ),
                [share, base, benefit],
            )
            self.rule(s, length, 2)
            self.rule(s, share, 2)
            return (
                self.t(
                    f"处于渐退期第 {months} 个月，渐退期低保金 {benefit} 元/月",
                    f"in month {months} of the gradual exit, paying {benefit} a month",
                ),
                [months, benefit],
                True,
            )
        self.add(
            s,
            self.t(
                f"渐退：上月享受低保{given}，本月为收入超标第 {months} 个月，超过渐退期 {length} 个月，低保停发",
                f"Gradual exit: on dibao last month{given}; this is month {months} above the standard, past the {length}-month exit period: dibao stops",
            ),
            [months, length],
        )
        self.rule(s, length, 2)
        return (
            self.t(
                f"渐退期已满（第 {months} 个月 > {length} 个月）",
                f"the gradual exit is over (month {months} > {length})",
            ),
            [months, length],
            False,
        )

    def explain_single_person(self, standard: Item) -> tuple[str, list[Item]]:
        s = "dibao"
        summaries, summary_items = [], []
        for p in self.person_rows:
            pid = self.person_ids[p]
            with self.block(s, f"单人户（{pid}）", f"Single-person unit ({pid})", 1):
                severe = self.val("is_severely_disabled", p)
                ill = self.val("has_serious_illness", p)
                if not (severe or ill):
                    continue
                who = self.t("重度残疾" if severe else "重病", "severely disabled" if severe else "seriously ill")
                unit = self.val("dibao_single_person_unit", p)
                allowed = self.param("dibao_single_person_unit", "dibao.single_person_unit_allowed", p)
                own = self.var("own_countable_income", p)
                if unit:
                    benefit = self.var("dibao_single_person_benefit", p)
                    if self.val("dibao_pays_by_class"):
                        cls = self.val("dibao_class", p).upper()
                        pay = self.t(f"按 {cls} 类发放 {benefit} 元/月", f"paid class {cls}: {benefit} a month")
                        pay_items = [benefit]
                    else:
                        pay = self.t(f"{standard} − {own} = {benefit} 元/月", f"{standard} − {own} = {benefit} a month")
                        pay_items = [standard, own, benefit]
                    self.add(
                        s,
                        self.t(
                            f"单人户：{pid}（{who}），家庭为低保边缘家庭，本人可计收入 {own} 元 < 标准 {standard} 元 → 单独纳入低保；{pay}",
                            f"Single-person unit: {pid} ({who}), in a marginal family, own countable income {own} < standard {standard} → covered alone; {pay}",
                        ),
                        [own, standard, *pay_items],
                    )
                    self.rule(s, allowed, 2)
                    summaries.append(
                        self.t(f"{pid} 作为单人户纳入低保 {benefit} 元/月", f"{pid} covered alone ({benefit} a month)")
                    )
                    summary_items.append(benefit)
                    continue
                if self.val("tekun_eligible", p):
                    reason, items = self.t("本人是特困人员", "they are tekun"), []
                elif allowed is not None and not allowed.value:
                    reason, items = self.t("当地此时不实行单人户", "not allowed here at this date"), []
                elif self.val("dibao_recipient"):
                    reason, items = self.t("家庭已享受低保", "the family already receives dibao"), []
                elif not self.val("dibao_marginal_family"):
                    reason, items = self.t("家庭不是低保边缘家庭", "the family is not a marginal family"), []
                elif own.value < standard.value and not self.val("dibao_single_person_points_pass", p):
                    reason, items = self.t("本人积分未达标", "their own points fall short of the pass mark"), []
                else:
                    reason = self.t(
                        f"本人可计收入 {own} 元 ≥ 标准 {standard} 元",
                        f"own countable income {own} ≥ standard {standard}",
                    )
                    items = [own, standard]
                self.add(
                    s,
                    self.t(
                        f"单人户：{pid}（{who}）不单独纳入低保：{reason}",
                        f"Single-person unit: {pid} ({who}) is not covered alone: {reason}",
                    ),
                    items,
                )
                self.rule(s, allowed, 2)
        return self.t("；".join(summaries), "; ".join(summaries)), summary_items

    def explain_marginal(self, per_capita: Item, standard: Item) -> tuple[str, list[Item]]:
        s = "dibao"
        text, items = "", []
        with self.block(s, "低保边缘家庭", "Marginal family"):
            if self.val("dibao_recipient"):
                return "", []
            marginal = self.val("dibao_marginal_family")
            multiple = self.param("dibao_marginal_family", "dibao.marginal_income_multiplier")
            if multiple is None:
                return "", []
            below = per_capita.value < multiple.value * standard.value
            relation = "<" if below else "≥"
            verdict = self.t(
                "是低保边缘家庭" if marginal else "不是低保边缘家庭",
                "a marginal family" if marginal else "not a marginal family",
            )
            if below and not marginal:  # property over the local limits
                verdict = self.t("但家庭财产超出当地规定，", "but property is over the local limits: ") + verdict
            self.add(
                s,
                self.t(
                    f"低保边缘：人均收入 {per_capita} 元 {relation} {multiple} × 标准 {standard} 元 → {verdict}",
                    f"Marginal family: per-capita income {per_capita} {relation} {multiple} × standard {standard} → {verdict}",
                ),
                [per_capita, multiple, standard],
            )
            self.rule(s, multiple, 2)
            if marginal:
                text = self.t("属低保边缘家庭", "a marginal (低保边缘) family")
        return text, items

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
