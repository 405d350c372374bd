"""The account of one household: the shared machinery (items, rules, causes) and the order of the steps;
the steps themselves are in income, dibao, tekun and other."""

from __future__ import annotations

from contextlib import contextmanager

import numpy as np
from openfisca_core.periods import period as as_period

from openfisca_cn_assist.engine.errors import InputError
from openfisca_cn_assist.engine.resolver import ValueSource, relative_file
from openfisca_cn_assist.serve.explain.dibao import DibaoSteps
from openfisca_cn_assist.serve.explain.income import IncomeSteps
from openfisca_cn_assist.serve.explain.model import (
    CONFIDENCE_LABELS,
    HouseholdExplanation,
    Item,
    Line,
    NotComputed,
    Section,
    Verdict,
    _json_value,
)
from openfisca_cn_assist.serve.explain.other import OtherSteps
from openfisca_cn_assist.serve.explain.run import _Missing, _Run, _split_label
from openfisca_cn_assist.serve.explain.tekun import TekunSteps
from openfisca_cn_assist.serve.explain.templates import TemplateSteps


class _Account(IncomeSteps, DibaoSteps, TekunSteps, OtherSteps, TemplateSteps):
    def __init__(self, run: _Run, row: int, lang: str, computed_alone: bool = False):
        self.run = run
        self.h = row
        self.lang = lang
        self.computed_alone = computed_alone
        simulation = run.simulation
        self.household_id = str(simulation.household.ids[row])
        self.person_rows = [int(p) for p in np.flatnonzero(simulation.household.members_entity_id == row)]
        self.person_ids = {p: str(simulation.persons.ids[p]) for p in self.person_rows}
        jurisdictions = simulation.household("jurisdiction", run.period)
        self.key = str(jurisdictions.decode_to_str()[row])
        self.registry = run.system.registry
        self.sections: dict[str, Section] = {}
        self.verdicts: list[Verdict] = []
        self.causes: list[NotComputed] = []
        self.parameters: dict[tuple[str, str], dict] = {}
        self._ruled: set[tuple[str, str]] = set()
        self._rendered: set[tuple[str, str, int]] = set()  # (variable, month, row) stated from its template

    # -- language helpers ---------------------------------------------------------------------

    def t(self, zh: str, en: str) -> str:
        return zh if self.lang == "zh" else en

    def place(self, key: str) -> str:
        j = self.registry[key]
        return j.name_zh if self.lang == "zh" else j.name_en

    def enum_label(self, variable: str, name: str) -> str:
        enum = self.run.system.variables[variable].possible_values
        zh, en = _split_label(enum[name].value)
        return zh if self.lang == "zh" else en

    def add(self, section: str, text: str, items=(), kind: str = "step", level: int = 1) -> None:
        self.sections[section].lines.append(Line(text, list(items), kind, level))

    # -- values -------------------------------------------------------------------------------

    def var(self, name: str, row: int | None = None, month: str | None = None, label: str | None = None) -> Item:
        """A variable's value from the trace, as an item (raises _Missing when it was not computed)."""
        entity = self.run.system.variables[name].entity.key
        if row is None:
            row = self.h
        value = self.run.value(name, row, month)
        zh, en = self.run.labels.get(name) or _split_label(self.run.system.variables[name].label)
        return Item(
            label=label or (zh if self.lang == "zh" else en),
            value=value,
            kind="variable",
            variable=name,
            entity=entity,
            id=self.household_id if entity == "household" else self.person_ids[row],
            period=month or self.run.month,
            lang=self.lang,
        )

    def val(self, name: str, row: int | None = None):
        return self.var(name, row).value

    def source(self, path: str, month: str | None = None) -> ValueSource | None:
        date = str(as_period(month).start) if month else self.run.date
        return self.run.resolver[path].source(self.key, date)

    def param(self, variable: str, path: str, row: int | None = None, month: str | None = None) -> Item | None:
        """The monthly value ``variable``'s formula looked up for ``path`` (None when it made no such lookup)."""
        value = self.run.lookup(variable, path, self.h if row is None else row, month)
        if value is None:
            return None
        date = str(as_period(month).start) if month else self.run.date
        self._register(path, date)
        return Item(
            label=self.param_label(path),
            value=value,
            kind="parameter",
            parameter=path,
            field="monthly_value",
            jurisdiction=self.key,
            period=date,
            lang=self.lang,
        )

    def param_label(self, path: str) -> str:
        node = self.run.resolver[path].node
        zh, en = _split_label(node.description)
        return zh if self.lang == "zh" else ((node.metadata or {}).get("label_en") or en)

    def _register(self, path: str, date: str) -> None:
        source = self.run.resolver[path].source(self.key, date)
        if (path, date) in self.parameters:
            return
        entry = {"parameter": path, "jurisdiction": self.key, "date": date, "label": self.param_label(path)}
        if source is None:
            entry["in_force"] = False
        else:
            entry.update(
                in_force=True,
                source_jurisdiction=source.source_jurisdiction,
                inherited=source.inherited,
                start=source.start,
                value=_json_value(source.value),
                period=source.period,
                monthly_value=_json_value(source.monthly_value),
                unit=source.unit,
                file=relative_file(source.file_path),
                reference=source.reference,
                confidence=source.confidence,
                note=source.note,
            )
        self.parameters[(path, date)] = entry

    def unit(self, source: ValueSource | None, monthly: bool = False) -> str:
        if source is None:
            return ""
        unit = source.unit or ""
        if unit.startswith("currency"):
            period = "month" if monthly else source.period
            return {"year": self.t(" 元/年", " yuan a year"), "case": self.t(" 元/次", " yuan per case")}.get(
                period, self.t(" 元/月", " yuan a month")
            )
        return {
            "year": self.t(" 岁", " years"),
            "month": self.t(" 个月", " months"),
            "point": self.t(" 分", " points"),
            "class": self.t(" 类", ""),
            "percent": "%",
        }.get(unit, "")

    def rule(self, section: str, item: Item | None, level: int, month: str | None = None) -> list[Item]:
        """Two lines under a computation: the parameter with where its value comes from, and its source.

        Returns the items stated (the value as the source quotes it)."""
        if item is None:
            return []
        path = item.parameter
        source = self.source(path, month)
        label = self.param_label(path)
        repeated = (path, item.period) in self._ruled
        self._ruled.add((path, item.period))
        if source is None:
            self.add(
                section,
                self.t(
                    f"依据：{label}（{path}）：{self.place(self.key)}及其上级此时都没有有效值",
                    f"Rule: {label} ({path}): no value in force for {self.place(self.key)} or its parents",
                ),
                [],
                "rule",
                level,
            )
            return []
        quoted = Item(label, source.value, "parameter", parameter=path, field="value", jurisdiction=self.key)
        quoted.period, quoted.lang = item.period, self.lang
        if (source.unit or "") == "bool":
            quoted.value = bool(source.value)
        shown = f"{quoted}{self.unit(source)}"
        if repeated:  # sources and notes were given with the first use
            text = self.t(
                f"依据：{label}（{path}）= {shown}（来源同上）", f"Rule: {label} ({path}) = {shown} (source as above)"
            )
            self.add(section, text, [quoted], "rule", level)
            return [quoted]
        confidence = source.confidence or "?"
        confidence_zh, confidence_en = CONFIDENCE_LABELS.get(confidence, (confidence, confidence))
        self.add(
            section,
            self.t(
                f"依据：{label}（{path}）= {shown}；{self._origin(source)}；可信度 {confidence}（{confidence_zh}）",
                f"Rule: {label} ({path}) = {shown}; {self._origin(source)}; confidence {confidence} ({confidence_en})",
            ),
            [quoted],
            "rule",
            level,
        )
        self._references(section, source, level)
        if confidence == "assumed" and source.note:
            self.add(section, self.t(f"说明：{source.note}", f"Note: {source.note}"), [], "source", level)
        return [quoted]

    def _origin(self, source: ValueSource) -> str:
        """Whose value a parameter is: the jurisdiction's own, or inherited from a parent, and from when."""
        if source.inherited:
            return self.t(
                f"{self.place(self.key)}使用{self.place(source.source_jurisdiction)} {source.start} 起的值",
                f"{self.place(self.key)} uses {self.place(source.source_jurisdiction)}'s value from {source.start}",
            )
        return self.t(
            f"{self.place(self.key)}自己的值，{source.start} 起",
            f"{self.place(self.key)}'s own value from {source.start}",
        )

    def _references(self, section: str, source: ValueSource, level: int) -> None:
        """The first document a parameter's value comes from, quoted, and how many more there are."""
        references = (
            source.reference if isinstance(source.reference, list) else [source.reference] if source.reference else []
        )
        for reference in references[:1]:
            if isinstance(reference, dict):
                title = reference.get("title", "")
                quote = reference.get("quote") or reference.get("summary") or ""
                reading = reference.get("reading")
                where = reference.get("source") or reference.get("url") or ""
                text = self.t(f"来源：{title}：“{quote}”", f"Source: {title}: “{quote}”")
                if reading:
                    text += self.t(f"（解读：{reading}）", f" (reading: {reading})")
                if where:
                    text += f" [{where}]"
            else:
                text = self.t(f"来源：{reference}", f"Source: {reference}")
            if len(references) > 1:
                text += self.t(f"（另有 {len(references) - 1} 条来源）", f" (and {len(references) - 1} more)")
            self.add(section, text, [], "source", level)

    # -- not computed -------------------------------------------------------------------------

    def cause_of(self, missing: _Missing) -> NotComputed:
        rows = {"household": [self.h], "person": self.person_rows}
        variable, parameters, error = self.run.cause(missing.variable, missing.period, rows)
        message = str(error) if error is not None else f"{missing.variable} was not computed"
        for known in self.causes:
            if known.message == message and known.parameters == parameters:
                break
        else:
            known = NotComputed(
                number=len(self.causes) + 1,
                outputs=[],
                error=type(error).__name__ if error is not None else "NotComputed",
                variable=variable,
                parameters=parameters,
                message=message,
                text=self._cause_text(variable, parameters, error, message),
            )
            self.causes.append(known)
        if missing.variable not in known.outputs:
            known.outputs.append(missing.variable)
        return known

    def _cause_text(self, variable: str, parameters: list[str], error, message: str) -> str:
        if isinstance(error, InputError):
            return self.t(
                f"输入无法使用（{variable}）：{message}", f"an input the rules cannot use ({variable}): {message}"
            )
        if not parameters:
            return self.t(f"缺少数值（{variable}）：{message}", f"a missing figure ({variable}): {message}")
        chain = self.registry.chain(self.key)
        searched = self.t("、".join(self.place(k) for k in chain), ", ".join(self.place(k) for k in chain))
        parts = []
        for path, date in parameters:
            resolved = self.run.resolver[path]
            parts.append(
                self.t(
                    f"缺少参数 {path}（{self.param_label(path)}）：{date} 时{searched}都没有有效值"
                    f"（已有值：{resolved.describe_availability()}）",
                    f"missing parameter {path} ({self.param_label(path)}): no value in force on {date} "
                    f"for {searched} (values exist for: {resolved.describe_availability()})",
                )
            )
        hint = self.t(
            "可在 parameters/<参数>/<辖区>.yaml 中补充该值（注明来源，或标为 confidence: assumed），或把相应变量作为输入给出。",
            "Add the value in parameters/<parameter>/<jurisdiction>.yaml (with its source, or confidence: assumed), "
            "or give the variable as an input.",
        )
        return self.t("；".join(parts) + "。" + hint, "; ".join(parts) + ". " + hint)

    def short_cause(self, cause: NotComputed) -> str:
        if cause.parameters:
            what = self.t("缺少参数 ", "missing parameter ") + ", ".join(path for path, _ in cause.parameters)
        elif cause.error == "InputError":
            what = self.t("输入无法使用", "an input the rules cannot use")
        else:
            what = self.t("缺少数值", "a missing figure")
        return self.t(
            f"无法计算：{what}（见“无法计算”第 {cause.number} 条）",
            f"cannot be computed: {what} (see “Not computed” #{cause.number})",
        )

    @contextmanager
    def block(self, section: str, what_zh: str, what_en: str, level: int = 1, verdict: tuple | None = None):
        """Explain a part; if a value it needs was not computed, say so instead (and in the verdicts)."""
        try:
            yield
        except _Missing as missing:
            cause = self.cause_of(missing)
            what = self.t(what_zh, what_en)
            self.add(section, f"{what}{self.t('：', ': ')}{self.short_cause(cause)}", [], "not_computed", level)
            if verdict is not None:
                programme, person = verdict
                self.verdicts.append(
                    Verdict(
                        programme, person, "not_computed", None, f"{what}{self.t('：', ': ')}{self.short_cause(cause)}"
                    )
                )

    # -- the account --------------------------------------------------------------------------

    def build(self) -> HouseholdExplanation:
        titles = {
            "income": ("一、各成员收入", "1. Income of each member"),
            "per_capita": ("二、家庭人均收入", "2. Per-capita income"),
            "standard": ("三、低保标准", "3. Dibao standard"),
            "dibao": ("四、低保", "4. Dibao (minimum living guarantee)"),
            "tekun": ("五、特困人员救助供养", "5. Tekun (extreme-poverty support)"),
            "other": ("六、其他救助", "6. Other benefits"),
            "total": ("七、合计", "7. Total"),
            "not_computed": ("无法计算", "Not computed"),
        }
        for key, (zh, en) in titles.items():
            self.sections[key] = Section(key, self.t(zh, en))
        area = None
        try:
            area = self.val("area")
        except _Missing:
            pass
        self.area = area
        self.explain_income()
        self.explain_per_capita()
        self.explain_standard()
        self.explain_dibao()
        self.explain_tekun()
        self.explain_other()
        self.explain_total()
        for cause in self.causes:
            self.add("not_computed", f"{cause.number}. {cause.text}", [], "not_computed", 1)
            self.add(
                "not_computed",
                self.t("受影响：", "Affects: ") + ", ".join(cause.outputs),
                [],
                "not_computed",
                2,
            )
        members = [self.person_ids[p] for p in self.person_rows]
        area_text = self.enum_label("area", area) if area else "?"
        header = self.t(
            f"家庭 {self.household_id}：{self.place(self.key)}，{area_text}，{self.run.month}，"
            f"{len(members)} 名成员（{'、'.join(members)}）",
            f"Household {self.household_id}: {self.place(self.key)}, {area_text.lower()}, {self.run.month}, "
            f"{len(members)} member(s) ({', '.join(members)})",
        )
        if self.computed_alone:
            header += self.t(
                "\n（本户单独计算：同一情形中有无法计算的输出，各户分别计算，互不影响。）",
                "\n(Computed on its own: something in the situation cannot be computed, so each household was computed separately.)",
            )
        return HouseholdExplanation(
            household=self.household_id,
            period=self.run.month,
            lang=self.lang,
            jurisdiction=self.key,
            jurisdiction_name=self.place(self.key),
            area=area,
            members=members,
            header=header,
            verdicts=self.verdicts,
            sections=list(self.sections.values()),
            not_computed=self.causes,
            parameters=list(self.parameters.values()),
            computed_alone=self.computed_alone,
        )

    # 1. income ---------------------------------------------------------------------------------
