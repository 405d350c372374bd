"""Explanations rendered from the variables' own templates and the trace of their computation.

A variable declares ``explanation`` (engine/variable.py, docs/explanations.md): a zh/en template, or one per
result of a yes/no or enum variable. Its placeholders name what the trace recorded for the variable's
computation, and nothing else:

* ``{value}``: the variable's own result;
* ``{name}``: a variable its formula read (a child of its node in the trace); ``{name:text}`` that variable's
  own explanation, filled from its own node; ``{children:short}`` the ``short`` words of every child that has
  them for its result (the conditions a verdict names);
* ``{a.b}``: a jurisdictional parameter its formula read (the accessor's path), ``{a.b[name]}`` the column
  of a breakdown named by the value of the child ``name`` (``{dibao.standard[area]}``), ``{a.b:label}`` the
  parameter's label instead of its number (a yes/no rule).

The renderer combines recorded values with the template's words; it never compares values (the variables do).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from dataclasses import field as dataclass_field

import numpy as np

from openfisca_cn_assist.engine.variable import explanation_of
from openfisca_cn_assist.serve.explain.model import Item, format_number
from openfisca_cn_assist.serve.explain.run import _Missing, _split_label

PLACEHOLDER = re.compile(r"\{([^{}]+)\}")
_PARAMETER = re.compile(r"^([\w.]+?)(?:\[(\w+)\])?$")
SHORT = "short"


class TemplateError(LookupError):
    """A template's placeholder names nothing the trace recorded for its variable's computation."""


@dataclass
class Filled:
    """A filled template: its text, the items it states, and the parameter items (for the rule lines)."""

    text: str
    items: list[Item] = dataclass_field(default_factory=list)
    parameters: list[Item] = dataclass_field(default_factory=list)


def template_for(declared: dict, value) -> dict | None:
    """The {zh, en[, short]} template of a declaration for a result: the one template, or the result's."""
    if "zh" in declared:
        return declared
    return declared.get(value if isinstance(value, str) else bool(value))


def placeholders(text: str) -> list[str]:
    return PLACEHOLDER.findall(text)


def templates_of(declared: dict) -> list[str]:
    """Every template text of a declaration (both languages, every result, short forms)."""
    pairs = [declared] if "zh" in declared else [p for p in declared.values() if p]
    texts = []
    for pair in pairs:
        texts += [pair["zh"], pair["en"]]
        if SHORT in pair:
            texts += [pair[SHORT]["zh"], pair[SHORT]["en"]]
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
        template = template_for(declared, own.value)
        if template is not None and form == SHORT:
            template = template.get(SHORT)
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

    def _placeholder(self, name: str, node, row: int, key: str) -> Filled:
        variable, _, form = key.partition(":")
        if variable == "children" and form == SHORT:
            parts = [self._child_fill(node, child.name, name, row, SHORT) for child in self._children(node).values()]
            parts = [p for p in parts if p is not None]
            return Filled(
                _joined([p.text for p in parts], self.lang),
                [i for p in parts for i in p.items],
                [i for p in parts for i in p.parameters],
            )
        if "." in variable:
            part = self._parameter(name, node, row, variable)
            if form == "label":  # the parameter named, not its number (a yes/no rule); its rule lines follow
                return Filled(part.items[0].label, [], part.parameters)
            return part
        if variable not in self._children(node):
            raise TemplateError(
                f"{name}'s explanation names {{{key}}}: its formula read no variable {variable!r} and no parameter "
                f"of that name (read: {', '.join(self._children(node)) or 'no variable'})"
            )
        if form:
            return self._child_fill(node, variable, name, row, form) or Filled("")
        child = self._children(node)[variable]
        rows = self._rows_of(self._entity(name), self._entity(variable), row)
        items = [self.var(variable, r, str(child.period)) for r in rows]
        texts = [f"({self._shown(i)})" if _negative(i) and len(items) > 1 else self._shown(i) for i in items]
        return Filled(" + ".join(texts), items)

    def _child_fill(self, node, variable: str, name: str, row: int, form: str) -> Filled | None:
        child = self._children(node)[variable]
        parts = [
            self.fill(variable, r, str(child.period), form if form == SHORT else None)
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

    def explain_node(self, section: str, name: str, row: int, level: int, month: str | None = None) -> Filled | None:
        """One line: ``name``'s filled template, then the rule lines of the parameters it states."""
        filled = self.fill(name, row, month)
        self._rendered.add((name, month or self.run.month, row))
        if filled is None or not filled.text:
            return filled
        self.add(section, filled.text, filled.items, "step", level)
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
            template = template_for(declared, self.var(name, row, month).value) or {}
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
