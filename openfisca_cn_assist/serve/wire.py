"""What goes over the wire: request bodies read as strict JSON, answers written as standard JSON.

Every POST endpoint reads its body with :func:`read_json`, so a hostile body is a 4xx naming what is wrong,
never a 500: a non-JSON Content-Type where JSON is required (415), malformed or deeply nested JSON, text
that is not UTF-8, a lone UTF-16 surrogate (``"\\ud800"``) anywhere in it. Answers go through :func:`dumps`,
which writes ``null`` where a value is NaN or ±Infinity, never the bare ``NaN`` that strict parsers reject.
"""

from __future__ import annotations

import json
import math
import re

import orjson

from openfisca_cn_assist.serve.batch_common import BatchError

# A \\uD800-\\uDFFF escape in the raw body: the only way a lone surrogate gets into parsed JSON.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
JSON_TYPES = ("application/json",)


def read_json(request, require_json_type: bool = False):
    """The request's body as JSON; :class:`BatchError` (400, or 415 for the Content-Type) naming the problem."""
    if require_json_type and not _is_json_type(request.mimetype):
        given = request.headers.get("Content-Type")
        raise BatchError(
            f"send the situation as JSON with the header Content-Type: application/json "
            f"({'got ' + repr(given) if given else 'no Content-Type was given'})",
            "Content-Type",
            status=415,
        )
    data = request.get_data(cache=True)
    if not data:
        raise BatchError("empty request body: send JSON", "body")
    try:
        return orjson.loads(data)
    except (orjson.JSONDecodeError, TypeError):
        pass  # read again below, as before, to say what is wrong (or to take what orjson refuses: a 2⁶⁴ number)
    try:
        payload = json.loads(data)
    except RecursionError:
        raise BatchError("JSON nested too deeply: a situation needs a few levels, not thousands", "body") from None
    except UnicodeDecodeError:
        raise BatchError("the body is not UTF-8 text: send JSON encoded as UTF-8", "body") from None
    except ValueError as error:
        raise BatchError(f"Invalid JSON: {error}", "body") from None
    if _SURROGATE_ESCAPE.search(data):
        where = _lone_surrogate(payload)
        if where is not None:
            raise BatchError(
                "text with a lone UTF-16 surrogate (such as \\ud800) is not valid Unicode; send a real character",
                where or "body",
            )
    return payload


def _is_json_type(mimetype: str) -> bool:
    return mimetype in JSON_TYPES or (mimetype.startswith("application/") and mimetype.endswith("+json"))


def _valid(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _lone_surrogate(payload) -> str | None:
    """The dotted path of the first key or text holding a lone surrogate, or None. Iterative: no depth limit."""
    stack = [("", payload)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            if not _valid(value):
                return path
        elif isinstance(value, dict):
            for key, item in value.items():
                inner = f"{path}.{key}" if path else str(key)
                if not _valid(key):
                    return path or "body"
                stack.append((inner, item))
        elif isinstance(value, list):
            stack.extend((f"{path}[{i}]", item) for i, item in enumerate(value))
    return None


def dumps(payload) -> str:
    """Standard JSON (UTF-8 text): a value that is NaN or ±Infinity is written ``null``.

    The model's NaN means "no value" (``dibao_exit_base_benefit`` of a household that never left 低保, in
    ``/trace``); bare ``NaN`` would make a strict parser reject the whole answer.
    """
    try:
        return orjson.dumps(payload, option=orjson.OPT_SERIALIZE_NUMPY).decode()  # writes NaN and ±Infinity as null
    except TypeError:  # a type orjson does not write (an int beyond 64 bits): the standard library does
        pass
    try:
        return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except ValueError:
        return json.dumps(_finite(payload), ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _finite(value):
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(item) for item in value]
    return value


def register_version(app, system, respond) -> None:
    """``GET /version`` (the rules that answer: version, fingerprint, reforms), and the same on every answer's
    headers (``X-CN-Assist-Version``, ``X-Rules-Fingerprint``), OpenFisca's own /calculate and /trace included."""
    from openfisca_cn_assist.engine.fingerprint import rules

    found = rules(system)
    app.add_url_rule("/version", "version", lambda: respond(found))

    @app.after_request
    def stamp(response):
        response.headers["X-CN-Assist-Version"] = found["version"]
        response.headers["X-Rules-Fingerprint"] = found["fingerprint"]
        return response
