"""Explanations rendered from the variables' own templates and the trace of their computation.

A variable declares ``explanation`` (engine/variable.py, docs/explanations.md): a zh/en template, or one per
result of a yes/no or enum variable. Its placeholders name what the trace recorded for the variable's
computation, and nothing else:

* ``{value}``: the variable's own result;
* ``{name}``: a variable its formula read (a child of its node in the trace); ``{name:text}`` that variable's
  own explanation, filled from its own node; ``{children:short}`` the ``short`` words of every child that has
  them for its result (the conditions a verdict names), ``{children:why}`` their ``why`` words (the reasons a
  test that failed gives, where a child's ``short`` words serve another verdict);
* ``{a.b}``: a jurisdictional parameter its formula read (the accessor's path), ``{a.b[name]}`` the column
  of a breakdown named by the value of the child ``name`` (``{dibao.standard[area]}``), ``{a.b:label}`` the
  parameter's label instead of its number (a yes/no rule);
* ``{name:each}``: a person variable read by a household's formula, each member whose template says something
  for their result, as "id text" joined by " + " (the class amounts a household is paid);
* ``{a.b:per_year}``: for a parameter whose source gives a yearly amount, "amount per year ÷ 12 = " (the
  resolver's conversion to the monthly value the formula read), else nothing;
* ``{name:given}``: "（输入）" where the variable the formula read was given as an input, else nothing;
* ``{a.b:rule}``: nothing in the text, but the parameter's rule lines follow the line (where the parameter
  decides which words are said, e.g. the way 低保 is paid);
* ``{months_per_year}``, ``{zero}``: a constant of the rules (:data:`CONSTANTS`), such as the 12 that turns a
  monthly figure into a yearly one.

A declaration may also choose its template by the value of a variable its formula read instead of its own:
keys ``("dibao_pays_by_class", True)`` (the way a benefit is paid names the numbers its line states).

The renderer combines recorded values with the template's words; it never compares values (the variables do).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from dataclasses import field as dataclass_field

import numpy as np

from openfisca_cn_assist.engine.resolver import PERIOD_DIVISORS
from openfisca_cn_assist.engine.temporary_assistance import MONTHS_PER_YEAR
from openfisca_cn_assist.engine.variable import explanation_of
from openfisca_cn_assist.serve.explain.model import Item, format_number
from openfisca_cn_assist.serve.explain.run import _Missing, _split_label

PLACEHOLDER = re.compile(r"\{([^{}]+)\}")
_PARAMETER = re.compile(r"^([\w.]+?)(?:\[(\w+)\])?$")
SHORT = "short"
WHY = "why"
FORMS = (SHORT, WHY)  # the words of a result that another variable's template quotes
# the constants a formula multiplies by, which no parameter holds: {name: (value, zh label, en label)}
CONSTANTS = {"months_per_year": (MONTHS_PER_YEAR, "每年月数", "months a year"), "zero": (0, "零", "zero")}


class TemplateError(LookupError):
    """A template's placeholder names nothing the trace recorded for its variable's computation."""


@dataclass
class Filled:
    """A filled template: its text, the items it states, and the parameter items (for the rule lines)."""

    text: str
    items: list[Item] = dataclass_field(default_factory=list)
    parameters: list[Item] = dataclass_field(default_factory=list)


def template_for(declared: dict, value) -> dict | None:
    """The {zh, en[, short, why]} template of a declaration for a result: the one template, or the result's.
    For a declaration by another variable's value (``chosen_by``), ``value`` is that variable's."""
    if "zh" in declared:
        return declared
    key = value if isinstance(value, str) else bool(value)
    chooser = chosen_by(declared)
    return declared.get((chooser, key) if chooser else key)


def chosen_by(declared: dict) -> str | None:
    """The variable whose value chooses the template (keys ``(name, value)``), or None: the variable's own."""
    names = {key[0] for key in declared if isinstance(key, tuple)}
    return names.pop() if names else None


def placeholders(text: str) -> list[str]:
    return PLACEHOLDER.findall(text)


def templates_of(declared: dict) -> list[str]:
    """Every template text of a declaration (both languages, every result, short forms)."""
    pairs = [declared] if "zh" in declared else [p for p in declared.values() if p]
    texts = []
    for pair in pairs:
        texts += [pair["zh"], pair["en"]]
        for form in FORMS:
            if form in pair:
                texts += [pair[form]["zh"], pair[form]["en"]]
    return texts


def _joined(texts: list[str], lang: str) -> str:
    return ("、" if lang == "zh" else ", ").join(t for t in texts if t)


class TemplateSteps:
    """Rendering of templates from the trace (a part of the household account; see account._Account)."""

    def _node(self, name: str, month: str):
        node = self.run.nodes.get((name, month))
        if node is None:
            raise _Missing(name, month)
        return node

    def _rows_of(self, entity: str, child_entity: str, row: int) -> list[int]:
        """The rows of ``child_entity`` that a row of ``entity`` reads: its own, its household, its members."""
        if entity == child_entity:
            return [row]
        members = self.run.simulation.household.members_entity_id
        if child_entity == "household":
            return [int(members[row])]
        return [int(p) for p in np.flatnonzero(members == row)]

    def _children(self, node) -> dict[str, object]:
        found = {}
        for child in node.children:
            found.setdefault(child.name, child)
        return found

    def _entity(self, name: str) -> str:
        return self.run.system.variables[name].entity.key

    def _shown(self, item: Item) -> str:
        """An item as the text writes it: an enum member by its label, a negative term in brackets."""
        variable = self.run.system.variables.get(item.variable or "")
        if isinstance(item.value, str) and variable is not None and variable.possible_values is not None:
            zh, en = _split_label(variable.possible_values[item.value].value)
            return zh if self.lang == "zh" else en
        return str(item)

    def fill(self, name: str, row: int, month: str | None = None, form: str | None = None) -> Filled | None:
        """``name``'s template for its result on ``row``, filled from its node; None when it has none for it."""
        month = month or self.run.month
        declared = explanation_of(self.run.system.variables[name])
        if declared is None:
            return None
        own = self.var(name, row, month)
        if chosen_by(declared) is not None and self.run.given(name, month):  # no computation chose a template
            return Filled(
                self.t(f"{own.label} {self._shown(own)}（输入）", f"{own.label} {self._shown(own)} (input)"), [own]
            )
        template = template_for(declared, self._chooser_value(name, declared, own, row, month))
        if template is not None and form in FORMS:
            template = template.get(form)
        if template is None:
            return None
        text = template[self.lang]
        if self.run.given(name, month) and any(p != "value" for p in placeholders(text)):
            given = self.t(f"{own.label} {self._shown(own)}（输入）", f"{own.label} {self._shown(own)} (input)")
            return Filled(given, [own])
        filled = Filled("")
        node = None if placeholders(text) == ["value"] * len(placeholders(text)) else self._node(name, month)

        def substitute(match) -> str:
            key = match.group(1)
            if key == "value":
                filled.items.append(own)
                return self._shown(own)
            part = self._placeholder(name, node, row, key)
            filled.items += part.items
            filled.parameters += part.parameters
            return part.text

        filled.text = PLACEHOLDER.sub(substitute, text)
        return filled

    def _chooser_value(self, name: str, declared: dict, own: Item, row: int, month: str):
        """The value that chooses ``name``'s template: its own, or that of the variable it is chosen by."""
        chooser = chosen_by(declared)
        if chooser is None:
            return own.value
        child = self._children(self._node(name, month)).get(chooser)
        if child is None:
            raise TemplateError(f"{name}'s explanation is chosen by {chooser!r}, which its formula did not read")
        return self.var(
            chooser, self._rows_of(self._entity(name), self._entity(chooser), row)[0], str(child.period)
        ).value

    def _placeholder(self, name: str, node, row: int, key: str) -> Filled:
        variable, _, form = key.partition(":")
        if variable == "children" and form in FORMS:
            parts = [self._child_fill(node, child.name, name, row, form) for child in self._children(node).values()]
            parts = [p for p in parts if p is not None]
            return Filled(
                _joined([p.text for p in parts], self.lang),
                [i for p in parts for i in p.items],
                [i for p in parts for i in p.parameters],
            )
        if variable in CONSTANTS:
            value, zh, en = CONSTANTS[variable]
            item = Item(self.t(zh, en), value, "constant", lang=self.lang)
            return Filled(self._shown(item), [item])
        if "." in variable:
            part = self._parameter(name, node, row, variable)
            if form == "label":  # the parameter named, not its number (a yes/no rule); its rule lines follow
                return Filled(part.items[0].label, [], part.parameters)
            if form == "rule":
                return Filled("", [], part.parameters)
            if form == "per_year":
                return self._per_year(part)
            return part
        if variable not in self._children(node):
            raise TemplateError(
                f"{name}'s explanation names {{{key}}}: its formula read no variable {variable!r} and no parameter "
                f"of that name (read: {', '.join(self._children(node)) or 'no variable'})"
            )
        if form == "each":
            return self._each(node, variable, name, row)
        if form == "given":
            given = self.run.given(variable, str(self._children(node)[variable].period))
            return Filled(self.t("（输入）", " (input)") if given else "")
        if form:
            return self._child_fill(node, variable, name, row, form) or Filled("")
        child = self._children(node)[variable]
        rows = self._rows_of(self._entity(name), self._entity(variable), row)
        items = [self.var(variable, r, str(child.period)) for r in rows]
        texts = [f"({self._shown(i)})" if _negative(i) and len(items) > 1 else self._shown(i) for i in items]
        return Filled(" + ".join(texts), items)

    def _per_year(self, part: Filled) -> Filled:
        """A yearly source converted to the month: its quoted amount ÷ 12 (the month's value follows)."""
        monthly = part.items[0]
        source = self.source(monthly.parameter, monthly.period[:7])
        if source is None or source.period != "year":
            return Filled("", [], part.parameters)
        quoted = Item(
            monthly.label,
            source.value,
            "parameter",
            parameter=monthly.parameter,
            field="value",
            jurisdiction=self.key,
            period=monthly.period,
            lang=self.lang,
        )
        divisor = Item(self.t("每年月数", "months a year"), int(PERIOD_DIVISORS["year"]), "constant", lang=self.lang)
        text = self.t(f"{quoted} 元/人·年 ÷ {divisor} = ", f"{quoted} yuan per person a year ÷ {divisor} = ")
        return Filled(text, [quoted, divisor, monthly], part.parameters)

    def _each(self, node, variable: str, name: str, row: int) -> Filled:
        """Each member's own words for ``variable`` (those whose template says something), "id text" + …"""
        child = self._children(node)[variable]
        parts = []
        for r in self._rows_of(self._entity(name), self._entity(variable), row):
            part = self.fill(variable, r, str(child.period))
            if part is not None and part.text:
                parts.append(Filled(f"{self.person_ids[r]} {part.text}", part.items, part.parameters))
        return Filled(
            " + ".join(p.text for p in parts),
            [i for p in parts for i in p.items],
            [i for p in parts for i in p.parameters],
        )

    def _child_fill(self, node, variable: str, name: str, row: int, form: str) -> Filled | None:
        child = self._children(node)[variable]
        parts = [
            self.fill(variable, r, str(child.period), form if form in FORMS else None)
            for r in self._rows_of(self._entity(name), self._entity(variable), row)
        ]
        parts = [p for p in parts if p is not None]
        if not parts:
            return None
        return Filled(
            self.t("；", "; ").join(p.text for p in parts if p.text),
            [i for p in parts for i in p.items],
            [i for p in parts for i in p.parameters],
        )

    def _parameter(self, name: str, node, row: int, key: str) -> Filled:
        match = _PARAMETER.match(key)
        path, column = (match.group(1), match.group(2)) if match else (key, None)
        if column is not None:
            selector = self._placeholder(name, node, row, column).items
            path = f"{path}_{selector[0].value}"
        item = self.param(name, path, row, str(node.period))
        if item is None:
            read = sorted({p.name for p in node.parameters})
            raise TemplateError(
                f"{name}'s explanation names {{{key}}}: its formula read no parameter {path!r} "
                f"(read: {', '.join(read) or 'none'})"
            )
        return Filled(self._shown(item), [item], [item])

    # -- lines -----------------------------------------------------------------------------------

    def explain_node(
        self, section: str, name: str, row: int, level: int, month: str | None = None, prefix: str = ""
    ) -> Filled | None:
        """One line: ``name``'s filled template (after ``prefix``, such as whose it is), then the rule lines of
        the parameters it states."""
        filled = self.fill(name, row, month)
        self._rendered.add((name, month or self.run.month, row))
        if filled is None or not filled.text:
            return filled
        self.add(section, prefix + filled.text, filled.items, "step", level)
        for item in filled.parameters:
            if not (isinstance(item.value, float) and math.isnan(item.value)):
                self.rule(section, item, level + 1, item.period[:7])
        return filled

    def walk(self, section: str, name: str, row: int, level: int, month: str | None = None) -> None:
        """Explain ``name``'s computation on ``row``: the variables it read first (depth first, in the order the
        formula read them), then itself; each variable with a template once in the account. A child that the
        chosen template embeds (``{child:text}``) is stated there, not on a line of its own."""
        month = month or self.run.month
        if (name, month, row) in self._rendered:
            return
        self._rendered.add((name, month, row))
        # a computation that failed: what it read before failing is still explained, then it raises _Missing
        node = self.run.nodes.get((name, month)) or self.run.failed.get((name, month)) or self._node(name, month)
        declared = explanation_of(self.run.system.variables[name])
        embedded = set()
        if declared is not None and node.value is not None:
            own = self.var(name, row, month)
            template = template_for(declared, self._chooser_value(name, declared, own, row, month)) or {}
            embedded = {
                key.partition(":")[0] for key in placeholders(template.get(self.lang, "")) if key.endswith(":text")
            }
        for child in self._children(node).values():
            for child_row in self._rows_of(self._entity(name), self._entity(child.name), row):
                if child.name in embedded:
                    self._walk_below(section, child.name, child_row, level, str(child.period))
                elif self._traced(child):
                    self.walk(section, child.name, child_row, level, str(child.period))
        self.explain_node(section, name, row, level, month)

    def _traced(self, child) -> bool:
        key = (child.name, str(child.period))
        return key in self.run.nodes or key in self.run.failed

    def _walk_below(self, section: str, name: str, row: int, level: int, month: str) -> None:
        """The children of an embedded variable, which is itself stated in its parent's line."""
        node = self._node(name, month)
        for child in self._children(node).values():
            for child_row in self._rows_of(self._entity(name), self._entity(child.name), row):
                if self._traced(child):
                    self.walk(section, child.name, child_row, level, str(child.period))


def _negative(item: Item) -> bool:
    return isinstance(item.value, (int, float)) and not isinstance(item.value, bool) and item.value < 0


def resolution(account, name: str, row: int, month: str | None = None) -> dict[str, str | None] | None:
    """{placeholder: None when it resolves on ``row`` of ``account``'s run, else why not}, over every template
    of ``name`` (every result's, as if the variable had that result); None where there is no computation."""
    declared = explanation_of(account.run.system.variables[name])
    month = month or account.run.month
    node = account.run.nodes.get((name, month))
    if declared is None or node is None or account.run.given(name, month):
        return None
    found: dict[str, str | None] = {}
    chooser = chosen_by(declared)
    if chooser is not None:
        found[chooser] = None if chooser in account._children(node) else f"{name} is chosen by {chooser!r}, not read"
    for text in templates_of(declared):
        for key in placeholders(text):
            if key == "value" or found.get(key, "") is None:
                continue
            try:
                account._placeholder(name, node, row, key)
                found[key] = None
            except TemplateError as error:
                found[key] = str(error)
            except _Missing:
                found[key] = None  # a value that failed is explained as not computed, not a wrong template
    return found


__all__ = ["Filled", "TemplateError", "TemplateSteps", "format_number", "placeholders", "resolution", "template_for"]
