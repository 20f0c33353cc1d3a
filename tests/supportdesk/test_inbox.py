"""The agent inbox at /agent, over real HTTP with cookies, against a running support desk."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import requests
import yaml
from sanic.response import text

from supportdesk import agents, inbox
from supportdesk.api import OPENAPI
from supportdesk.db import Database
from tests.supportdesk.test_openapi import app_routes, check_response

TIMEOUT = 10
PASSWORD = "correct horse battery"
JSON = {"Accept": "application/json"}


def make_agent(desk, username: str, name: str) -> None:
    db = Database(desk.database_url)
    try:
        agents.add_agent(db, username, name, PASSWORD)
    finally:
        db.dispose()


def sign_in(desk, username: str) -> tuple[requests.Session, str]:
    """A browser-like session signed in as `username`, and the CSRF token of its pages."""
    browser = requests.Session()
    answer = browser.post(
        f"{desk.url}/agent/login",
        data={"username": username, "password": PASSWORD},
        allow_redirects=False,
        timeout=TIMEOUT,
    )
    assert answer.status_code == 303 and answer.headers["Location"] == "/agent"
    queue = browser.get(f"{desk.url}/agent", timeout=TIMEOUT)
    assert queue.status_code == 200
    return browser, csrf_of(queue.text)


def csrf_of(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def new_handoff(desk, reason: str = "customer asked for a human", **details: Any) -> int:
    answer = requests.post(
        f"{desk.url}/api/v1/handoffs",
        headers=desk.headers,
        json={
            "conversation_id": f"conv-{uuid.uuid4().hex[:8]}",
            "channel": "socketio",
            "reason": reason,
            "transcript": [
                {"sender": "customer", "text": "My phone case is missing <b>again</b>"},
                {"sender": "bot", "text": "I am sorry to hear that."},
            ],
            "details": details,
        },
        timeout=TIMEOUT,
    )
    assert answer.status_code == 201, answer.text
    return answer.json()["handoff_id"]


def handoff_json(browser: requests.Session, desk, handoff_id: int) -> dict[str, Any]:
    answer = browser.get(f"{desk.url}/agent/handoffs/{handoff_id}", headers=JSON, timeout=TIMEOUT)
    assert answer.status_code == 200
    return answer.json()


def post(browser: requests.Session, url: str, csrf: str | None, **data: str) -> requests.Response:
    form = {**data, **({"csrf_token": csrf} if csrf is not None else {})}
    return browser.post(url, data=form, allow_redirects=False, timeout=TIMEOUT)


def test_sign_in_page_wrong_password_and_cookie_flags(supportdesk) -> None:
    desk = supportdesk
    make_agent(desk, "ana", "Ana Souza")
    form = requests.get(f"{desk.url}/agent/login", timeout=TIMEOUT)
    assert form.status_code == 200
    assert '<label for="username">' in form.text and '<label for="password">' in form.text

    for username, password in (("ana", "wrong password!"), ("nobody", PASSWORD), ("ana", "")):
        refused = requests.post(
            f"{desk.url}/agent/login",
            data={"username": username, "password": password},
            allow_redirects=False,
            timeout=TIMEOUT,
        )
        assert refused.status_code == 401
        assert "Wrong username or password." in refused.text
        assert "set-cookie" not in refused.headers

    browser = requests.Session()
    ok = browser.post(
        f"{desk.url}/agent/login",
        data={"username": "ANA", "password": PASSWORD},
        allow_redirects=False,
        timeout=TIMEOUT,
    )
    assert ok.status_code == 303 and ok.headers["Location"] == "/agent"
    cookie = ok.headers["Set-Cookie"]
    assert cookie.startswith(f"{inbox.COOKIE}=")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/agent" in cookie
    assert "Secure" not in cookie  # plain http here; see the https test below
    page = browser.get(f"{desk.url}/agent", timeout=TIMEOUT)
    assert "Signed in as Ana Souza (ana)" in page.text
    assert page.headers["Cache-Control"] == "no-store"
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    # Signed in already: the sign-in page sends the agent to the queue.
    again = browser.get(f"{desk.url}/agent/login", allow_redirects=False, timeout=TIMEOUT)
    assert again.status_code == 303 and again.headers["Location"] == "/agent"


def test_repeated_wrong_passwords_get_429_with_retry_after(supportdesk) -> None:
    desk = supportdesk
    make_agent(desk, "ana", "Ana Souza")
    for _ in range(agents.MAX_FAILURES_PER_USERNAME):
        wrong = requests.post(
            f"{desk.url}/agent/login", data={"username": "ana", "password": "nope"}, timeout=10
        )
        assert wrong.status_code == 401
    for headers in ({}, JSON):
        limited = requests.post(
            f"{desk.url}/agent/login",
            data={"username": "ana", "password": PASSWORD},
            headers=headers,
            allow_redirects=False,
            timeout=TIMEOUT,
        )
        assert limited.status_code == 429
        assert int(limited.headers["Retry-After"]) > 0
        assert "set-cookie" not in limited.headers
        assert "Too many failed sign-ins" in limited.text


def test_the_cookie_is_secure_over_https() -> None:
    response = text("")
    inbox.set_session_cookie(SimpleNamespace(scheme="https"), response, "t0ken")
    assert "Secure" in response.cookies[inbox.COOKIE].encode("utf-8").decode()
    plain = text("")
    inbox.set_session_cookie(SimpleNamespace(scheme="http"), plain, "t0ken")
    assert "Secure" not in plain.cookies[inbox.COOKIE].encode("utf-8").decode()


def agent_routes(tmp_path: Path) -> list[tuple[str, str]]:
    routes = sorted(r for r in app_routes(tmp_path) if r[1].startswith("/agent"))
    filled = {"{handoff_id}": "1", "{claim_number}": "CLM-000001"}
    out = []
    for method, path in routes:
        for name, value in filled.items():
            path = path.replace(name, value)
        out.append((method, path))
    return out


def test_every_agent_route_needs_a_session(shared_supportdesk, tmp_path: Path) -> None:
    desk = shared_supportdesk
    public = {inbox.LOGIN, inbox.SCRIPT}  # the sign-in form and the pages' script
    routes = [r for r in agent_routes(tmp_path) if r[1] not in public]
    assert len(routes) >= 10
    forged = {inbox.COOKIE: "forged-" + "a" * 40}
    for method, path in routes:
        for cookies in ({}, forged):
            page = requests.request(
                method,
                desk.url + path,
                cookies=cookies,
                data={"csrf_token": "x"},
                allow_redirects=False,
                timeout=TIMEOUT,
            )
            assert page.status_code == 303, (method, path)
            assert page.headers["Location"] == "/agent/login"
            api = requests.request(
                method, desk.url + path, cookies=cookies, headers=JSON, timeout=TIMEOUT
            )
            assert api.status_code == 401, (method, path)
            assert api.json()["error"] == "unauthorized"


def test_forged_or_missing_csrf_is_refused_and_changes_nothing(supportdesk) -> None:
    desk = supportdesk
    make_agent(desk, "ana", "Ana Souza")
    browser, csrf = sign_in(desk, "ana")
    handoff = new_handoff(desk)
    base = f"{desk.url}/agent/handoffs/{handoff}"
    for action in ("take", "reply", "close", "hand-back", "release"):
        for token in (None, "", "forged-token", csrf[:-1]):
            refused = post(browser, f"{base}/{action}", token, text="Hello")
            assert refused.status_code == 403, (action, token)
            assert "out of date" in refused.text
    api = browser.post(
        f"{base}/take", headers={**JSON, "X-CSRF-Token": "forged"}, json={}, timeout=TIMEOUT
    )
    assert api.status_code == 403 and api.json()["error"] == "forbidden"
    unchanged = handoff_json(browser, desk, handoff)
    assert unchanged["status"] == "waiting" and unchanged["messages"] == []

    decision = f"{desk.url}/agent/claims/CLM-000001/decision"
    before = requests.get(f"{desk.url}/api/v1/claims/CLM-000001", headers=desk.headers).json()
    assert post(browser, decision, None, decision="reject", message="No").status_code == 403
    after = requests.get(f"{desk.url}/api/v1/claims/CLM-000001", headers=desk.headers).json()
    assert after["history"] == before["history"]

    assert post(browser, f"{desk.url}/agent/logout", "forged").status_code == 403
    assert browser.get(f"{desk.url}/agent", allow_redirects=False).status_code == 200


def test_one_agent_holds_a_handoff_and_the_other_cannot_act_on_it(supportdesk) -> None:
    desk = supportdesk
    make_agent(desk, "ana", "Ana Souza")
    make_agent(desk, "ben", "Ben Okafor")
    ana, ana_csrf = sign_in(desk, "ana")
    ben, ben_csrf = sign_in(desk, "ben")
    handoff = new_handoff(
        desk,
        reason="repeated misunderstanding",
        email="maya.chen@example.com",
        verified_order="STS-4829-1307",
        claim_number="CLM-000001",
        missing_items=[{"line_id": "STS-4829-1307-L2", "quantity": 1}],
    )
    queue = ana.get(f"{desk.url}/agent", timeout=TIMEOUT).text
    for shown in ("repeated misunderstanding", "maya.chen@example.com", "STS-4829-1307"):
        assert shown in queue
    assert "CLM-000001" in queue and "waiting" in queue

    page = ana.get(f"{desk.url}/agent/handoffs/{handoff}", timeout=TIMEOUT).text
    assert "My phone case is missing &lt;b&gt;again&lt;/b&gt;" in page  # escaped transcript
    assert "<b>again</b>" not in page and "STS-4829-1307-L2" in page
    assert '<label for="reply">' in page

    base = f"{desk.url}/agent/handoffs/{handoff}"
    taken = post(ana, f"{base}/take", ana_csrf)
    assert taken.status_code == 303 and taken.headers["Location"] == f"/agent/handoffs/{handoff}"
    entry = ben.get(f"{desk.url}/agent", headers=JSON, timeout=TIMEOUT).json()["queue"][0]
    assert entry["status"] == "active" and entry["held_by"]["username"] == "ana"
    assert entry["order_number"] == "STS-4829-1307" and entry["minutes_waiting"] == 0
    assert "Ana Souza" in ben.get(f"{desk.url}/agent", timeout=TIMEOUT).text

    for action in ("take", "reply", "close", "hand-back", "release"):
        refused = post(ben, f"{base}/{action}", ben_csrf, text="Let me help")
        assert refused.status_code == 403, action
        assert "held by another agent" in refused.text
    refused = ben.post(
        f"{base}/reply", headers={**JSON, "X-CSRF-Token": ben_csrf}, json={"text": "Hi"}
    )
    assert refused.status_code == 403 and "held by another agent" in refused.json()["message"]
    assert handoff_json(ana, desk, handoff)["messages"] == []
    assert "Another agent holds this conversation." in ben.get(base, timeout=TIMEOUT).text

    sent = post(ana, f"{base}/reply", ana_csrf, text="Hello Maya, I <3 helping. Let me check.")
    assert sent.status_code == 303
    assert post(ana, f"{base}/reply", ana_csrf, text="   ").status_code == 422
    shown = ana.get(base, timeout=TIMEOUT).text
    assert "Hello Maya, I &lt;3 helping. Let me check." in shown
    messages = handoff_json(ana, desk, handoff)["messages"]
    assert [(m["sender"], m["agent"]) for m in messages] == [("agent", "Ana Souza")]

    assert post(ana, f"{base}/release", ana_csrf).status_code == 303
    released = handoff_json(ana, desk, handoff)
    assert released["status"] == "waiting" and released["held_by"] is None
    assert post(ana, f"{base}/release", ana_csrf).status_code == 409  # not held any more

    assert post(ben, f"{base}/take", ben_csrf).status_code == 303
    back = post(ben, f"{base}/hand-back", ben_csrf)
    assert back.status_code == 303 and back.headers["Location"] == "/agent"
    assert handoff_json(ben, desk, handoff)["status"] == "returned_to_bot"
    queue = ben.get(f"{desk.url}/agent", headers=JSON, timeout=TIMEOUT).json()["queue"]
    assert handoff not in [h["handoff_id"] for h in queue]
    assert post(ben, f"{base}/take", ben_csrf).status_code == 409

    second = new_handoff(desk, reason="support desk unreachable")
    closed = post(ana, f"{desk.url}/agent/handoffs/{second}/close", ana_csrf)
    assert closed.status_code == 303
    assert handoff_json(ana, desk, second)["status"] == "closed"
    again = post(ana, f"{desk.url}/agent/handoffs/{second}/reply", ana_csrf, text="Hi")
    assert again.status_code == 409 and "already closed" in again.text
    assert ana.get(f"{desk.url}/agent/handoffs/999999", timeout=TIMEOUT).status_code == 404


def test_an_api_client_signs_in_and_acts_with_json(supportdesk) -> None:
    desk = supportdesk
    make_agent(desk, "ana", "Ana Souza")
    client = requests.Session()
    wrong = client.post(
        f"{desk.url}/agent/login", json={"username": "ana", "password": "nope"}, headers=JSON
    )
    assert wrong.status_code == 401 and wrong.json()["error"] == "unauthorized"
    spec = yaml.safe_load(OPENAPI.read_text())
    check_response(spec, "POST", "/agent/login", wrong)
    signed_in = client.post(
        f"{desk.url}/agent/login", json={"username": "ana", "password": PASSWORD}, headers=JSON
    )
    me = check_response(spec, "POST", "/agent/login", signed_in)
    assert me["username"] == "ana" and me["csrf_token"]
    handoff = new_handoff(desk, email="maya.chen@example.com", verified_order="STS-4829-1307")
    csrf = {**JSON, "X-CSRF-Token": me["csrf_token"]}
    taken = client.post(f"{desk.url}/agent/handoffs/{handoff}/take", headers=csrf)
    assert check_response(spec, "POST", "/agent/handoffs/{handoff_id}/take", taken)
    assert taken.status_code == 200 and taken.json()["status"] == "active"
    reply = client.post(
        f"{desk.url}/agent/handoffs/{handoff}/reply", headers=csrf, json={"text": "Hello!"}
    )
    assert check_response(spec, "POST", "/agent/handoffs/{handoff_id}/reply", reply)["messages"]
    queue = client.get(f"{desk.url}/agent", headers=JSON)
    assert check_response(spec, "GET", "/agent", queue)["queue"][0]["held_by"]["username"] == "ana"
    shown = client.get(f"{desk.url}/agent/handoffs/{handoff}", headers=JSON)
    assert check_response(spec, "GET", "/agent/handoffs/{handoff_id}", shown)["held_by"]
    listed = client.get(f"{desk.url}/agent/claims", headers=JSON)
    check_response(spec, "GET", "/agent/claims", listed)
    refused = client.post(f"{desk.url}/agent/claims/CLM-000001/decision", headers=csrf, json={})
    assert refused.status_code == 422
    check_response(spec, "POST", "/agent/claims/{claim_number}/decision", refused)
    out = client.post(
        f"{desk.url}/agent/logout", headers={**JSON, "X-CSRF-Token": me["csrf_token"]}
    )
    assert out.status_code == 200
    assert client.get(f"{desk.url}/agent", headers=JSON).status_code == 401


def test_a_conversation_handed_over_again_shows_the_new_reason(supportdesk) -> None:
    desk = supportdesk
    make_agent(desk, "ana", "Ana Souza")
    ana, _ = sign_in(desk, "ana")
    body = {
        "conversation_id": "conv-again",
        "channel": "socketio",
        "reason": "The customer asked for a person.",
        "transcript": [{"sender": "customer", "text": "A person please"}],
        "details": {"verified_order": "STS-4829-1307"},
    }
    url = f"{desk.url}/api/v1/handoffs"
    first = requests.post(url, headers=desk.headers, json=body, timeout=TIMEOUT)
    again = requests.post(
        url,
        headers=desk.headers,
        json={
            **body,
            "reason": "Claim <CLM-000004> is in review",
            "details": {"claim_number": "CLM-000004"},
        },
        timeout=TIMEOUT,
    )
    assert (first.status_code, again.status_code) == (201, 200)
    handoff = first.json()["handoff_id"]

    shown = handoff_json(ana, desk, handoff)
    check_response(
        yaml.safe_load(OPENAPI.read_text()),
        "GET",
        "/agent/handoffs/{handoff_id}",
        ana.get(f"{desk.url}/agent/handoffs/{handoff}", headers=JSON, timeout=TIMEOUT),
    )
    assert shown["claim_number"] == "CLM-000004" and shown["order_number"] == "STS-4829-1307"
    [note] = shown["messages"]
    assert note["sender"] == "assistant" and note["agent"] is None
    assert note["text"] == (
        "Handed over again: Claim <CLM-000004> is in review. New details: claim number: CLM-000004."
    )
    page = ana.get(f"{desk.url}/agent/handoffs/{handoff}", timeout=TIMEOUT).text
    assert (
        '<span class="sender">assistant note:</span> Handed over again: Claim &lt;CLM-000004&gt;'
        in page
    )
    assert "<dt>claim number</dt><dd>CLM-000004</dd>" in page
    queue = ana.get(f"{desk.url}/agent", headers=JSON, timeout=TIMEOUT).json()["queue"]
    assert [h["handoff_id"] for h in queue] == [handoff]  # one entry, not two
    assert queue[0]["claim_number"] == "CLM-000004"


def test_sign_out_ends_the_session(supportdesk) -> None:
    desk = supportdesk
    make_agent(desk, "ana", "Ana Souza")
    browser, csrf = sign_in(desk, "ana")
    token = browser.cookies.get(inbox.COOKIE)
    out = post(browser, f"{desk.url}/agent/logout", csrf)
    assert out.status_code == 303 and out.headers["Location"] == "/agent/login"
    assert "Max-Age=0" in out.headers["Set-Cookie"]
    stolen = requests.get(f"{desk.url}/agent", cookies={inbox.COOKIE: token}, allow_redirects=False)
    assert stolen.status_code == 303 and stolen.headers["Location"] == "/agent/login"


def create_claim(desk, order: str, email: str, line: str) -> dict[str, Any]:
    answer = requests.post(
        f"{desk.url}/api/v1/claims",
        headers={**desk.headers, "Idempotency-Key": uuid.uuid4().hex},
        json={
            "order_number": order,
            "email": email,
            "items": [{"line_id": line, "quantity": 1}],
            "description": "It was not in the package when I picked it up.",
        },
        timeout=TIMEOUT,
    )
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_claim_decisions_are_recorded_with_the_agent_and_message(supportdesk) -> None:
    desk = supportdesk
    make_agent(desk, "ana", "Ana Souza")
    browser, csrf = sign_in(desk, "ana")
    laptop = create_claim(desk, "STS-9157-3380", "jordan.reyes@example.net", "STS-9157-3380-L1")
    headphones = create_claim(desk, "STS-4829-1307", "maya.chen@example.com", "STS-4829-1307-L1")
    assert laptop["status"] == headphones["status"] == "in_review"

    listed = browser.get(f"{desk.url}/agent/claims", timeout=TIMEOUT)
    assert listed.status_code == 200
    for shown in (laptop["claim_number"], "14in Ultrabook Laptop", laptop["refund_amount"]):
        assert shown in listed.text
    assert "Evidence: 0 photo(s)" in listed.text
    assert "CLM-000001" not in listed.text  # the demo claim is decided already
    numbers = [
        c["claim_number"]
        for c in browser.get(f"{desk.url}/agent/claims", headers=JSON).json()["claims"]
    ]
    assert numbers == [laptop["claim_number"], headphones["claim_number"]]

    def decide(number: str, decision: str, message: str, token: str = csrf) -> requests.Response:
        url = f"{desk.url}/agent/claims/{number}/decision"
        return post(browser, url, token, decision=decision, message=message)

    def history(number: str) -> list[dict[str, Any]]:
        url = f"{desk.url}/api/v1/claims/{number}"
        return requests.get(url, headers=desk.headers, timeout=TIMEOUT).json()["history"]

    untouched = history(headphones["claim_number"])
    for decision, message in (("approve", "   "), ("refund", "Sure"), ("approve", "x" * 1001)):
        refused = decide(headphones["claim_number"], decision, message)
        assert refused.status_code == 422 and 'role="alert"' in refused.text
    assert history(headphones["claim_number"]) == untouched

    steps = [
        (laptop, "needs_info", "needs_info", "Please send a photo of the packing slip."),
        (laptop, "approve", "approved", "Thanks for the photo; refund approved."),
        (headphones, "reject", "rejected", "The store's scan shows the headphones in the box."),
    ]
    for claim, decision, status, message in steps:
        answer = decide(claim["claim_number"], decision, message)
        assert answer.status_code == 303, answer.text
        assert answer.headers["Location"] == f"/agent/claims?decided={claim['claim_number']}"
        last = history(claim["claim_number"])[-1]
        assert last["status"] == status
        assert last["actor"] == "agent:ana" and last["note"] == message
    done = browser.get(f"{desk.url}/agent/claims?decided={laptop['claim_number']}")
    assert f"Your decision on {laptop['claim_number']} is recorded." in done.text

    before = history(laptop["claim_number"])
    invalid = decide(laptop["claim_number"], "reject", "Changed my mind.")
    assert invalid.status_code == 409
    assert "cannot become rejected" in invalid.text and invalid.text.startswith("<!doctype html>")
    assert decide("CLM-999999", "approve", "Sure").status_code == 404
    assert history(laptop["claim_number"]) == before
