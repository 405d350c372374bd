"""``cn-assist serve``: OpenFisca's Web API for this package, plus batch, explanation and provenance endpoints.

The app is OpenFisca's own (:func:`openfisca_web_api.app.create_app`, so ``/entities``, ``/variables``,
``/parameters``, ``/spec``, ``/calculate`` and ``/trace`` behave as under ``openfisca serve``) with:

* ``POST /calculate_batch``: many households, one vectorised simulation (:mod:`openfisca_cn_assist.serve.batch`);
* ``POST /explain``: why each household gets what it gets (:mod:`openfisca_cn_assist.serve.explain`), JSON or text;
* ``GET /jurisdiction_values/<parameter>?date=YYYY-MM-DD``: every jurisdiction's value at a date, with the
  jurisdiction it is inherited from, its start date, confidence and reference;
* ``GET /outputs``: the outputs the calculator page shows (name, entity, unit, labels), from the variables'
  declarations (:mod:`openfisca_cn_assist.engine.outputs`);
* ``GET /``: the calculator page (``openfisca_cn_assist/serve/web/index.html``; other files under ``/web/``);
* request size limits (bytes and households, axes included), and 4xx answers naming the offending field for
  bad input: ``/calculate`` and ``/trace`` check situations as ``/calculate_batch`` does (one validation,
  :func:`openfisca_cn_assist.serve.batch_situations.check_situation`); a rule that lacks a value
  (:class:`MissingParameterValueError`) is a 422; bodies are strict JSON and answers standard JSON
  (:mod:`openfisca_cn_assist.serve.wire`); a 500 never repeats the exception's text;
* CORS off unless origins are named; ``X-Forwarded-*`` headers trusted only behind a proxy.

It runs under waitress, which reads each request whole before a thread computes it, so that stalled uploads
hold no thread; bound to 127.0.0.1 unless told otherwise.
"""

from __future__ import annotations

import datetime
import math
import re
import time
from dataclasses import dataclass
from pathlib import Path

from openfisca_core.errors import PeriodMismatchError, SituationParsingError

from openfisca_cn_assist.engine.collector import collector_paused
from openfisca_cn_assist.engine.errors import InputError
from openfisca_cn_assist.engine.fingerprint import rules
from openfisca_cn_assist.engine.inputs import out_of_range, range_text
from openfisca_cn_assist.engine.outputs import output_fields
from openfisca_cn_assist.engine.resolver import MissingParameterValueError, resolver_for
from openfisca_cn_assist.engine.situations import MONTH, first_month
from openfisca_cn_assist.serve.batch import calculate_batch, system_with_options
from openfisca_cn_assist.serve.batch_common import BatchError, check_period, missing_value_error
from openfisca_cn_assist.serve.batch_situations import SituationBatch, check_situation
from openfisca_cn_assist.serve.explain import LANGS, explain
from openfisca_cn_assist.serve.jurisdictions_api import JURISDICTIONS_SPEC, register_jurisdictions
from openfisca_cn_assist.serve.wire import dumps, read_json, register_version

WEB_DIR = Path(__file__).resolve().with_name("web")
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 5000
_PLACEHOLDER = """<!doctype html>
<html lang="zh">
<head><meta charset="utf-8"><title>openfisca-cn-assist</title></head>
<body>
<h1>社会救助计算器 / Social assistance calculator</h1>
<p>The calculator page is not installed yet (<code>openfisca_cn_assist/serve/web/index.html</code>).
Meanwhile the API is here: <a href="/spec">/spec</a> (OpenAPI), <a href="/variables">/variables</a>,
<a href="/parameters">/parameters</a>, <a href="/jurisdiction_values">/jurisdiction_values</a>;
<code>POST /calculate</code>, <code>/calculate_batch</code>, <code>/explain</code>.</p>
</body>
</html>
"""


@dataclass
class Limits:
    """Request limits. ``max_households`` bounds ``/calculate_batch``; ``max_situation_households`` bounds the
    endpoints that build one OpenFisca ``SimulationBuilder`` situation (``/calculate``, ``/trace``, ``/explain``)."""

    max_households: int = 100_000
    max_situation_households: int = 1_000
    max_content_length: int = 64 * 2**20


def _count_households(payload) -> int:
    if isinstance(payload, dict) and isinstance(payload.get("households"), dict):
        return len(payload["households"])
    return 0


def create_server_app(system, limits: Limits | None = None, cors_origins=(), behind_proxy: bool = False):
    """OpenFisca's Flask app for ``system``, with this package's endpoints, limits and error answers.

    ``cors_origins``: the origins a browser page may call the API from (none: CORS off); ``behind_proxy``:
    trust the ``X-Forwarded-For``, ``-Host`` and ``-Proto`` headers a reverse proxy sets (otherwise anyone
    could set them)."""
    app = _Server(system, limits or Limits()).app
    _cors_and_proxy(app, tuple(cors_origins), behind_proxy)
    return app


def _cors_and_proxy(app, cors_origins: tuple, behind_proxy: bool) -> None:
    """Undo what OpenFisca's ``create_app`` sets for every deployment, every origin allowed by CORS and the
    forwarded headers trusted, and set them as asked."""
    from werkzeug.middleware.proxy_fix import ProxyFix

    hooks = app.after_request_funcs.get(None, [])
    hooks[:] = [hook for hook in hooks if getattr(hook, "__name__", "") != "cors_after_request"]
    for wrapped in ("handle_exception", "handle_user_exception"):  # flask-cors wraps them on the instance
        app.__dict__.pop(wrapped, None)
    if isinstance(app.wsgi_app, ProxyFix):
        app.wsgi_app = app.wsgi_app.app
    if behind_proxy:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)
    if cors_origins:
        from flask_cors import CORS

        CORS(app, origins=list(cors_origins))


class _Server:
    """The app's additions: each endpoint and error answer is a method, registered in :meth:`__init__`."""

    def __init__(self, system, limits: Limits):
        from openfisca_web_api.app import create_app
        from werkzeug.exceptions import RequestEntityTooLarge

        self.system, self.limits = system, limits
        app = self.app = create_app(
            system, welcome_message="openfisca-cn-assist: see /spec, or / for the calculator page."
        )
        app.config["MAX_CONTENT_LENGTH"] = limits.max_content_length

        app.register_error_handler(BatchError, self.batch_error)
        app.register_error_handler(MissingParameterValueError, self.missing_value)
        app.register_error_handler(InputError, self.input_error)
        app.register_error_handler(RequestEntityTooLarge, self.too_large)
        app.register_error_handler(500, self.internal_error)

        # OpenFisca's /calculate and /trace: the same handlers and answers, after this package's checks.
        app.view_functions["calculate"] = self.situation_view("calculate")
        app.view_functions["trace"] = self.situation_view("trace")
        self.original_spec = app.view_functions["get_spec"]
        app.view_functions["get_spec"] = self.get_spec
        app.view_functions["get_root"] = self.index

        app.add_url_rule("/outputs", "outputs", self.outputs)
        # The page's own files (app.js, style.css); every API route is more specific than /<path>.
        app.add_url_rule("/web/<path:filename>", "web_file", self.web_file)
        app.add_url_rule("/<path:filename>", "web_file", self.web_file)
        app.add_url_rule("/calculate_batch", "calculate_batch_route", self.calculate_batch, methods=["POST"])
        app.add_url_rule("/explain", "explain_route", self.explain, methods=["POST"])
        app.add_url_rule("/jurisdiction_values", "jurisdiction_parameters", self.jurisdiction_parameters)
        app.add_url_rule("/jurisdiction_values/<path:parameter>", "jurisdiction_values", self.jurisdiction_values)
        register_jurisdictions(app, system)  # GET /jurisdictions: the register of divisions
        register_version(app, system, self.respond)  # GET /version, and the rules on every answer's headers
        # GET on a POST-only route would fall through to /<path:filename> and answer 404.
        self.post_only = {
            rule.rule.lstrip("/")
            for rule in app.url_map.iter_rules()
            if "POST" in rule.methods and "GET" not in rule.methods and "<" not in rule.rule
        }

    def respond(self, payload, status: int = 200):
        return self.app.response_class(dumps(payload), status=status, mimetype="application/json")

    @staticmethod
    def body(require_json_type: bool = False):
        """The request's JSON; 4xx naming the problem when it is not (:func:`openfisca_cn_assist.serve.wire.read_json`)."""
        from flask import request

        return read_json(request, require_json_type)

    # Errors ----------------------------------------------------------------------------------------------

    def batch_error(self, error: BatchError):
        return self.respond(error.to_dict(), error.status)

    def missing_value(self, error: MissingParameterValueError):
        details = {"parameter": error.parameter, "date": error.date} if getattr(error, "parameter", None) else {}
        return self.respond({"error": str(error), **details}, 422)

    def input_error(self, error: InputError):
        return self.respond({"error": str(error)}, 400)

    def internal_error(self, error):
        """A 500 that says so without repeating the exception (its text may show internals); the log has it."""
        message = "internal server error; the server's log has the details"
        return self.app.response_class(dumps({"error": message}), status=500, mimetype="application/json")

    def too_large(self, error):
        from flask import request

        _drain(request, self.limits.max_content_length)
        return self.respond(
            {
                "error": f"request body larger than {self.limits.max_content_length} bytes "
                "(cn-assist serve --max-body-mb): split the batch",
                "field": "body",
            },
            413,
        )

    # OpenFisca's views, wrapped --------------------------------------------------------------------------

    def situation_view(self, name: str):
        """OpenFisca's ``/calculate`` or ``/trace`` handler, after the checks ``/calculate_batch`` makes."""
        from openfisca_web_api import handlers

        handler = getattr(handlers, name)

        def view():
            from flask import request

            payload = self.body(require_json_type=True)
            if not isinstance(payload, dict):
                raise BatchError("send a situation: an object with persons and households")
            axes = payload.get("axes")
            situation = {key: value for key, value in payload.items() if key != "axes"}
            count = _count_households(situation)
            if "axes" in payload:
                if name == "calculate":
                    raise BatchError(
                        "/calculate does not take axes (OpenFisca's answer cannot hold the households they make): "
                        "use /trace, or send the households themselves to /calculate_batch",
                        "axes",
                    )
                count *= _axes_multiplier(self.system, axes, situation)
            if count > self.limits.max_situation_households:
                raise BatchError(
                    f"{count} households in one situation{' (axes included)' if axes else ''}; {request.path} takes "
                    f"at most {self.limits.max_situation_households} (cn-assist serve --max-situation-households): "
                    "send many households to /calculate_batch",
                    "axes" if axes else "households",
                    status=413,
                )
            check_situation(self.system, situation, self.limits.max_situation_households)
            try:
                result = handler(self.system, payload)
            except (SituationParsingError, PeriodMismatchError) as error:
                return self.respond(_openfisca_error(error.error), error.code or 400)
            return self.respond(result)

        view.__name__ = name
        return view

    def get_spec(self):
        spec = self.original_spec().get_json()
        spec.setdefault("paths", {}).update({**_SPEC_PATHS, **JURISDICTIONS_SPEC})
        return self.respond(spec)

    # Pages -----------------------------------------------------------------------------------------------

    def index(self):
        page = WEB_DIR / "index.html"
        if page.is_file():
            from flask import send_file

            return send_file(page, mimetype="text/html")
        return self.app.response_class(_PLACEHOLDER, mimetype="text/html")

    def outputs(self):  # the calculator page's fields, from the variables' declarations
        return self.respond(output_fields(self.system))

    def web_file(self, filename):
        from flask import send_from_directory

        if filename.rstrip("/") in self.post_only:
            response = self.respond({"error": f"/{filename} takes POST, not GET"}, 405)
            response.headers["Allow"] = "POST"
            return response
        return send_from_directory(WEB_DIR, filename)

    # Batch and explanations ------------------------------------------------------------------------------

    def calculate_batch(self):
        started = time.perf_counter()
        with collector_paused():
            answer = calculate_batch(self.system, self.body(), self.limits.max_households)
            response = self.respond(answer)
        response.headers["Server-Timing"] = f"compute;dur={1000 * (time.perf_counter() - started):.1f}"
        return response

    def explain(self):
        from flask import request

        situation, prefix, payload = _explain_request(self.body())
        system = system_with_options(self.system, payload)[0]
        period = payload.get("period") or request.args.get("period") or first_month(situation)
        lang = payload.get("lang") or payload.get("language") or request.args.get("lang") or "zh"
        wanted = _explain_format(payload.get("format") or request.args.get("format"), request)
        if not isinstance(period, str) or not MONTH.match(period):  # 2022-13 too
            raise BatchError(f"give the month to explain as YYYY-MM, e.g. 2022-08 (got {period!r})", "period")
        count = _count_households(situation)
        if count > self.limits.max_situation_households:
            raise BatchError(
                f"{count} households to explain; /explain takes at most {self.limits.max_situation_households} "
                "(cn-assist serve --max-situation-households)",
                prefix + "households",
                status=413,
            )
        batch = self._checked_situation(situation, prefix)
        if lang not in LANGS:
            raise BatchError(f"lang is one of {', '.join(LANGS)}, not {lang!r}", "lang")
        try:
            explanations = explain(system, situation, period, lang)
        except SituationParsingError as error:
            return self.respond(
                {"error": error.error, "field": _situation_field(error.error, prefix)}, error.code or 400
            )
        except PeriodMismatchError as error:
            return self.respond({"error": error.message, "field": prefix + "persons"}, 400)
        except MissingParameterValueError as error:
            raise missing_value_error(error, batch.row_labels) from None
        text = "\n\n".join(e.to_text() for e in explanations)
        if wanted == "text":
            return self.app.response_class(text + "\n", mimetype="text/plain")
        return self.respond(
            {"period": period, "lang": lang, "households": [e.to_dict() for e in explanations], "text": text}
            | {"rules": rules(system)}
        )

    def _checked_situation(self, situation, prefix: str) -> SituationBatch:
        """Check the situation as /calculate_batch does, so errors name the field in the same way."""
        return check_situation(self.system, situation, self.limits.max_situation_households, prefix)

    # Provenance of resolved jurisdiction values -----------------------------------------------------------

    def jurisdiction_parameters(self):
        from flask import request

        resolver = resolver_for(self.system)
        return self.respond(
            {
                path: {
                    "description": resolved.node.description,
                    "href": f"{request.host_url}jurisdiction_values/{path.replace('.', '/')}",
                }
                for path, resolved in sorted(resolver.resolved.items())
            }
        )

    def jurisdiction_values(self, parameter):
        from flask import request

        resolver = resolver_for(self.system)
        path = parameter.strip("/").replace("/", ".")
        if path not in resolver.resolved:
            import difflib

            close = difflib.get_close_matches(path, list(resolver.resolved), n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]}?" if close else ""
            return self.respond(
                {
                    "error": f"'{path}' is not a jurisdictional parameter{hint} (list: /jurisdiction_values)",
                    "field": "parameter",
                },
                404,
            )
        date = _date(request.args.get("date") or datetime.date.today().isoformat())
        resolved = resolver[path]
        rows = resolved.values_at(date)
        wanted = request.args.get("jurisdiction")
        if wanted is not None:
            if wanted not in self.system.registry:
                close = [k for k in self.system.registry.keys if k.startswith(wanted[:3])][:3]
                return self.respond(
                    {
                        "error": f"unknown jurisdiction {wanted!r}"
                        + (f"; did you mean {close[0]!r}?" if close else ""),
                        "field": "jurisdiction",
                    },
                    400,
                )
            rows = [row for row in rows if row["jurisdiction"] == wanted]
        return self.respond(
            {
                "parameter": path,
                "description": resolved.node.description,
                "unit": (resolved.node.metadata or {}).get("unit"),
                "date": date,
                "jurisdictions": rows,
            }
        )


_EXPLAIN_KEYS = ("situation", "period", "lang", "language", "format", "carry_forward", "map_retired_codes")


def _explain_request(payload) -> tuple[dict, str, dict]:
    """(situation, prefix of its fields in error answers, options) from /explain's body: a situation, or
    ``{"situation": …, "period": …, …}``."""
    if not isinstance(payload, dict):
        raise BatchError('send {"situation": {...}, "period": "2022-08", "lang": "zh"} or a situation')
    if "situation" not in payload:
        return payload, "", {}
    extra = [k for k in payload if k not in _EXPLAIN_KEYS]
    if extra:
        raise BatchError(
            f"unexpected key {extra[0]!r}: send situation, period, lang, format, carry_forward and map_retired_codes",
            extra[0],
        )
    return payload["situation"], "situation.", payload


def _explain_format(wanted: str | None, request) -> str:
    """json or text: as asked, else from the Accept header."""
    if wanted is None:
        best = request.accept_mimetypes.best_match(["application/json", "text/plain"], default="application/json")
        wanted = "text" if best == "text/plain" else "json"
    if wanted not in ("json", "text"):
        raise BatchError(f"format is json or text, not {wanted!r}", "format")
    return wanted


def _date(text: str) -> str:
    try:
        if re.fullmatch(r"\d{4}-\d{2}", text):
            text += "-01"
        return datetime.date.fromisoformat(text).isoformat()
    except ValueError:
        raise BatchError(f"date is YYYY-MM-DD (or YYYY-MM), not {text!r}", "date") from None


def _drain(request, limit: int) -> None:
    """Read and drop up to ``limit`` bytes of a refused body, so the client gets the 413 rather than a reset."""
    stream = request.environ.get("wsgi.input")
    if stream is None:
        return
    remaining, deadline = max(limit, 64 * 2**20), time.monotonic() + 10
    try:
        while remaining > 0 and time.monotonic() < deadline:
            chunk = stream.read(min(remaining, 2**20))
            if not chunk:
                break
            remaining -= len(chunk)
    except OSError:
        pass


def _openfisca_error(error) -> dict:
    """OpenFisca's error answer (a nested dict down to the message, or a message), with ``error`` and ``field``
    added as every other answer of this server has them."""
    if not isinstance(error, dict):
        return {"error": str(error)}
    message = error
    while isinstance(message, dict) and message:
        message = next(iter(message.values()))
    return {**error, "error": str(message), "field": _situation_field(error, "")}


def _situation_field(error, prefix: str) -> str | None:
    """The first path of an OpenFisca SituationParsingError's nested dict, dotted."""
    parts = []
    while isinstance(error, dict) and error:
        key = next(iter(error))
        parts.append(str(key))
        error = error[key]
    return prefix + ".".join(parts) if parts else None


def _finite(value: float) -> bool:
    try:
        return math.isfinite(value)
    except OverflowError:  # an integer of hundreds of digits
        return False


_AXIS_KEYS = ("name", "count", "min", "max", "period", "index")


def _axes_multiplier(system, axes, situation: dict) -> int:
    """How many copies of the situation ``axes`` make (parallel axes share a count, crossed ones multiply);
    400 naming the axis when one is malformed."""
    if not isinstance(axes, list) or not axes or not all(isinstance(group, list) and group for group in axes):
        raise BatchError('axes is a list of lists of axes, e.g. [[{"name": "wage_income", "count": 5, …}]]', "axes")
    multiplier = 1
    for i, group in enumerate(axes):
        counts = []
        for j, axis in enumerate(group):
            where = f"axes[{i}][{j}]"
            if not isinstance(axis, dict):
                raise BatchError("an axis is an object with name, count, min and max", where)
            extra = [key for key in axis if key not in _AXIS_KEYS]
            if extra:
                raise BatchError(f"an axis has {', '.join(_AXIS_KEYS)}, not {extra[0]!r}", f"{where}.{extra[0]}")
            variable = system.variables.get(axis.get("name")) if isinstance(axis.get("name"), str) else None
            if variable is None or variable.value_type not in (int, float):
                raise BatchError("an axis varies a numeric input: give its name", where + ".name")
            if not isinstance(axis.get("period"), str):
                raise BatchError("give the period the axis varies, e.g. 2022-08", where + ".period")
            check_period(variable, axis["period"], where + ".period")
            instances = situation.get(variable.entity.plural)
            index = axis.get("index", 0)
            if type(index) is not int or not 0 <= index < (len(instances) if isinstance(instances, dict) else 1):
                raise BatchError(
                    f"index is the position of one of the situation's {variable.entity.plural}", where + ".index"
                )
            count = axis.get("count")
            if type(count) is not int or count < 1:
                raise BatchError("count is a whole number of steps, at least 1", where + ".count")
            for key in ("min", "max"):
                value = axis.get(key)
                if type(value) not in (int, float) or not _finite(value) or out_of_range(variable, [value])[0]:
                    raise BatchError(f"{key} is a number {range_text(variable)}", f"{where}.{key}")
            counts.append(count)
        multiplier *= max(counts)
    return multiplier


_SPEC_PATHS = {
    "/version": {
        "get": {
            "tags": ["Calculations"],
            "summary": "Package version and rules fingerprint (every answer of /calculate_batch and /explain carries them)",
            "responses": {
                "200": {"description": "{package, version, fingerprint, parts, baseline_fingerprint, reforms}"}
            },
        }
    },
    "/outputs": {
        "get": {
            "tags": ["Calculations"],
            "summary": "The outputs the calculator page shows, in order, with their entity, unit and labels",
            "responses": {
                "200": {
                    "description": "{outputs: [{name, entity, kind, unit, programme, total, label}], "
                    "programmes: [{key, zh, en}]}"
                }
            },
        }
    },
    "/calculate_batch": {
        "post": {
            "tags": ["Calculations"],
            "summary": "Many households in one vectorised simulation; one result per household, in input order",
            "description": (
                'Situations (one situation with many households, a list of situations, or {"situations": [...]}): '
                'each result is what /calculate answers for that household alone. Rows: {"persons": [...], '
                '"households": [...], "period": "2022-08", "variables": [...]}, the caseload tables as JSON (a key a '
                'row leaves out takes the default). "on_error": "report" computes every household it can and puts an '
                "error object (what is missing, for which rule, the household) in place of each one it cannot."
            ),
            "requestBody": {"required": True, "content": {"application/json": {"schema": {"type": "object"}}}},
            "responses": {
                "200": {"description": "{count, results: [...]} in input order"},
                "400": {"description": "Bad input; the answer names the field"},
                "413": {"description": "Too many households or too large a body"},
                "422": {"description": "A rule needs a parameter value no jurisdiction in the chain has"},
            },
        }
    },
    "/explain": {
        "post": {
            "tags": ["Calculations"],
            "summary": "Why each household gets what it gets, as JSON and text",
            "description": '{"situation": {...}, "period": "2022-08", "lang": "zh"}; ?format=text for plain text.',
            "requestBody": {"required": True, "content": {"application/json": {"schema": {"type": "object"}}}},
            "responses": {"200": {"description": "{period, lang, households: [...], text}"}},
        }
    },
    "/jurisdiction_values/{parameterID}": {
        "get": {
            "tags": ["Parameters"],
            "summary": "Every jurisdiction's value at a date, with where it is inherited from",
            "parameters": [
                {"name": "parameterID", "in": "path", "required": True, "schema": {"type": "string"}},
                {"name": "date", "in": "query", "required": False, "schema": {"type": "string", "format": "date"}},
                {"name": "jurisdiction", "in": "query", "required": False, "schema": {"type": "string"}},
            ],
            "responses": {"200": {"description": "{parameter, date, jurisdictions: [...]}"}},
        }
    },
}


# --- Running it ----------------------------------------------------------------------------------------------


def build_system(reform: str | None = None):
    """The system to serve (see :func:`openfisca_cn_assist.serve.running.build_system`)."""
    from openfisca_cn_assist.serve.running import build_system as build

    return build(reform)


def serve(*args, **kwargs) -> None:
    """Run the server (see :func:`openfisca_cn_assist.serve.running.serve`)."""
    from openfisca_cn_assist.serve.running import serve as run

    run(*args, **kwargs)
