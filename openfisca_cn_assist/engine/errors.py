"""Errors raised for input that the rules cannot use. Each names the variable and the rows.

The engine knows a simulation's rows only by position. An error about some rows therefore keeps them
(:class:`NamesRows`: ``entity``, ``rows`` and the message with a ``{rows}`` slot) so that a caller that
knows where the rows come from (a caseload file, a request's list) words the same message in its reader's
terms: 1-based input rows with their ids for a caseload, ``persons[3]`` for JSON. One wording, one home.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

SHOWN = 5  # rows named in a message; the count says how many there are in all


def rows_text(rows, limit: int = SHOWN) -> str:
    """``0, 4, 7 … (12 in all)``: the first rows' positions, and how many in all."""
    shown = ", ".join(str(int(r)) for r in rows[:limit])
    return shown + (f" … ({len(rows):,} in all)" if len(rows) > limit else "")


def word(
    template: str,
    rows: list[str],
    count: int,
    places: list[tuple[int, str, str]] = (),
    chains_first: bool = False,
) -> str:
    """Fill a message's slots: ``{rows}`` (names of the first rows), ``{count}`` (how many rows), ``{places}``
    (the jurisdictions' labels) and ``{searched}`` (their chains: after the places, or in front of the message
    with ``chains_first``). ``places``: (registry index, label, chain), listed in registry order."""
    counted = "{count}" in template  # the message gives the number: no "(12 in all)" after the rows
    named = ", ".join(rows) + (f" … ({count:,} in all)" if not counted and count > len(rows) else "")
    text = template.replace("{count}", f"{count:,}").replace("{rows}", named)
    places = sorted(set(places))
    text = text.replace("{places}", ", ".join(label for _, label, _ in places))
    chains = "; ".join(chain for _, _, chain in places)
    if "{searched}" in text and chains_first:
        return f"[{chains}] " + text.replace("{searched}", "")
    return text.replace("{searched}", f" (searched {chains})")


def need_sentence(entity: str) -> str:
    """The sentence of a template that says how many rows need a missing value and names the first ones."""
    return "{count} " + entity + "(s) need it, first rows: {rows}. "


class NamesRows:
    """An error about some rows of a simulation, whose message a caller can word with its own row names.

    ``template`` is the message with slots (:func:`word`): ``{rows}`` where the rows are named and, optionally,
    ``{count}``, ``{places}`` and ``{searched}`` (the jurisdictions concerned, ``places``); :meth:`worded` fills
    them. Without a template (an error raised with a plain message) :meth:`worded` is the message.
    """

    entity: str | None = None
    rows: np.ndarray | None = None
    template: str | None = None
    places: tuple = ()  # (registry index, label, chain searched) of the jurisdictions concerned

    def name_rows(self, template: str, entity: str, rows, places=()) -> None:
        self.template, self.entity, self.rows, self.places = template, entity, np.asarray(rows), tuple(places)
        self.args = (self.worded(),)

    def row_names(self, name: Callable[[int], str] = str) -> list[str]:
        return [name(int(r)) for r in self.rows[:SHOWN]]

    def worded(
        self,
        name: Callable[[int], str] = str,
        count: int | None = None,
        chains_first: bool = False,
        rows: bool = True,
    ) -> str:
        """The message, each named row worded by ``name(position)``; ``count`` replaces the number of rows (the
        count over several simulations, when this one's rows are some of them); ``rows=False`` leaves out the
        sentence counting and naming the rows that need a missing value (:func:`need_sentence`), for a message
        about one household among them."""
        if self.template is None or self.rows is None:
            return str(self)
        template = self.template if rows else self.template.replace(need_sentence(self.entity), "")
        count = len(self.rows) if count is None else count
        return word(template, self.row_names(name), count, self.places, chains_first)

    def prefixed(self, text: str):
        """The same error (same class and fields), its message preceded by ``text``."""
        if self.template is not None:
            self.template = text + self.template
        self.args = (text + str(self),)
        return self


class InputError(NamesRows, ValueError):
    """An input value the rules cannot use; the message names the variable, the rows and what was expected."""

    @classmethod
    def at_rows(cls, template: str, entity: str, rows) -> InputError:
        """The error for ``rows`` of ``entity``, its message ``template`` with ``{rows}`` (and ``{count}``) filled."""
        error = cls("")
        error.name_rows(template, entity, rows)
        return error
