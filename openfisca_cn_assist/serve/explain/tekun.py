"""Steps of the account: 特困."""

from __future__ import annotations

import math

from openfisca_cn_assist.serve.explain.model import (
    Verdict,
)


class TekunSteps:
    """Steps of the account: 特困 (a part of the household account; see account._Account)."""

    def explain_tekun(self) -> None:
        s = "tekun"
        for p in self.person_rows:
            pid = self.person_ids[p]
            with self.block(s, f"特困（{pid}）", f"Tekun ({pid})", verdict=("tekun", pid)):
                self.explain_tekun_person(p, pid)

    def explain_tekun_person(self, p: int, pid: str) -> None:
        s = "tekun"
        self.add(s, pid, [], "step", 1)
        # condition 1: no work capacity
        age = self.var("age", p)
        threshold = self.var("tekun_age_threshold", p)
        minor = self.param("tekun_no_work_capacity", "tekun.minor_age_limit", p)
        severe = self.val("tekun_severely_disabled", p)
        no_capacity = self.val("tekun_no_work_capacity", p)
        general = self.param("tekun_age_threshold", "tekun.age_threshold", p)
        hardship_rule = []
        if general is not None and threshold.value != general.value:
            area_class = self.var("hardship_area_class")
            min_class = self.param("tekun_age_threshold", "tekun.hardship_area_min_class", p)
            hardship_age = self.param("tekun_age_threshold", "tekun.age_threshold_hardship_area", p)
            self.add(
                s,
                self.t(
                    f"艰苦边远地区 {area_class} 类（≥ {min_class} 类）：年龄条件为 {threshold} 岁（一般为 {general} 岁）",
                    f"Hardship area class {area_class} (≥ {min_class}): age threshold {threshold} (generally {general})",
                ),
                [area_class, min_class, threshold, general],
                "step",
                2,
            )
            hardship_rule = [hardship_age, min_class]
        for item in hardship_rule:
            self.rule(s, item, 3)
        reasons, items = [], []
        if no_capacity:
            if age.value >= threshold.value:
                reasons.append(self.t(f"{age} 岁 ≥ {threshold} 岁", f"age {age} ≥ {threshold}"))
                items += [age, threshold]
            if minor is not None and age.value < minor.value:
                reasons.append(self.t(f"{age} 岁 < {minor} 岁（未成年）", f"age {age} < {minor} (a minor)"))
                items += [age, minor]
            if severe:
                reasons.append(self.t("重度残疾", "severely disabled"))
            condition = self.t(
                f"① 无劳动能力：满足（{'；'.join(reasons)}）", f"(a) No work capacity: met ({'; '.join(reasons)})"
            )
        elif minor is not None:
            condition = self.t(
                f"① 无劳动能力：不满足（{age} 岁，不满 {threshold} 岁，也不小于 {minor} 岁；非重度残疾）",
                f"(a) No work capacity: not met (age {age}: below {threshold}, not below {minor}; not severely disabled)",
            )
            items += [age, threshold, minor]
        else:
            condition = self.t(
                f"① 无劳动能力：不满足（{age} 岁，不满 {threshold} 岁；非重度残疾）",
                f"(a) No work capacity: not met (age {age}, below {threshold}; not severely disabled)",
            )
            items += [age, threshold]
        self.add(s, condition, items, "step", 2)
        # condition 2: no livelihood
        own = self.var("own_countable_income", p)
        standard = self.var("dibao_standard")
        no_livelihood = self.val("tekun_no_livelihood", p)
        below = own.value < standard.value
        over_property = (
            self.t("，但家庭财产超出当地规定", "; but property is over the local limits")
            if below and not no_livelihood
            else ""
        )
        self.add(
            s,
            self.t(
                f"② 无生活来源：{'满足' if no_livelihood else '不满足'}（本人可计收入 {own} 元 {'<' if below else '≥'} 低保标准 {standard} 元{over_property}）",
                f"(b) No livelihood: {'met' if no_livelihood else 'not met'} (own countable income {own} {'<' if below else '≥'} dibao standard {standard}{over_property})",
            ),
            [own, standard],
            "step",
            2,
        )
        # condition 3: no able supporter
        supporter = self.val("has_able_supporter", p)
        self.add(
            s,
            self.t(
                f"③ 无法定赡养、抚养、扶养义务人或其无履行能力：{'不满足（有具备能力的义务人）' if supporter else '满足'}",
                f"(c) No legal supporter able to support: {'not met (has one)' if supporter else 'met'}",
            ),
            [],
            "step",
            2,
        )
        excluded = self.val("tekun_excluded_as_supported_child", p)
        if excluded:  # 特困人员认定办法 2021 (R): not also 特困
            text = self.t(
                "已纳入孤儿或事实无人抚养儿童基本生活保障，不再认定为特困",
                "under orphan or de facto unsupported child support: not also tekun",
            )
            self.add(s, text, [], "step", 2)
        eligible = self.val("tekun_eligible", p)
        if not eligible:
            failed = [
                name
                for name, ok in (
                    (self.t("有劳动能力", "can work"), no_capacity),
                    (self.t("有生活来源", "has a livelihood"), no_livelihood),
                    (self.t("有赡养人", "has a supporter"), not supporter),
                    (self.t("已享受孤儿保障", "under orphan support"), not excluded),
                )
                if not ok
            ]
            text = self.t(
                f"特困：{pid} 不符合（{'、'.join(failed)}）", f"Tekun: {pid} not eligible ({', '.join(failed)})"
            )
            self.add(s, self.t("→ 不符合特困供养条件", "→ not eligible for tekun"), [], "step", 2)
            basic = self.var("tekun_basic_allowance", p)
            self.verdicts.append(Verdict("tekun", pid, "not_eligible", basic.value, text, [basic]))
            return
        self.add(s, self.t("→ 三项条件均满足，为特困人员", "→ all three conditions met: tekun"), [], "step", 2)
        basic = self.var("tekun_basic_allowance", p)
        own_standard = self.param("tekun_basic_allowance", f"tekun.basic_standard_{self.area}", p)
        ratio = self.param("tekun_basic_allowance", "tekun.basic_ratio_to_dibao", p)
        if own_standard is not None and not math.isnan(own_standard.value):
            own_text = self.t(f"当地特困标准 {own_standard}", f"local tekun standard {own_standard}")
        else:
            own_text = "—"
        if ratio is not None and not math.isnan(ratio.value):
            ratio_text = self.t(f"{ratio} × 低保标准 {standard}", f"{ratio} × dibao standard {standard}")
            ratio_items = [ratio, standard]
        else:
            ratio_text, ratio_items = "—", []
        self.add(
            s,
            self.t(
                f"基本生活费 = max({own_text}，{ratio_text}) = {basic} 元/月",
                f"Basic allowance = max({own_text}, {ratio_text}) = {basic} a month",
            ),
            [x for x in [own_standard] if x is not None and not math.isnan(x.value)] + ratio_items + [basic],
            "step",
            2,
        )
        for item in (own_standard, ratio):
            if item is not None and not math.isnan(item.value):
                self.rule(s, item, 3)
        text = self.t(
            f"特困：{pid} 符合，基本生活费 {basic} 元/月", f"Tekun: {pid} eligible, basic allowance {basic} a month"
        )
        items = [basic]
        care_text = ""
        with self.block(s, "照料护理费", "Care allowance", 2):
            level = self.val("self_care_level", p)
            care = self.var("tekun_care_allowance", p)
            rate = self.param("tekun_care_allowance", f"tekun.care_rate_{level}", p)
            wage = self.param("tekun_care_allowance", "wages.minimum_wage", p)
            self.add(
                s,
                self.t(
                    f"照料护理费（{self.enum_label('self_care_level', level)}）= {rate} × 最低工资 {wage} = {care} 元/月",
                    f"Care allowance ({self.enum_label('self_care_level', level).lower()}) = {rate} × minimum wage {wage} = {care} a month",
                ),
                [rate, wage, care],
                "step",
                2,
            )
            self.rule(s, rate, 3)
            self.rule(s, wage, 3)
            care_text = self.t(f"，照料护理费 {care} 元/月", f", care allowance {care} a month")
            items.append(care)
        if not care_text:
            care_text = self.t(
                "，照料护理费无法计算（见“无法计算”）", "; the care allowance cannot be computed (see “Not computed”)"
            )
        self.verdicts.append(Verdict("tekun", pid, "eligible", basic.value, text + care_text, items))

    # 6. other benefits -------------------------------------------------------------------------
