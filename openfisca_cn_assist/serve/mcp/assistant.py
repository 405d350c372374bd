"""The logic of the ``cn-assist mcp`` tools (the MCP wiring: :mod:`openfisca_cn_assist.serve.mcp.server`; docs/mcp.md).

Five tools, each a thin layer over a path the project already has, so an assistant gets the same checks and
the same numbers as an HTTP client or an analyst:

* ``calculate_household`` and ``explain_household`` post the household to this package's own Flask app
  (:func:`openfisca_cn_assist.serve.server.create_server_app`), in process through its test client:
  ``/calculate_batch`` and ``/explain`` validate it exactly as over HTTP, and their 4xx answers (the error and
  the field) become the tool error;
* ``jurisdiction_values`` asks the same app's ``/jurisdiction_values/<parameter>`` for one division;
* ``lookup_jurisdiction`` searches the national register (:mod:`openfisca_cn_assist.engine.division_search`);
* ``compare_reform`` checks the caseload through ``/calculate_batch`` (rows format), then runs
  :func:`openfisca_cn_assist.api.compare` on it, the analysts' own comparison.

This module does not import the ``mcp`` SDK (:mod:`.server` does), so the package
works without the ``[mcp]`` extra and ``cn-assist mcp`` says how to install it.
"""

from __future__ import annotations

import copy
import datetime
import json
import math
import threading
from typing import Any
from urllib.parse import quote, urlencode

import numpy as np

from openfisca_cn_assist.engine.situations import MONTH

SERVER_NAME = "openfisca-cn-assist"
MAX_CASELOAD = 1_000  # households per compare_reform call: a conversation, not a microsimulation
INSTALL_HINT = (
    "cn-assist mcp needs the MCP Python SDK: pip install 'openfisca-cn-assist[mcp]' (or pip install 'mcp>=2.3,<3')"
)
# Reforms that are options of every tool rather than policy reforms.
OPTION_REFORMS = ("carry_forward", "map_retired_codes")


class ToolInputError(ValueError):
    """A tool's input cannot be used: ``body`` is what HTTP would answer (``error``, ``field`` and details)."""

    def __init__(self, error: str, field: str | None = None, **details):
        super().__init__(error)
        self.body = {"error": error, **({"field": field} if field else {}), **details}

    def __str__(self) -> str:
        return json.dumps(self.body, ensure_ascii=False)


def _plain(value):
    """``value`` as strict JSON can carry it: numpy scalars as Python ones, NaN and infinities as None."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _check_month(period) -> str:
    if not isinstance(period, str) or not MONTH.match(period) or not 1 <= int(period[5:]) <= 12:
        raise ToolInputError(f"give the month as YYYY-MM, e.g. 2022-08 (got {period!r})", "period")
    return period


def _check_date(date) -> str:
    """A date as YYYY-MM-DD (YYYY-MM: its first day); today when None."""
    if date is None:
        return datetime.date.today().isoformat()
    text = f"{date}-01" if isinstance(date, str) and len(date) == 7 else date
    try:
        return datetime.date.fromisoformat(text).isoformat()
    except (TypeError, ValueError):
        raise ToolInputError(f"give the date as YYYY-MM-DD (or YYYY-MM), not {date!r}", "date") from None


class Assistant:
    """The tools' logic, independent of MCP: one system and one app per set of reforms, built once.

    Calls are serialised: OpenFisca systems keep caches that are not made for concurrent simulations.
    Nothing here guards stdout: the SDK (2.3+) serves stdio from a private copy and sends stray prints to stderr.
    """

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._apps: dict[tuple, tuple[Any, Any]] = {}
        self._baseline = None

    # Systems and apps ------------------------------------------------------------------------------------

    @property
    def baseline(self):
        if self._baseline is None:
            from openfisca_cn_assist.engine.system import builtin_system

            self._baseline = builtin_system()
        return self._baseline

    @staticmethod
    def reform_names() -> list[str]:
        """The reforms a tool may apply: those shipped in reforms/ (never a file: an assistant's input must not
        name code to run)."""
        from openfisca_cn_assist.engine.reform_tools import list_reforms

        return [name for name, _ in list_reforms() if name not in OPTION_REFORMS]

    def _checked_reforms(self, reforms, field: str = "reforms") -> tuple[str, ...]:
        if reforms is None:
            return ()
        if isinstance(reforms, str):
            reforms = [reforms]
        known = self.reform_names()
        for i, name in enumerate(reforms):
            if name not in known:
                from openfisca_cn_assist.serve.batch_common import _suggest

                raise ToolInputError(
                    f"unknown reform {name!r}{_suggest(name, known)}; the reforms: {', '.join(known)}", f"{field}[{i}]"
                )
        return tuple(reforms)

    def _app(self, reforms: tuple[str, ...], map_retired_codes: bool):
        key = (reforms, bool(map_retired_codes))
        if key not in self._apps:
            from openfisca_cn_assist.engine.divisions_in_force import mapping_retired_codes
            from openfisca_cn_assist.engine.reform_tools import apply_reform
            from openfisca_cn_assist.serve.server import Limits, create_server_app

            system = apply_reform(self.baseline, list(reforms)) if reforms else self.baseline
            if map_retired_codes:
                system = mapping_retired_codes(system)
            limits = Limits(max_households=MAX_CASELOAD)
            self._apps[key] = (system, create_server_app(system, limits).test_client())
        return self._apps[key]

    def _post(self, client, path: str, payload, prefix: str = "household.", fields: dict | None = None) -> tuple:
        """(status, answer) of ``POST path``; a 4xx other than 422 (a value no source gives) is a tool error whose
        field is named as the tool's input names it (``prefix`` + the HTTP field, or ``fields[field]``)."""
        body = json.dumps(payload, ensure_ascii=False)
        response = client.post(path, data=body.encode("utf-8", "surrogatepass"), content_type="application/json")
        answer = response.get_json(silent=True)
        if not isinstance(answer, dict):
            answer = {"error": response.get_data(as_text=True)[:500]}
        if response.status_code >= 500:  # a bug: its text stays in the log (stderr), as HTTP keeps it from clients
            raise ToolInputError(
                f"the computation failed (HTTP {response.status_code}): a bug, please report it with the input"
            )
        if response.status_code >= 400 and response.status_code != 422:
            raise self._input_error(answer, prefix, fields or {})
        return response.status_code, answer

    @staticmethod
    def _input_error(answer: dict, prefix: str, fields: dict) -> ToolInputError:
        details = {k: v for k, v in answer.items() if k not in ("error", "field")}
        field = answer.get("field")
        if field is not None:
            head = str(field).split("[")[0].split(".")[0]
            field = fields[head] + str(field)[len(head) :] if head in fields else prefix + str(field)
        return ToolInputError(str(answer.get("error", "bad input")), field, **details)

    @staticmethod
    def _rules(system, carry_forward: bool) -> dict:
        from openfisca_cn_assist.engine.fingerprint import rules
        from openfisca_cn_assist.engine.horizons import carrying_forward

        return rules(carrying_forward(system) if carry_forward else system)

    # Tools -----------------------------------------------------------------------------------------------

    def calculate_household(
        self,
        household: dict,
        period: str,
        outputs: list[str] | None = None,
        reforms: list[str] | None = None,
        carry_forward: bool = False,
        map_retired_codes: bool = False,
    ) -> dict:
        """One household's outputs for a month, with those not computed and why (the tools' descriptions, with
        the arguments': :mod:`openfisca_cn_assist.serve.mcp.server`)."""
        with self._lock:
            period = _check_month(period)
            system, client = self._app(self._checked_reforms(reforms), map_retired_codes)
            names, yearly = self._outputs(system, outputs)
            shape = _one_household(household)
            values, not_computed, carried = self._computed(
                system, client, household, shape, period, names, carry_forward
            )
            for name in yearly:
                not_computed[name] = {"error": yearly[name]}
            answer = {"period": period, **values, "not_computed": not_computed}
            if carry_forward:
                answer["carried_forward"] = carried
            answer["rules"] = self._rules(system, carry_forward)
            return _plain(answer)

    def _outputs(self, system, outputs) -> tuple[list[str], dict[str, str]]:
        """The outputs to compute for a month (default: the CLI's), and the yearly ones with why a month cannot
        hold them."""
        from openfisca_cn_assist.engine.outputs import declared_outputs, yearly_outputs
        from openfisca_cn_assist.serve.batch_common import _suggest

        yearly_reasons = {name: reason for name, (_, reason) in yearly_outputs(system).items()}
        if outputs is None:
            names = [o.name for o in declared_outputs(system, "cli")]
        else:
            if isinstance(outputs, str):
                outputs = [outputs]
            if not outputs:
                raise ToolInputError("give at least one output, or leave outputs out for the usual ones", "outputs")
            for i, name in enumerate(outputs):
                if name not in system.variables:
                    raise ToolInputError(
                        f"unknown variable {name!r}{_suggest(name, system.variables)}", f"outputs[{i}]"
                    )
            names = list(dict.fromkeys(outputs))
        yearly = {n: f"not known for a month: {yearly_reasons[n]}" for n in names if n in yearly_reasons}
        return [n for n in names if n not in yearly], yearly

    def _computed(self, system, client, household, shape: str, period: str, names: list[str], carry: bool):
        """(values by entity, not computed, carried forward): all outputs at once; when a value no source gives
        stops that (422), output by output, so one missing figure costs only the outputs that need it."""

        def post(wanted: list[str]) -> tuple:
            payload = _request(system, household, shape, period, wanted, carry)
            return self._post(client, "/calculate_batch", payload, fields=_ROW_FIELDS)

        status, answer = post(names)
        if status != 422:
            return _values(answer, shape, period), {}, answer.get("carried_forward", {})
        values, not_computed, carried = {"households": {}, "persons": {}}, {}, {}
        for name in names:
            status, answer = post([name])
            if status == 422:
                not_computed[name] = {k: v for k, v in answer.items() if k != "field"}
                continue
            for entity, instances in _values(answer, shape, period).items():
                for instance_id, found in instances.items():
                    values[entity].setdefault(instance_id, {}).update(found)
            for output, used in answer.get("carried_forward", {}).items():
                carried[output] = used
        return values, not_computed, carried

    def explain_household(
        self,
        household: dict,
        period: str,
        lang: str = "zh",
        reforms: list[str] | None = None,
        carry_forward: bool = False,
        map_retired_codes: bool = False,
    ) -> dict:
        """What POST /explain answers for one household (situation shape), with the rules."""
        with self._lock:
            period = _check_month(period)
            system, client = self._app(self._checked_reforms(reforms), map_retired_codes)
            if _one_household(household) != "situation":
                raise ToolInputError(
                    "explain_household takes the situation shape (persons and households by id, each household with "
                    "its members), as POST /explain does",
                    "household",
                )
            payload = {"situation": household, "period": period, "lang": lang, "carry_forward": carry_forward}
            fields = {"situation": "household", "lang": "lang", "period": "period", "carry_forward": "carry_forward"}
            status, answer = self._post(client, "/explain", payload, prefix="household.", fields=fields)
            if status == 422:
                raise self._input_error(answer, "household.", fields)
            return _plain({**answer, "rules": self._rules(system, carry_forward)})

    def lookup_jurisdiction(
        self, query: str, date: str | None = None, level: str | None = None, parent: str | None = None, limit: int = 20
    ) -> dict:
        """Divisions of the national register matching ``query``, as GET /jurisdictions finds them."""
        from openfisca_cn_assist.engine.division_search import suggest

        with self._lock:
            if not isinstance(query, str) or not query.strip():
                raise ToolInputError("give a code (532823, or a prefix: 5328), a Chinese name or pinyin", "query")
            system, client = self._app((), False)
            wanted = {"q": query, "date": date, "level": level, "parent": parent, "limit": limit}
            response = client.get("/jurisdictions?" + urlencode({k: v for k, v in wanted.items() if v is not None}))
            answer = response.get_json(silent=True) or {}
            if response.status_code != 200:
                field = answer.get("field")
                raise ToolInputError(answer.get("error", "bad input"), "query" if field == "q" else field)
            registry = system.registry
            rows = [{**row, **_names(registry, row)} for row in answer.get("jurisdictions", [])]
            found = {"query": query, "date": answer.get("date"), "count": answer.get("count"), "divisions": rows}
            if not rows:
                found["did_you_mean"] = suggest(registry, query)
            return _plain(found)

    def jurisdiction_values(self, jurisdiction: str, date: str | None = None, parameter: str | None = None) -> dict:
        """Each jurisdictional parameter's value for one division at ``date``, as /jurisdiction_values gives it."""
        from openfisca_cn_assist.engine.division_search import did_you_mean
        from openfisca_cn_assist.engine.resolver import resolver_for

        with self._lock:
            when = _check_date(date)
            system, client = self._app((), False)
            registry = system.registry
            index = registry.resolve_name(str(jurisdiction).strip()) if isinstance(jurisdiction, str) else None
            if index is None:
                raise ToolInputError(
                    f"unknown jurisdiction {jurisdiction!r}{did_you_mean(registry, str(jurisdiction))}", "jurisdiction"
                )
            code = registry.jurisdictions[index].code
            if code and (in_force := registry.record_in_force(code, when)) is not None:
                index = in_force
            record = registry.jurisdictions[index]
            paths = sorted(resolver_for(system).resolved) if parameter is None else [parameter]
            values = []
            for path in paths:
                query = urlencode({"date": when, "jurisdiction": record.key})
                response = client.get(f"/jurisdiction_values/{quote(str(path).replace('.', '/'))}?{query}")
                answer = response.get_json(silent=True) or {}
                if response.status_code != 200:
                    raise ToolInputError(answer.get("error", "bad input"), answer.get("field"))
                about = {
                    "parameter": answer["parameter"],
                    "description": answer.get("description"),
                    "unit": answer.get("unit"),
                }
                values.extend({**about, **row} for row in answer.get("jurisdictions", []))
            division = _division(registry, index, when)
            return _plain(
                {"jurisdiction": division, "date": when, "values": values, "rules": self._rules(system, False)}
            )

    def compare_reform(
        self,
        caseload: dict,
        reforms: list[str],
        period: str,
        carry_forward: bool = False,
        map_retired_codes: bool = False,
    ) -> dict:
        """Baseline against ``reforms`` on a small caseload (tables), as api.compare computes it."""
        with self._lock:
            chosen = self._checked_reforms(reforms)
            if not chosen:
                raise ToolInputError("give the reform(s) to compare with the baseline", "reforms")
            month = _compare_month(period)
            if not isinstance(caseload, dict) or _shape(caseload) != "rows":
                raise ToolInputError(
                    'the caseload is tables as JSON: {"persons": [{"person_id", "household_id", …}], '
                    '"households": [{"household_id", "jurisdiction", "area", "weight", …}]}',
                    "caseload",
                )
            # The same checks as POST /calculate_batch (rows format): a row error names its row and column.
            check = {k: caseload[k] for k in ("persons", "households") if k in caseload}
            extra = [k for k in caseload if k not in check]
            if extra:
                raise ToolInputError(f"unexpected key {extra[0]!r}: a caseload has persons and households", "caseload")
            _, client = self._app((), map_retired_codes)
            self._post(
                client,
                "/calculate_batch",
                {**check, "period": month, "variables": ["dibao_unit_size"], "carry_forward": carry_forward},
                prefix="caseload.",
                fields={"period": "period", "carry_forward": "carry_forward"},
            )
            return _plain(self._impact(check, chosen, period, carry_forward, map_retired_codes))

    @staticmethod
    def _impact(tables: dict, reforms: tuple, period: str, carry_forward: bool, map_retired_codes: bool) -> dict:
        import pandas as pd

        from openfisca_cn_assist.api import compare
        from openfisca_cn_assist.caseload.model import Caseload

        caseload = Caseload(
            persons=pd.DataFrame.from_records(tables["persons"]),
            households=pd.DataFrame.from_records(tables["households"]) if "households" in tables else None,
            name="mcp",
            persons_source="persons",
            households_source="households",
        )
        impact = compare(
            list(reforms), caseload, period, carry_forward=carry_forward, map_retired_codes=map_retired_codes
        )
        report = impact.report()
        return {
            "period": period,
            "reforms": list(reforms),
            "households": impact.baseline.household_count,
            "totals": report["totals"],  # 元 over the period, weighted
            "counts": report["households"],
            "covered": impact.covered,
            "not_computed": {"baseline": impact.baseline.not_computed, "reform": impact.reform.not_computed},
            "carried_forward": impact.carried_forward if carry_forward else {},
            "rules": impact.rules,
        }


# --- Shapes of a household -------------------------------------------------------------------------------


def _shape(household) -> str:
    """``situation`` (OpenFisca's: persons and households by id) or ``rows`` (tables: lists of rows)."""
    if not isinstance(household, dict):
        raise ToolInputError("a household is an object: a situation or rows (see the tool's description)", "household")
    if isinstance(household.get("persons"), list):
        return "rows"
    return "situation"


def _one_household(household) -> str:
    """The household's shape, once it is known to hold one household (a tool error otherwise)."""
    shape = _shape(household)
    listed = household.get("households")
    if shape == "rows" and listed is None:
        listed = {row.get("household_id") for row in household["persons"] if isinstance(row, dict)}
    if isinstance(listed, (dict, list, set)) and len(listed) > 1:
        raise ToolInputError(
            f"{len(listed)} households: this tool takes one (compare_reform takes a caseload; POST /calculate_batch "
            "of cn-assist serve takes many)",
            "household.households",
        )
    return shape


# A rows-format field that is a tool argument, not part of the household.
_ROW_FIELDS = {"period": "period", "variables": "outputs", "carry_forward": "carry_forward"}


def _request(system, household: dict, shape: str, period: str, names: list[str], carry: bool) -> dict:
    """The /calculate_batch body asking for ``names`` at ``period``: in a situation, a null for each output of
    each person or household that does not give it (as for /calculate); in rows, ``period`` and ``variables``."""
    if shape == "rows":
        return {**household, "period": period, "variables": names, "carry_forward": carry}
    situation = copy.deepcopy(household)
    entities = {"persons": "person", "households": "household"}
    for plural, entity in entities.items():
        instances = situation.get(plural)
        if not isinstance(instances, dict):
            continue  # /calculate_batch names what is wrong
        wanted = [n for n in names if system.variables[n].entity.key == entity]
        for instance in instances.values():
            if not isinstance(instance, dict):
                continue
            for name in wanted:
                by_period = instance.setdefault(name, {})
                if isinstance(by_period, dict):
                    by_period.setdefault(period, None)
    if carry:  # /calculate_batch takes the option beside a situation's persons and households
        situation["carry_forward"] = True
    return situation


def _values(answer: dict, shape: str, period: str) -> dict:
    """``{"households": {id: {output: value}}, "persons": {id: {output: value}}}`` from a /calculate_batch answer."""
    values: dict = {"households": {}, "persons": {}}
    for result in answer.get("results", []):
        if shape == "rows":
            household = {k: v for k, v in result.items() if k not in ("household_id", "persons")}
            values["households"][str(result.get("household_id"))] = household
            for person in result.get("persons", []):
                values["persons"][str(person["person_id"])] = {k: v for k, v in person.items() if k != "person_id"}
            continue
        for plural in ("households", "persons"):
            for instance_id, instance in result.get(plural, {}).items():
                found = {
                    name: (by_period[period] if set(by_period) == {period} else by_period)
                    for name, by_period in instance.items()
                    if isinstance(by_period, dict)
                }
                values[plural][instance_id] = found
    return values


def _names(registry, row: dict) -> dict:
    """The names of a division row's parent and successors (the row gives their codes)."""

    def name(code):
        records = registry.records_by_code.get(code) if code else None
        return registry.jurisdictions[records[-1]].name_zh if records else None

    return {"parent_name": name(row.get("parent")), "successor_names": [name(c) for c in row.get("successors", [])]}


def _division(registry, index: int, date: str) -> dict:
    """A register record as GET /jurisdictions lists it (parent and successors by code), with their names."""
    from openfisca_cn_assist.serve.jurisdictions_api import division_row

    row = {**division_row(registry, index, date), "in_force": registry.jurisdictions[index].in_force(date)}
    return {**row, **_names(registry, row)}


def _compare_month(period) -> str:
    """A month of ``period`` (a year or a month) for checking the caseload; the comparison covers the period."""
    if isinstance(period, str) and len(period) == 4 and period.isdigit():
        return f"{period}-01"
    return _check_month(period)
