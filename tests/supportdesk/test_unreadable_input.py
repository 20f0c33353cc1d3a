"""Input the support desk cannot read is a 4xx with a reason, never a 500 (issue 11, item 7).

Each case is a reproduction that answered 500 before: sent over real HTTP to a running desk,
with a count of the rows it could have written.
"""

from __future__ import annotations

import http.client
import sqlite3
from urllib.parse import urlsplit

import pytest
import requests

from tests.conftest import SupportDesk
from tests.supportdesk.test_inbox import JSON, make_agent, sign_in

TIMEOUT = 20
MAYA = {"order_number": "STS-4829-1307", "email": "maya.chen@example.com"}
CLAIM = {
    **MAYA,
    "items": [{"line_id": "STS-4829-1307-L2", "quantity": 1}],
    "description": "One of the two phone cases was not in the package.",
}
HANDOFF = {"conversation_id": "unreadable-1", "channel": "web", "reason": "a person, please"}
JSON_ENDPOINTS = [
    "/api/v1/orders/lookup",
    "/api/v1/claims",
    "/api/v1/claims/quote",
    "/api/v1/handoffs",
]
AGENT_PAGES = ["/agent", "/agent/login", "/agent/handoffs/1", "/agent/claims"]
DEEP = b"[" * 100_000


def send(
    desk: SupportDesk, method: str, path: str, body: bytes = b"", headers: dict | None = None
) -> tuple[int, dict[str, str], bytes]:
    """A request with headers sent byte for byte (requests would refuse some of them)."""
    where = urlsplit(desk.url)
    connection = http.client.HTTPConnection(where.hostname, where.port, timeout=TIMEOUT)
    try:
        connection.putrequest(method, path, skip_accept_encoding=True)
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body)
        answer = connection.getresponse()
        headers = {name.lower(): value for name, value in answer.getheaders()}
        return answer.status, headers, answer.read()
    finally:
        connection.close()


def api_headers(desk: SupportDesk, **more: bytes | str) -> dict:
    return {
        "Authorization": f"Bearer {desk.key}",
        "Content-Type": "application/json",
        "Idempotency-Key": "unreadable-key",
        **more,
    }


def rows(desk: SupportDesk) -> dict[str, int]:
    """The rows that a claim, a quote, a lookup or a handoff could write."""
    tables = ("claims", "claim_items", "claim_events", "handoffs", "handoff_messages")
    with sqlite3.connect(desk.database_url.removeprefix("sqlite:///")) as db:
        return {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}


def reason(body: bytes) -> str:
    import json

    answer = json.loads(body)
    assert answer["error"] and answer["message"], answer
    return answer["message"]


@pytest.mark.parametrize("path", AGENT_PAGES)
@pytest.mark.parametrize("accept", ["application/json", "text/html"])
def test_an_unreadable_cookie_is_a_400_on_every_agent_page(
    shared_supportdesk: SupportDesk, path: str, accept: str
) -> None:
    status, headers, body = send(
        shared_supportdesk, "GET", path, headers={"Cookie": "a<b=1", "Accept": accept}
    )
    assert status == 400
    if accept == "application/json":
        assert "Cookie header cannot be read" in reason(body)
    else:
        assert headers["content-type"].startswith("text/html")
        assert b"Cookie header cannot be read" in body


def test_an_unreadable_cookie_is_a_400_on_agent_posts(shared_supportdesk: SupportDesk) -> None:
    for path in ("/agent/login", "/agent/logout", "/agent/handoffs/1/take"):
        status, _, body = send(
            shared_supportdesk,
            "POST",
            path,
            b'{"username": "sam", "password": "x"}',
            {"Cookie": "sts_agent=abc; a<b=1", "Content-Type": "application/json", **JSON},
        )
        assert status == 400, (path, body)
        assert "Cookie" in reason(body)


def test_an_unreadable_cookie_does_not_matter_where_no_cookie_is_read(
    shared_supportdesk: SupportDesk,
) -> None:
    """The help page and the API never read cookies: another site's cookie is no reason."""
    assert send(shared_supportdesk, "GET", "/health", headers={"Cookie": "a<b=1"})[0] == 200
    answer = send(
        shared_supportdesk,
        "POST",
        "/api/v1/orders/lookup",
        b'{"order_number": "STS-4829-1307", "email": "maya.chen@example.com"}',
        {**api_headers(shared_supportdesk), "Cookie": "a<b=1"},
    )
    assert answer[0] == 200


@pytest.mark.parametrize("path", JSON_ENDPOINTS)
def test_a_body_nested_too_deep_is_a_400(supportdesk: SupportDesk, path: str) -> None:
    before = rows(supportdesk)
    for body in (DEEP, b"[" * 40 + b"]" * 40, b'{"a":' * 40 + b"1" + b"}" * 40):
        status, _, answer = send(supportdesk, "POST", path, body, api_headers(supportdesk))
        assert status == 400, answer
        assert "nested" in reason(answer) or "JSON object" in reason(answer)
    assert rows(supportdesk) == before


def test_a_handoff_whose_details_are_nested_too_deep_is_a_400(supportdesk: SupportDesk) -> None:
    before = rows(supportdesk)
    details = b'{"x":' * 40 + b"1" + b"}" * 40
    body = b'{"conversation_id": "c", "channel": "web", "reason": "r", "details": ' + details + b"}"
    status, _, answer = send(
        supportdesk, "POST", "/api/v1/handoffs", body, api_headers(supportdesk)
    )
    assert status == 400 and "32 levels" in reason(answer)
    assert rows(supportdesk) == before


def test_a_body_nested_too_deep_is_refused_by_the_agent_inbox(supportdesk: SupportDesk) -> None:
    status, _, answer = send(
        supportdesk, "POST", "/agent/login", DEEP, {"Content-Type": "application/json", **JSON}
    )
    assert status == 422 and "nested" in reason(answer)


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/orders/lookup", {**MAYA, "order_number": "\ud800"}),
        ("/api/v1/orders/lookup", {**MAYA, "email": "maya\udfff@example.com"}),
        ("/api/v1/orders/lookup", {**MAYA, "conversation_id": "c\ud800"}),
        ("/api/v1/claims", {**CLAIM, "order_number": "\ud800"}),
        ("/api/v1/claims", {**CLAIM, "description": "a phone case \ud800 is missing"}),
        ("/api/v1/claims", {**CLAIM, "items": [{"line_id": "\ud800", "quantity": 1}]}),
        ("/api/v1/claims", {**CLAIM, "tracking_number": "\ud800"}),
        ("/api/v1/claims", {**CLAIM, "channel": "\ud800", "conversation_id": "x"}),
        ("/api/v1/claims/quote", {**CLAIM, "email": "\ud800"}),
        ("/api/v1/handoffs", {**HANDOFF, "conversation_id": "\ud800"}),
        ("/api/v1/handoffs", {**HANDOFF, "reason": "\ud800"}),
        ("/api/v1/handoffs", {**HANDOFF, "transcript": [{"sender": "user", "text": "\ud800"}]}),
        ("/api/v1/handoffs", {**HANDOFF, "details": {"\ud800": 1}}),
        ("/api/v1/handoffs", {**HANDOFF, "details": {"a": ["\udc00"]}}),
    ],
)
def test_a_lone_surrogate_in_any_string_is_a_400(
    supportdesk: SupportDesk, path: str, body: dict
) -> None:
    import json

    before = rows(supportdesk)
    raw = json.dumps(body).encode()  # ensure_ascii: the surrogate travels as \\udxxx
    status, _, answer = send(supportdesk, "POST", path, raw, api_headers(supportdesk))
    assert status == 400, answer
    assert "not valid Unicode text" in reason(answer)
    assert rows(supportdesk) == before


def test_a_lone_surrogate_in_the_agent_inbox_is_a_422(supportdesk: SupportDesk) -> None:
    status, _, answer = send(
        supportdesk,
        "POST",
        "/agent/login",
        b'{"username": "\\ud800", "password": "x"}',
        {"Content-Type": "application/json", **JSON},
    )
    assert status == 422 and "not valid Unicode text" in reason(answer)


def test_nan_and_infinity_are_not_json(supportdesk: SupportDesk) -> None:
    before = rows(supportdesk)
    for number in (b"NaN", b"Infinity", b"-Infinity", b"1e999"):
        body = b'{"conversation_id": "c", "channel": "web", "reason": "r", "details": {"n": '
        status, _, answer = send(
            supportdesk, "POST", "/api/v1/handoffs", body + number + b"}}", api_headers(supportdesk)
        )
        assert status == 400, (number, answer)
        assert "not valid JSON" in reason(answer)
    assert rows(supportdesk) == before


def test_an_idempotency_key_that_is_not_utf8_is_a_400(supportdesk: SupportDesk) -> None:
    import json

    before = rows(supportdesk)
    for key in (b"\xff\xfe", b"key-\xc3", b"\xed\xa0\x80"):
        status, _, answer = send(
            supportdesk,
            "POST",
            "/api/v1/claims",
            json.dumps(CLAIM).encode(),
            api_headers(supportdesk, **{"Idempotency-Key": key}),
        )
        assert status == 400, answer
        assert json.loads(answer)["field"] == "Idempotency-Key"
        assert "not valid UTF-8" in reason(answer)
    assert rows(supportdesk) == before
    # A key in another script is text: it works.
    ok = requests.post(
        f"{supportdesk.url}/api/v1/claims",
        json=CLAIM,
        headers={**supportdesk.headers, "Idempotency-Key": "ключ-1".encode()},
        timeout=TIMEOUT,
    )
    assert ok.status_code == 201, ok.text


@pytest.mark.parametrize("header", ["Authorization", "Accept", "X-CSRF-Token", "User-Agent"])
def test_any_header_that_is_not_utf8_is_a_400(shared_supportdesk: SupportDesk, header: str) -> None:
    headers = {**api_headers(shared_supportdesk), header: b"Bearer \xff\xfe"}
    status, _, answer = send(shared_supportdesk, "POST", "/api/v1/orders/lookup", b"{}", headers)
    assert status == 400, answer
    assert header.lower() in reason(answer).lower()


def test_a_form_field_in_a_strange_charset_is_refused(supportdesk: SupportDesk) -> None:
    """A multipart part may name any codec: one that makes a lone surrogate is refused."""
    make_agent(supportdesk, "sam", "Sam Rivera")
    browser, csrf = sign_in(supportdesk, "sam")
    boundary = "b0undary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{csrf}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="text"\r\n'
        "Content-Type: text/plain; charset=unicode_escape\r\n\r\n\\ud800\r\n"
        f"--{boundary}--\r\n"
    ).encode()
    answer = browser.post(
        f"{supportdesk.url}/agent/handoffs/1/reply",
        data=body,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}", **JSON},
        timeout=TIMEOUT,
    )
    assert answer.status_code == 422, answer.text
    assert "not valid Unicode text" in answer.json()["message"]


def test_an_upload_without_a_files_part_is_a_4xx_page(supportdesk: SupportDesk) -> None:
    """Found by the fuzz suite: parts under another name made the upload page a 500."""
    from supportdesk.upload_tokens import make_token
    from tests.conftest import UPLOAD_SECRET

    page = f"{supportdesk.url}/upload/{make_token('CLM-000001', UPLOAD_SECRET)}"
    before = rows(supportdesk)
    answer = requests.post(page, files={"photo": ("a.png", b"x", "image/png")}, timeout=TIMEOUT)
    assert answer.status_code == 422, answer.text
    assert 'class="notice error"' in answer.text
    api = requests.post(
        f"{supportdesk.url}/api/v1/claims/CLM-000001/evidence",
        files={"photo": ("a.png", b"x", "image/png")},
        headers=supportdesk.headers,
        timeout=TIMEOUT,
    )
    assert api.status_code == 400 and "files" in api.json()["message"]
    assert rows(supportdesk) == before
