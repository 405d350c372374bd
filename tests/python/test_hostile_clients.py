"""`cn-assist serve` against a hostile client (issue 13): real HTTP on a free 127.0.0.1 port, each request bounded.

Every answer here is a 4xx naming what is wrong (never a 500, never a hang), parsed by a strict JSON parser
(no NaN or Infinity); stalled uploads do not keep a fast request waiting.
"""

import http.client
import json
import socket
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from servers import running_server, script

EXAMPLE = Path(__file__).resolve().parents[2] / "openfisca_cn_assist" / "situation_examples"
MONTH = "2022-08"
MAX_SITUATION_HOUSEHOLDS = 45
MAX_BODY = 2**20
POST_ENDPOINTS = ("/calculate", "/trace", "/calculate_batch", "/explain")


@pytest.fixture(scope="module")
def port():
    command = [
        script("cn-assist"),
        "serve",
        "--port",
        "{port}",
        "--workers",
        "1",
        "--timeout",
        "5",
        "--max-households",
        "60",
        "--max-situation-households",
        str(MAX_SITUATION_HOUSEHOLDS),
        "--max-body-mb",
        "1",
    ]
    with running_server(command) as base:
        yield int(base.rsplit(":", 1)[1])


def example() -> dict:
    return json.loads((EXAMPLE / "xishuangbanna_rural_class.json").read_text(encoding="utf-8"))


def _no_constant(name):
    raise ValueError(f"non-standard JSON constant {name}")


def strict(body: bytes):
    """JSON as a strict parser reads it: NaN, Infinity and -Infinity are errors."""
    return json.loads(body, parse_constant=_no_constant)


def send(port: int, method: str, path: str, body: bytes | None = None, headers=None, timeout: float = 20):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def post(port: int, path: str, payload, content_type: str | None = "application/json", raw: bytes | None = None):
    body = raw if raw is not None else json.dumps(payload).encode()
    headers = {"Content-Type": content_type} if content_type else {}
    status, _, data = send(port, "POST", path, body, headers)
    return status, strict(data) if data else None


def raw_exchange(port: int, data: bytes, timeout: float = 10) -> bytes:
    """Send bytes as they are; read the answer until the server closes or a full head and some body arrive."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(data)
        answer = b""
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                return answer
            answer += chunk
            head, _, rest = answer.partition(b"\r\n\r\n")
            if rest and b"content-length:" in head.lower():
                length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
                if len(rest) >= length:
                    return answer


def status_of(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


def first_person(situation: dict) -> str:
    return next(iter(situation["persons"]))


def assert_400_naming(status, body, field_part: str, status_expected: int = 400):
    assert status == status_expected, body
    assert field_part in (body.get("field") or "") + body["error"], body


# --- Wrong answers with status 200 ------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", ["/calculate", "/trace"])
@pytest.mark.parametrize("text", ["false", "no", "0"])
def test_text_for_a_boolean_is_refused_not_read_as_true(port, endpoint, text):
    situation = example()
    situation["persons"][first_person(situation)]["has_able_supporter"] = {MONTH: text}
    status, body = post(port, endpoint, situation)
    assert_400_naming(status, body, f"persons.{first_person(situation)}.has_able_supporter.{MONTH}")


@pytest.mark.parametrize("endpoint", POST_ENDPOINTS)
def test_a_fractional_age_and_no_members_are_refused_on_every_endpoint(port, endpoint):
    situation = example()
    person = first_person(situation)
    situation["persons"][person]["age"] = {MONTH: 41.5}
    status, body = post(port, endpoint, situation)
    assert_400_naming(status, body, f"persons.{person}.age")
    situation = example()
    household = next(iter(situation["households"]))
    situation["households"][household]["members"] = []
    status, body = post(port, endpoint, situation)
    assert_400_naming(status, body, f"households.{household}.members")


@pytest.mark.parametrize("endpoint", POST_ENDPOINTS)
@pytest.mark.parametrize("amount", [1e39, 1e10, -1e10, 10**400])
def test_an_amount_beyond_the_bound_is_refused(port, endpoint, amount):
    situation = example()
    person = first_person(situation)
    situation["persons"][person]["business_income"] = {MONTH: amount}
    status, body = post(port, endpoint, situation)
    assert_400_naming(status, body, f"persons.{person}.business_income.{MONTH}")
    assert "1000000000" in body["error"]


def test_negative_business_income_within_the_bound_is_computed(port):
    situation = example()
    situation["persons"][first_person(situation)]["business_income"] = {MONTH: -1e9}
    status, body = post(port, "/calculate", situation)
    assert status == 200, body


def test_answers_are_standard_json_without_nan(port):
    """/trace lists every value computed, NaN ones (no exit base) included: they are written null."""
    situation = example()
    household = next(iter(situation["households"]))
    situation["households"][household]["dibao_exit_base_benefit"] = {MONTH: None}
    for endpoint in ("/calculate", "/trace", "/calculate_batch"):
        status, body = post(port, endpoint, situation)  # strict() raises on NaN
        assert status == 200, body


# --- No 500s ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", ["/calculate", "/trace"])
@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded"])
def test_json_without_its_content_type_is_a_415_naming_the_header(port, endpoint, content_type):
    status, body = post(port, endpoint, example(), content_type=content_type)
    assert_400_naming(status, body, "Content-Type", 415)


@pytest.mark.parametrize("endpoint", POST_ENDPOINTS)
def test_deeply_nested_json_is_a_400(port, endpoint):
    status, body = post(port, endpoint, None, raw=b"[" * 100_000 + b"]" * 100_000)
    assert_400_naming(status, body, "nested")


@pytest.mark.parametrize("endpoint", POST_ENDPOINTS)
@pytest.mark.parametrize("where", ["id", "variable", "enum value"])
def test_a_lone_surrogate_is_a_400(port, endpoint, where):
    text = json.dumps(example())  # ensure_ascii: the surrogate travels as the escape \ud800
    if where == "id":
        text = text.replace('"grandmother"', '"p\\ud800"')
    elif where == "variable":
        text = text.replace('"wage_income"', '"wage\\ud800"', 1)
    else:
        text = text.replace('"rural"', '"r\\ud800"')
    status, body = post(port, endpoint, None, raw=text.encode())
    assert status == 400, body
    assert "surrogate" in body["error"]


@pytest.mark.parametrize("endpoint", POST_ENDPOINTS)
@pytest.mark.parametrize("bad_id", ["", "a/b"])
def test_an_empty_id_or_one_with_a_slash_is_a_400(port, endpoint, bad_id):
    text = json.dumps(example()).replace('"grandmother"', json.dumps(bad_id))
    status, body = post(port, endpoint, None, raw=text.encode())
    assert status == 400, body
    assert "not an id" in body["error"]


def test_axes_on_calculate_is_a_400_naming_axes(port):
    situation = example()
    situation["axes"] = [[{"name": "wage_income", "count": 3, "min": 0, "max": 900, "period": MONTH}]]
    status, body = post(port, "/calculate", situation)
    assert_400_naming(status, body, "axes")


@pytest.mark.parametrize("period", ["2022-13", "2022-00", "2022-8"])
def test_explain_with_a_month_that_does_not_exist_is_a_400(port, period):
    status, body = post(port, "/explain", {"situation": example(), "period": period})
    assert_400_naming(status, body, "period")


def test_an_unsupported_transfer_encoding_is_a_400(port):
    answer = raw_exchange(
        port,
        b"POST /calculate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: gzip, chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
    )
    assert status_of(answer) == 400, answer
    assert b"Transfer-Encoding" in answer


# --- Limits that hold ---------------------------------------------------------------------------------------


def _axis(count: int) -> dict:
    return {"name": "wage_income", "count": count, "min": 0, "max": 900, "period": MONTH}


@pytest.mark.parametrize(
    "axes, status_expected",
    [
        ([[_axis(40)]], 200),  # one household × 40
        ([[_axis(46)]], 413),
        ([[_axis(46), {**_axis(46), "name": "transfer_income"}]], 413),  # parallel: 46, not 92
        ([[_axis(5)], [{**_axis(10), "name": "transfer_income"}]], 413),  # crossed: 5 × 10 = 50
        ([[_axis(5)], [{**_axis(9), "name": "transfer_income"}]], 200),  # 45
    ],
)
def test_axes_count_towards_the_household_limit(port, axes, status_expected):
    situation = example()
    situation["axes"] = axes
    status, body = post(port, "/trace", situation)
    assert status == status_expected, body
    if status == 413:
        assert body["field"] == "axes" and str(MAX_SITUATION_HOUSEHOLDS) in body["error"]


@pytest.mark.parametrize(
    "axis, field",
    [({"name": "nope", "count": 2, "min": 0, "max": 1}, "name"), ({**_axis(2), "max": 1e39}, "max")],
)
def test_a_malformed_axis_is_a_400_naming_it(port, axis, field):
    situation = example()
    situation["axes"] = [[axis]]
    status, body = post(port, "/trace", situation)
    assert_400_naming(status, body, f"axes[0][0].{field}")


def test_a_chunked_body_over_the_size_limit_is_a_413(port):
    chunk = b"x" * (MAX_BODY + 2**20 + 10)
    answer = raw_exchange(
        port,
        b"POST /calculate_batch HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n" + b"%x\r\n" % len(chunk) + chunk + b"\r\n0\r\n\r\n",
    )
    assert status_of(answer) == 413, answer[:300]
    just_over = b"[" * (MAX_BODY + 10)
    answer = raw_exchange(
        port,
        b"POST /calculate_batch HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n" + b"%x\r\n" % len(just_over) + just_over + b"\r\n0\r\n\r\n",
    )
    assert status_of(answer) == 413, answer[:300]
    assert b'"field":"body"' in answer


def test_an_impossible_content_length_is_refused_at_once(port):
    started = time.monotonic()
    answer = raw_exchange(
        port,
        b"POST /calculate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Length: 99999999999999999999\r\n\r\n{",
    )
    assert status_of(answer) in (400, 413), answer
    assert time.monotonic() - started < 2


def test_stalled_uploads_do_not_keep_a_fast_request_waiting(port):
    """Three clients promise 1000 bytes and send one; the single computing thread stays free."""
    stalled = []
    try:
        for _ in range(3):
            sock = socket.create_connection(("127.0.0.1", port), timeout=10)
            sock.sendall(
                b"POST /calculate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                b"Content-Length: 1000\r\n\r\n{"
            )
            stalled.append(sock)
        time.sleep(0.3)
        started = time.monotonic()
        status, body = post(port, "/calculate", example())
        assert status == 200, body
        assert time.monotonic() - started < 3
    finally:
        for sock in stalled:
            sock.close()


@pytest.mark.parametrize("endpoint", POST_ENDPOINTS)
def test_get_on_a_post_only_route_is_a_405(port, endpoint):
    status, headers, _ = send(port, "GET", endpoint)
    assert status == 405
    assert "POST" in headers.get("Allow", "")


def test_cors_is_off_and_forwarded_headers_are_not_trusted_by_default(port):
    headers = {"Origin": "http://elsewhere.example", "X-Forwarded-Host": "elsewhere.example"}
    status, answer_headers, body = send(port, "GET", "/jurisdiction_values", headers=headers)
    assert status == 200
    assert not any(name.lower().startswith("access-control-") for name in answer_headers)
    assert b"elsewhere.example" not in body


# --- Property: whatever the situation, a 2xx or a 4xx in standard JSON ---------------------------------------

_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8),
    st.lists(st.integers(), max_size=2),
)
_NAMES = st.sampled_from(
    ["age", "wage_income", "business_income", "has_able_supporter", "dibao_class", "disability_grade", "nope", ""]
)
_PERIODS = st.sampled_from([MONTH, "2022", "ETERNITY", "2022-13", "x", ""])


@st.composite
def situations(draw):
    situation = example()
    person = first_person(situation)
    for _ in range(draw(st.integers(1, 3))):
        situation["persons"][person][draw(_NAMES)] = {draw(_PERIODS): draw(_VALUES)}
    if draw(st.booleans()):
        household = next(iter(situation["households"]))
        situation["households"][household][draw(st.sampled_from(["area", "jurisdiction", "members"]))] = draw(_VALUES)
    if draw(st.integers(0, 3)) == 0:
        axis = st.fixed_dictionaries(
            {"name": _NAMES, "count": st.one_of(st.integers(-1, 50), _VALUES), "min": _VALUES, "max": _VALUES},
            optional={"period": _PERIODS, "index": st.one_of(st.integers(-1, 4), _VALUES), "other": _VALUES},
        )
        situation["axes"] = draw(st.one_of(st.lists(st.lists(axis, max_size=2), max_size=2), _VALUES))
    return situation


@settings(max_examples=80, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(situation=situations(), endpoint=st.sampled_from(POST_ENDPOINTS))
def test_any_situation_is_answered_2xx_or_4xx_in_standard_json(port, situation, endpoint):
    status, body = post(port, endpoint, situation)  # strict() raises on NaN
    assert status < 500, body
    if status >= 400:
        assert body["error"]
