"""Property-based fuzzing of every support-desk endpoint, over HTTP against a running desk.

For arbitrary JSON values, strings (lone surrogates and invisible characters included),
headers, paths, query strings, forms and files:
- the answer is never a 5xx;
- a 4xx carries a reason (`error` and `message` in JSON, an error notice on HTML pages);
- a refused claim, quote, handoff, evidence upload or sign-in leaves no row behind.

Examples are bounded (`EXAMPLES` per property) so that the file runs in about a minute.
`FUZZ_REPORT=path.json` writes the number of requests and 5xx answers to a file;
`FUZZ_COLLECT_ONLY=1` counts 5xx answers instead of failing on the first (to measure a
version of the desk, not to test it).
"""

from __future__ import annotations

import io
import json
import os
import re
import sqlite3
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from supportdesk import agents, upload_tokens
from supportdesk.db import Database
from tests.conftest import UPLOAD_SECRET, SupportDesk, start_supportdesk, stop

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "120"))
COLLECT_ONLY = os.environ.get("FUZZ_COLLECT_ONLY") == "1"
TIMEOUT = 20
PASSWORD = "correct horse battery"
MAYA = {"order_number": "STS-4829-1307", "email": "maya.chen@example.com"}
LINES = ["STS-4829-1307-L1", "STS-4829-1307-L2", "STS-4829-1307-L3", "STS-4829-1307-L9"]
TABLES = (
    "claims",
    "claim_items",
    "claim_events",
    "evidence",
    "handoffs",
    "handoff_messages",
    "agent_sessions",
)
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
SEEN: Counter[str] = Counter()
SIGNED_IN: list[tuple[requests.Session, str]] = []


# --- strategies ---

# Any code point, lone surrogates (Cs) and format characters (Cf) included. Strings are
# joined from lists of characters: st.text() would hardly ever draw a surrogate.
ANY_CHAR = st.characters(codec=None, exclude_categories=())
TRICKY = st.sampled_from(
    ["\ud800", "\udfff", "\u202d", "\u202c", "\u200b", "\ufeff", "\u00a0", "\x00", "<", "'", "%"]
)
TEXT = st.one_of(
    st.text(max_size=40),
    st.lists(st.one_of(ANY_CHAR, TRICKY), max_size=40).map("".join),
    st.builds(lambda a, t, b: a + t + b, st.text(max_size=20), TRICKY, st.text(max_size=20)),
)
NUMBERS = st.one_of(
    st.integers(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(),  # NaN and infinities too: json.dumps writes them, the desk must refuse them
)
SCALARS = st.one_of(st.none(), st.booleans(), NUMBERS, TEXT)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(TEXT, children, max_size=4),
    max_leaves=12,
)
# Nesting from shallow to far past Python's recursion limit, closed or not.
DEEP = st.builds(
    lambda depth, opener, closed: (
        opener * depth + (b"]" * depth if opener == b"[" else b"") if closed else opener * depth
    ),
    st.one_of(st.integers(1, 3000), st.just(100_000)),
    st.sampled_from([b"[", b'{"a":']),
    st.booleans(),
)
ORDER_NUMBERS = st.one_of(
    st.sampled_from(["STS-4829-1307", "4829-1307", "STS-8406-5519", "STS-0000-0001"]),
    st.builds(lambda a, b: f"{a}STS-4829-1307{b}", TEXT, TEXT),
    TEXT,
)
EMAILS = st.one_of(st.just(MAYA["email"]), st.builds(lambda a: f"{a}@example.com", TEXT), TEXT)


def maybe(valid: st.SearchStrategy) -> st.SearchStrategy:
    """Mostly a plausible value, so that requests get past the first check, else anything."""
    return st.one_of(valid, valid, JSON_VALUES)


ITEMS = st.lists(
    st.fixed_dictionaries(
        {"line_id": maybe(st.sampled_from(LINES)), "quantity": maybe(st.integers(-2, 4))}
    ),
    max_size=4,
)
LOOKUP = st.fixed_dictionaries(
    {"order_number": maybe(ORDER_NUMBERS), "email": maybe(EMAILS)},
    optional={"conversation_id": maybe(TEXT)},
)
QUOTE = st.fixed_dictionaries(
    {"order_number": maybe(ORDER_NUMBERS), "email": maybe(EMAILS), "items": maybe(ITEMS)}
)
CLAIM = st.fixed_dictionaries(
    {
        "order_number": maybe(ORDER_NUMBERS),
        "email": maybe(EMAILS),
        "items": maybe(ITEMS),
        "description": maybe(TEXT),
    },
    optional={
        "tracking_number": maybe(st.sampled_from(["1Z4E82A70362815596", "1Z\u200b4E82A7"])),
        "channel": maybe(TEXT),
        "conversation_id": maybe(TEXT),
        "extra": JSON_VALUES,
    },
)
HANDOFF = st.fixed_dictionaries(
    {"conversation_id": maybe(TEXT), "channel": maybe(TEXT), "reason": maybe(TEXT)},
    optional={
        "transcript": maybe(
            st.lists(
                st.fixed_dictionaries(
                    {"sender": maybe(TEXT), "text": maybe(TEXT)}, optional={"at": maybe(TEXT)}
                ),
                max_size=3,
            )
        ),
        "details": maybe(st.dictionaries(TEXT, JSON_VALUES, max_size=4)),
    },
)
# Header values as bytes on the wire: ASCII, Latin-1, or anything (not always UTF-8), as a
# client can send them: no line breaks or NUL, no surrounding blanks.
HEADER_BYTES = st.one_of(
    st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=40).map(str.encode),
    st.binary(max_size=40),
).map(lambda b: bytes(c for c in b if c not in b"\r\n\0").strip())
COOKIES = st.one_of(
    st.just(b"a<b=1"),
    st.builds(lambda v: b"sts_agent=" + v, HEADER_BYTES),
    HEADER_BYTES,
)


def utf8(value: Any) -> bytes:
    """A form value's bytes (a lone surrogate becomes `?`: a form cannot carry one)."""
    return str(value).encode("utf-8", "replace")


def body_of(value: Any) -> bytes:
    """The JSON text of a value; lone surrogates travel as \\udxxx escapes."""
    return json.dumps(value).encode()


# --- the desk, its database and the checks ---


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SupportDesk]:
    """A desk with demo data and an agent, signed in before the fuzzing of sign-ins can
    lock the agent or this address out."""
    running = start_supportdesk(tmp_path_factory.mktemp("fuzz-desk"))
    db = Database(running.database_url)
    try:
        agents.add_agent(db, "sam", "Sam Rivera", PASSWORD)
    finally:
        db.dispose()
    browser = requests.Session()
    answer = browser.post(
        f"{running.url}/agent/login",
        json={"username": "sam", "password": PASSWORD},
        headers={"Accept": "application/json"},
        timeout=TIMEOUT,
    )
    assert answer.status_code == 200, answer.text
    SIGNED_IN.append((browser, answer.json()["csrf_token"]))
    yield running
    stop(running)
    report = os.environ.get("FUZZ_REPORT")
    if report:
        Path(report).write_text(json.dumps(dict(SEEN), indent=2))


@pytest.fixture
def agent(desk: SupportDesk) -> tuple[requests.Session, str]:
    """The signed-in inbox session and its CSRF token."""
    return SIGNED_IN[0]


def rows(desk: SupportDesk) -> dict[str, int]:
    with sqlite3.connect(desk.database_url.removeprefix("sqlite:///")) as db:
        return {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def stored_files(desk: SupportDesk) -> int:
    folder = desk.data_dir / "evidence"
    return len(list(folder.iterdir())) if folder.exists() else 0


def check(answer: requests.Response, what: str) -> requests.Response:
    """No 5xx; a 4xx says why."""
    SEEN["requests"] += 1
    SEEN[f"status {answer.status_code}"] += 1
    if answer.status_code >= 500:
        SEEN["5xx"] += 1
        if COLLECT_ONLY:
            return answer
    assert answer.status_code < 500, f"{what}: {answer.status_code} {answer.text[:300]}"
    if 400 <= answer.status_code < 500 and answer.request.method != "HEAD":
        kind = answer.headers.get("Content-Type", "")
        if kind.startswith("application/json"):
            body = answer.json()
            assert isinstance(body.get("error"), str) and body["error"], (what, body)
            assert isinstance(body.get("message"), str) and body["message"].strip(), (what, body)
        else:
            assert kind.startswith("text/html"), (what, kind)
            assert re.search(r'class="notice error"[^>]*>[^<]+<', answer.text), (what, answer.text)
    return answer


def send(
    desk: SupportDesk,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, Any] | None = None,
    session: requests.Session | None = None,
    **kwargs: Any,
) -> requests.Response:
    client = session or requests
    answer = client.request(
        method,
        desk.url + path,
        data=body,
        headers={**desk.headers, "Content-Type": "application/json", **(headers or {})},
        timeout=TIMEOUT,
        allow_redirects=False,
        **kwargs,
    )
    return check(answer, f"{method} {path} {body[:200] if body else ''!r} {headers}")


def refused_leaves_nothing(desk: SupportDesk, before: dict[str, int], answer: requests.Response):
    if answer.status_code >= 400:
        assert rows(desk) == before, (answer.status_code, answer.text[:300])


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), (10, 200, 30)).save(out, "PNG")
    return out.getvalue()


# --- the API ---


@FUZZ
@given(body=st.one_of(LOOKUP, JSON_VALUES))
def test_order_lookup(desk: SupportDesk, body: Any) -> None:
    before = rows(desk)
    send(desk, "POST", "/api/v1/orders/lookup", body_of(body))
    assert rows(desk) == before  # a lookup writes only failures, in another table


@FUZZ
@given(body=st.one_of(QUOTE, JSON_VALUES))
def test_claim_quote_writes_nothing(desk: SupportDesk, body: Any) -> None:
    before = rows(desk)
    answer = send(desk, "POST", "/api/v1/claims/quote", body_of(body))
    assert rows(desk) == before, answer.text


@FUZZ
@given(body=st.one_of(CLAIM, JSON_VALUES), key=st.one_of(HEADER_BYTES, st.just(None)))
def test_claims_are_whole_or_absent(desk: SupportDesk, body: Any, key: bytes | None) -> None:
    before = rows(desk)
    headers = {"Idempotency-Key": key or uuid.uuid4().hex.encode()}
    answer = send(desk, "POST", "/api/v1/claims", body_of(body), headers)
    refused_leaves_nothing(desk, before, answer)
    if answer.status_code == 201 and answer.headers.get("Idempotent-Replayed") != "true":
        after = rows(desk)
        assert after["claims"] == before["claims"] + 1
        assert after["claim_items"] == before["claim_items"] + len(answer.json()["items"]) > 0
        assert after["claim_events"] > before["claim_events"]


@FUZZ
@given(body=st.one_of(HANDOFF, JSON_VALUES))
def test_handoffs_are_whole_or_absent(desk: SupportDesk, body: Any) -> None:
    before = rows(desk)
    answer = send(desk, "POST", "/api/v1/handoffs", body_of(body))
    refused_leaves_nothing(desk, before, answer)
    if answer.status_code == 201:
        assert rows(desk)["handoffs"] == before["handoffs"] + 1
        # The inbox can show what was stored, whatever it was.
        shown = requests.get(
            f"{desk.url}/agent/handoffs/{answer.json()['handoff_id']}",
            cookies={},
            timeout=TIMEOUT,
            allow_redirects=False,
        )
        check(shown, "handoff page")


@FUZZ
@given(
    raw=st.one_of(
        st.binary(max_size=200),
        TEXT.map(lambda t: t.encode("utf-8", "replace")),
        DEEP,
    )
)
def test_raw_bodies_on_every_json_endpoint(desk: SupportDesk, raw: bytes) -> None:
    before = rows(desk)
    for path in ("/api/v1/orders/lookup", "/api/v1/claims/quote", "/api/v1/handoffs"):
        send(desk, "POST", path, raw)
    send(desk, "POST", "/api/v1/claims", raw, {"Idempotency-Key": b"raw"})
    assert rows(desk) == before


@FUZZ
@given(number=TEXT, order=TEXT)
def test_claim_get_and_list(desk: SupportDesk, number: str, order: str) -> None:
    path_part = quote(number.encode("utf-8", "surrogatepass"), safe="")
    send(desk, "GET", f"/api/v1/claims/{path_part}")
    send(desk, "GET", f"/api/v1/claims?order_number={path_part}")
    send(desk, "GET", "/api/v1/claims", params={"order_number": order.encode("utf-8", "replace")})


@FUZZ
@given(
    number=st.one_of(st.just("CLM-000001"), TEXT),
    files=st.lists(st.one_of(st.binary(max_size=300), st.just(b"")), max_size=3),
    field=st.sampled_from(["files", "file", "files[]"]),
    real=st.booleans(),
)
def test_evidence_is_whole_or_absent(
    desk: SupportDesk, number: str, files: list[bytes], field: str, real: bool
) -> None:
    before, stored = rows(desk), stored_files(desk)
    parts = [(field, (f"f{i}.png", data, "image/png")) for i, data in enumerate(files)]
    if real:
        parts.append((field, ("ok.png", png(), "image/png")))
    path_part = quote(number.encode("utf-8", "surrogatepass"), safe="")
    answer = check(
        requests.post(
            f"{desk.url}/api/v1/claims/{path_part}/evidence",
            files=parts or None,
            headers=desk.headers,
            timeout=TIMEOUT,
        ),
        f"evidence {number!r} {len(files)}",
    )
    if answer.status_code >= 400:
        assert rows(desk) == before and stored_files(desk) == stored, answer.text


@FUZZ
@given(
    token=st.one_of(TEXT, st.just("valid")),
    files=st.lists(st.binary(max_size=200), max_size=2),
    real=st.booleans(),
)
def test_upload_page(desk: SupportDesk, token: str, files: list[bytes], real: bool) -> None:
    if token == "valid":
        token = upload_tokens.make_token("CLM-000001", UPLOAD_SECRET)
    path = f"/upload/{quote(token.encode('utf-8', 'surrogatepass'), safe='')}"
    check(requests.get(desk.url + path, timeout=TIMEOUT), f"upload page {token!r}")
    before, stored = rows(desk), stored_files(desk)
    parts = [("files", (f"f{i}.jpg", data, "image/jpeg")) for i, data in enumerate(files)]
    if real:
        parts.append(("files", ("ok.png", png(), "image/png")))
    answer = check(
        requests.post(desk.url + path, files=parts or {"x": ("", b"")}, timeout=TIMEOUT),
        f"upload {token!r}",
    )
    if answer.status_code >= 400:
        assert rows(desk) == before and stored_files(desk) == stored


@FUZZ
@given(
    name=st.sampled_from(["Idempotency-Key", "Authorization", "Accept", "Content-Type", "X-Any"]),
    value=HEADER_BYTES,
    path=st.sampled_from(
        ["/api/v1/orders/lookup", "/api/v1/claims", "/api/v1/handoffs", "/health", "/"]
    ),
)
def test_any_header_value(desk: SupportDesk, name: str, value: bytes, path: str) -> None:
    before = rows(desk)
    method = "GET" if path in ("/health", "/") else "POST"
    send(desk, method, path, body_of(MAYA), {name: value, "Idempotency-Key": b"hdr-" + value})
    if path != "/api/v1/claims":
        assert rows(desk)["claims"] == before["claims"]


@FUZZ
@given(
    method=st.sampled_from(["PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]),
    path=st.sampled_from(
        ["/health", "/api/v1/claims", "/api/v1/claims/CLM-000001", "/upload/x", "/agent"]
    ),
)
def test_unsupported_methods_are_405(desk: SupportDesk, method: str, path: str) -> None:
    answer = send(desk, method, path)
    assert answer.status_code == 405 and answer.headers["Allow"]


# --- the agent inbox ---


@FUZZ
@given(
    body=st.one_of(
        st.fixed_dictionaries({"username": maybe(st.just("sam")), "password": maybe(TEXT)}),
        JSON_VALUES,
    ),
    as_form=st.booleans(),
    accept=st.sampled_from(["application/json", "text/html", ""]),
    cookie=st.one_of(st.none(), COOKIES),
)
def test_agent_login(
    desk: SupportDesk, body: Any, as_form: bool, accept: str, cookie: bytes | None
) -> None:
    before = rows(desk)
    headers: dict[str, Any] = {"Accept": accept}
    if cookie is not None:
        headers["Cookie"] = cookie
    if as_form and isinstance(body, dict):
        form = {
            str(k).encode("utf-8", "replace"): str(v).encode("utf-8", "replace")
            for k, v in body.items()
        }
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        answer = check(
            requests.post(
                f"{desk.url}/agent/login",
                data=form,
                headers=headers,
                timeout=TIMEOUT,
                allow_redirects=False,
            ),
            f"login form {form!r}",
        )
    else:
        answer = send(desk, "POST", "/agent/login", body_of(body), headers)
    if answer.status_code >= 400:
        assert rows(desk)["agent_sessions"] == before["agent_sessions"]


@FUZZ
@given(
    path=st.sampled_from(["/agent", "/agent/claims", "/agent/handoffs/1", "/agent/handoffs/99999"]),
    decided=st.one_of(st.none(), TEXT),
    cookie=st.one_of(st.none(), COOKIES),
    accept=st.sampled_from(["application/json", "text/html"]),
)
def test_agent_pages(
    desk: SupportDesk,
    agent: tuple[requests.Session, str],
    path: str,
    decided: str | None,
    cookie: bytes | None,
    accept: str,
) -> None:
    browser, _ = agent
    params = {"decided": decided.encode("utf-8", "surrogatepass")} if decided is not None else None
    headers: dict[str, Any] = {"Accept": accept}
    if cookie is not None:  # someone else's cookie header, instead of the session's
        headers["Cookie"] = cookie
        check(
            requests.get(
                desk.url + path,
                params=params,
                headers=headers,
                timeout=TIMEOUT,
                allow_redirects=False,
            ),
            f"agent page {path} {cookie!r}",
        )
    send(desk, "GET", path, headers=headers, session=browser, params=params)


@FUZZ
@given(
    action=st.sampled_from(["reply", "take", "release", "hand-back", "close"]),
    handoff=st.sampled_from([1, 2, 99999]),
    fields=st.dictionaries(st.sampled_from(["text", "csrf_token", "x"]), maybe(TEXT), max_size=3),
    with_csrf=st.booleans(),
    as_json=st.booleans(),
)
def test_agent_actions(
    desk: SupportDesk,
    agent: tuple[requests.Session, str],
    action: str,
    handoff: int,
    fields: dict[str, Any],
    with_csrf: bool,
    as_json: bool,
) -> None:
    browser, csrf = agent
    # A handoff to act on: the fuzzed handoffs may have been closed by earlier examples.
    requests.post(
        f"{desk.url}/api/v1/handoffs",
        json={"conversation_id": "fuzz-agent", "channel": "web", "reason": "a person"},
        headers=desk.headers,
        timeout=TIMEOUT,
    )
    headers: dict[str, Any] = {"Accept": "application/json"}
    if with_csrf:
        headers["X-CSRF-Token"] = csrf
    path = f"/agent/handoffs/{handoff}/{action}"
    if as_json:
        send(desk, "POST", path, body_of(fields), headers, session=browser)
    else:
        form = {k: utf8(v) for k, v in fields.items()}
        check(
            browser.post(
                desk.url + path, data=form, headers=headers, timeout=TIMEOUT, allow_redirects=False
            ),
            f"{path} {form!r}",
        )


@FUZZ
@given(
    number=st.one_of(st.sampled_from(["CLM-000001", "CLM-000002", "clm-1"]), TEXT),
    decision=maybe(st.sampled_from(["approve", "reject", "needs_info"])),
    message=maybe(TEXT),
)
def test_agent_decisions(
    desk: SupportDesk,
    agent: tuple[requests.Session, str],
    number: str,
    decision: Any,
    message: Any,
) -> None:
    browser, csrf = agent
    path = f"/agent/claims/{quote(number.encode('utf-8', 'surrogatepass'), safe='')}/decision"
    before = rows(desk)
    answer = send(
        desk,
        "POST",
        path,
        body_of({"decision": decision, "message": message}),
        {"Accept": "application/json", "X-CSRF-Token": csrf},
        session=browser,
    )
    if answer.status_code >= 400:
        assert rows(desk)["claim_events"] == before["claim_events"]
