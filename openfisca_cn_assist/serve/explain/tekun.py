"""Steps of the account: 特困, rendered from the templates of its variables (serve/explain/templates.py)."""

from __future__ import annotations

from openfisca_cn_assist.serve.explain.model import Verdict


class TekunSteps:
    """Steps of the account: 特困 (a part of the household account; see account._Account)."""

    def explain_tekun(self) -> None:
        s = "tekun"
        for p in self.person_rows:
            pid = self.person_ids[p]
            with self.block(s, f"特困（{pid}）", f"Tekun ({pid})", verdict=("tekun", pid)):
                self.explain_tekun_person(p, pid)

    def explain_tekun_person(self, p: int, pid: str) -> None:
        """The conditions as tekun_eligible read them, then the allowances; the verdict is tekun_eligible's value."""
        s = "tekun"
        self.add(s, pid, [], "step", 1)
        self.walk(s, "tekun_eligible", p, 2)
        eligible = self.var("tekun_eligible", p)
        decided = self.t(f"特困：{pid} ", f"Tekun: {pid} ") + self.fill("tekun_eligible", p, form="short").text
        basic = self.var("tekun_basic_allowance", p)
        if not eligible.value:
            self.verdicts.append(Verdict("tekun", pid, "not_eligible", basic.value, decided, [basic]))
            return
        self.walk(s, "tekun_basic_allowance", p, 2)
        text = decided + self.t(f"，基本生活费 {basic} 元/月", f", basic allowance {basic} a month")
        items = [basic]
        care_text = self.t(
            "，照料护理费无法计算（见“无法计算”）", "; the care allowance cannot be computed (see “Not computed”)"
        )
        with self.block(s, "照料护理费", "Care allowance", 2):
            self.walk(s, "tekun_care_allowance", p, 2)
            care = self.var("tekun_care_allowance", p)
            care_text = self.t(f"，照料护理费 {care} 元/月", f", care allowance {care} a month")
            items.append(care)
        self.verdicts.append(Verdict("tekun", pid, "eligible", basic.value, text + care_text, items))
