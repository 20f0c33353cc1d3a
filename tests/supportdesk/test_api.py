"""The HTTP API over real HTTP, on a real server with a real SQLite file."""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from PIL import Image

from supportdesk.upload_tokens import BadToken, read_token
from tests.conftest import (
    ROOT,
    TEST_KEY,
    UPLOAD_SECRET,
    SupportDesk,
    free_port,
    start_supportdesk,
    stop,
)

MAYA = {"order_number": "STS-4829-1307", "email": "maya.chen@example.com"}
CASE = "STS-4829-1307-L2"  # two phone cases on Maya's order


def post(desk: SupportDesk, path: str, body=None, key: str | None = None, **kw):
    headers = {**desk.headers, **kw.pop("headers", {})}
    if key:
        headers["Idempotency-Key"] = key
    return requests.post(f"{desk.url}{path}", json=body, headers=headers, timeout=30, **kw)


def claim_body(items=((CASE, 1),), description="One phone case was missing.") -> dict:
    return {
        **MAYA,
        "items": [{"line_id": line, "quantity": q} for line, q in items],
        "description": description,
        "tracking_number": "1Z4E82A70362815596",
        "channel": "rest",
        "conversation_id": "conv-1",
    }


def claims_on(desk: SupportDesk, order_number: str = MAYA["order_number"]) -> list[dict]:
    answer = requests.get(
        f"{desk.url}/api/v1/claims",
        params={"order_number": order_number},
        headers=desk.headers,
        timeout=10,
    )
    assert answer.status_code == 200
    return answer.json()["claims"]


def test_health_needs_no_key(shared_supportdesk: SupportDesk) -> None:
    answer = requests.get(f"{shared_supportdesk.url}/health", timeout=5)
    assert answer.status_code == 200 and answer.json()["status"] == "ok"


@pytest.mark.parametrize("header", [None, "Bearer wrong", "Basic abc", "Bearer"])
def test_api_needs_the_key(shared_supportdesk: SupportDesk, header: str | None) -> None:
    headers = {"Authorization": header} if header else {}
    answer = requests.post(
        f"{shared_supportdesk.url}/api/v1/orders/lookup", json=MAYA, headers=headers, timeout=5
    )
    assert answer.status_code == 401
    assert answer.json()["error"] == "unauthorized"


def test_lookup_returns_the_order(shared_supportdesk: SupportDesk) -> None:
    answer = post(
        shared_supportdesk, "/api/v1/orders/lookup", {**MAYA, "order_number": "4829-1307"}
    )
    assert answer.status_code == 200
    order = answer.json()
    assert order["order_number"] == "STS-4829-1307"
    assert order["lines"][0]["unit_price"] == "59.99"
    assert order["shipments"][0]["events"]


def test_unknown_order_and_wrong_email_give_one_body(shared_supportdesk: SupportDesk) -> None:
    unknown = post(
        shared_supportdesk, "/api/v1/orders/lookup", {**MAYA, "order_number": "STS-1111-2222"}
    )
    wrong = post(
        shared_supportdesk,
        "/api/v1/orders/lookup",
        {"order_number": "STS-7315-2264", "email": MAYA["email"]},  # Jordan's order
    )
    assert unknown.status_code == wrong.status_code == 404
    assert unknown.content == wrong.content


def lookup(desk: SupportDesk, conversation: str | None, email: str = MAYA["email"]):
    body = {**MAYA, "email": email}
    if conversation is not None:
        body["conversation_id"] = conversation
    return post(desk, "/api/v1/orders/lookup", body)


def test_a_strangers_wrong_guesses_do_not_lock_the_owner_out(supportdesk: SupportDesk) -> None:
    codes = [lookup(supportdesk, "stranger", "guess@example.com").status_code for _ in range(6)]
    assert codes == [404] * 5 + [429]
    limited = lookup(supportdesk, "stranger")  # even the right e-mail: guessing must not pay
    assert limited.status_code == 429 and limited.json()["error"] == "rate_limited"
    assert 0 < int(limited.headers["Retry-After"]) <= 15 * 60 + 1
    assert limited.json()["retry_after"] == int(limited.headers["Retry-After"])
    owner = lookup(supportdesk, "owner")
    assert owner.status_code == 200 and owner.json()["order_number"] == MAYA["order_number"]


def test_without_a_conversation_the_callers_address_is_the_source(
    supportdesk: SupportDesk,
) -> None:
    unknown = [{"order_number": f"STS-1000-{n:04}", "email": "x@example.com"} for n in range(20)]
    codes = [post(supportdesk, "/api/v1/orders/lookup", body).status_code for body in unknown]
    assert codes == [404] * 20  # an address may serve many people: 20, not 5
    jordan = {"order_number": "STS-7315-2264", "email": "jordan.reyes@example.net"}
    assert post(supportdesk, "/api/v1/orders/lookup", jordan).status_code == 429  # any order
    assert lookup(supportdesk, "a-conversation").status_code == 200


def test_many_sources_together_are_stopped_by_the_limit_per_order(
    supportdesk: SupportDesk,
) -> None:
    assert lookup(supportdesk, "owner").status_code == 200
    codes = [
        lookup(supportdesk, f"rotating-{n}", "guess@example.com").status_code
        for n in range(10)  # 10 sources x 5 guesses: the default limit of 50 per order
        for _ in range(5)
    ]
    assert codes == [404] * 50
    fresh = lookup(supportdesk, "fresh")
    assert fresh.status_code == 429
    assert 15 * 60 < int(fresh.headers["Retry-After"]) <= 60 * 60 + 1
    # The conversation that already proved it knows the e-mail can go on with its claim.
    assert lookup(supportdesk, "owner").status_code == 200
    quote = post(
        supportdesk,
        "/api/v1/claims/quote",
        {**MAYA, "items": [{"line_id": CASE, "quantity": 1}], "conversation_id": "owner"},
    )
    assert quote.status_code == 200


def test_the_desk_refuses_to_start_with_unreadable_lookup_limits(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="SUPPORTDESK_LOOKUP_LIMIT_PER_ORDER"):
        start_supportdesk(tmp_path, extra_env={"SUPPORTDESK_LOOKUP_LIMIT_PER_ORDER": "many"})


@pytest.mark.parametrize(
    ("raw", "status"),
    [(b'{"order_number": ', 400), (b"[1, 2]", 400), (b"", 400), (b"\xff\xfe", 400)],
)
def test_malformed_json_is_400(shared_supportdesk: SupportDesk, raw: bytes, status: int) -> None:
    answer = requests.post(
        f"{shared_supportdesk.url}/api/v1/orders/lookup",
        data=raw,
        headers={**shared_supportdesk.headers, "Content-Type": "application/json"},
        timeout=5,
    )
    assert answer.status_code == status
    assert answer.json()["message"]


@pytest.mark.parametrize(
    "body",
    [
        {"order_number": 48291307, "email": "maya.chen@example.com"},
        {"order_number": "STS-4829-1307"},
        {"order_number": "STS-4829-1307", "email": ["maya.chen@example.com"]},
    ],
)
def test_wrong_types_are_422_with_the_field(shared_supportdesk: SupportDesk, body: dict) -> None:
    answer = post(shared_supportdesk, "/api/v1/orders/lookup", body)
    assert answer.status_code == 422
    assert answer.json()["problems"][0]["field"] in {"order_number", "email"}


def test_claim_is_created_and_replayed(supportdesk: SupportDesk) -> None:
    first = post(supportdesk, "/api/v1/claims", claim_body(), key="conv-1:form-1")
    assert first.status_code == 201
    claim = first.json()
    assert claim["status"] == "approved" and claim["refund_amount"] == "13.50"
    again = post(supportdesk, "/api/v1/claims", claim_body(), key="conv-1:form-1")
    assert again.status_code == 201
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert again.json()["claim_number"] == claim["claim_number"]
    fetched = requests.get(
        f"{supportdesk.url}/api/v1/claims/{claim['claim_number']}",
        headers=supportdesk.headers,
        timeout=5,
    )
    assert fetched.json()["history"] == claim["history"]
    assert [c["claim_number"] for c in claims_on(supportdesk)] == [claim["claim_number"]]


def test_claim_needs_an_idempotency_key(shared_supportdesk: SupportDesk) -> None:
    answer = post(shared_supportdesk, "/api/v1/claims", claim_body())
    assert answer.status_code == 400
    assert "Idempotency-Key" in answer.json()["message"]


@pytest.mark.parametrize(
    "body",
    [
        claim_body(items=[("STS-4829-1307-L7", 1)]),
        claim_body(items=[(CASE, 3)]),
        claim_body(items=[(CASE, 0)]),
        claim_body(items=[(CASE, -1)]),
        claim_body(description="x" * 2001),
        {**claim_body(), "items": [{"line_id": CASE, "quantity": "1"}]},
        {**claim_body(), "items": [{"line_id": CASE, "quantity": True}]},
        {**claim_body(), "items": [{"line_id": CASE, "quantity": 1.5}]},
        {**claim_body(), "items": "all of them"},
    ],
)
def test_bad_claims_are_422_and_write_nothing(supportdesk: SupportDesk, body: dict) -> None:
    answer = post(supportdesk, "/api/v1/claims", body, key="bad")
    assert answer.status_code == 422, answer.text
    assert answer.json()["message"]
    assert claims_on(supportdesk) == []


def test_claimed_unit_is_409_with_the_existing_claim(shared_supportdesk: SupportDesk) -> None:
    body = {
        "order_number": "STS-8406-5519",
        "email": "maya.chen@example.com",
        "items": [{"line_id": "STS-8406-5519-L2", "quantity": 1}],
        "description": "Brush set missing",
    }
    answer = post(shared_supportdesk, "/api/v1/claims", body, key="dup-claim")
    assert answer.status_code == 409
    assert answer.json()["claims"][0]["claim_number"] == "CLM-000001"


def test_fifty_concurrent_identical_submissions_make_one_claim(supportdesk: SupportDesk) -> None:
    with ThreadPoolExecutor(max_workers=50) as pool:
        answers = list(
            pool.map(
                lambda _: post(supportdesk, "/api/v1/claims", claim_body(), key="burst"),
                range(50),
            )
        )
    assert {a.status_code for a in answers} == {201}
    assert len({a.json()["claim_number"] for a in answers}) == 1
    assert len(claims_on(supportdesk)) == 1


def test_concurrent_claims_for_the_same_units_never_overclaim(supportdesk: SupportDesk) -> None:
    # Two phone cases: of 20 different requests for one case each, exactly two can win.
    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(
            pool.map(
                lambda n: post(supportdesk, "/api/v1/claims", claim_body(), key=f"race-{n}"),
                range(20),
            )
        )
    codes = sorted(a.status_code for a in answers)
    assert codes == [201, 201] + [409] * 18
    assert sum(c["items"][0]["quantity"] for c in claims_on(supportdesk)) == 2


@pytest.mark.parametrize(
    ("order_number", "email", "line_id"),
    [
        ("STS-5102-7741", "jordan.reyes@example.net", "STS-5102-7741-L2"),  # mat in transit
        ("STS-6230-0958", "maya.chen@example.com", "STS-6230-0958-L1"),  # nothing received
    ],
)
def test_units_the_store_has_not_received_are_422_for_claims_and_quotes(
    shared_supportdesk: SupportDesk, order_number: str, email: str, line_id: str
) -> None:
    who = {"order_number": order_number, "email": email}
    items = [{"line_id": line_id, "quantity": 1}]
    claim = {**who, "items": items, "description": "It was not in the bag."}
    for answer in (
        post(shared_supportdesk, "/api/v1/claims", claim, key=f"not-received-{line_id}"),
        post(shared_supportdesk, "/api/v1/claims/quote", {**who, "items": items}),
    ):
        assert answer.status_code == 422, answer.text
        body = answer.json()
        assert body["error"] == "invalid" and body["field"] == "items"
        assert body["line_id"] == line_id and body["reason"] == "not_received_by_store"
        assert "still on its way" in body["message"]
    assert claims_on(shared_supportdesk, order_number) == []


def test_claim_number_in_the_path_may_be_typed_loosely(shared_supportdesk: SupportDesk) -> None:
    for typed in ("clm%20000001", "CLM1", "clm-1"):
        answer = requests.get(
            f"{shared_supportdesk.url}/api/v1/claims/{typed}",
            headers=shared_supportdesk.headers,
            timeout=5,
        )
        assert answer.status_code == 200, typed
        assert answer.json()["claim_number"] == "CLM-000001"


def test_unknown_claim_is_404(shared_supportdesk: SupportDesk) -> None:
    answer = requests.get(
        f"{shared_supportdesk.url}/api/v1/claims/CLM-999999",
        headers=shared_supportdesk.headers,
        timeout=5,
    )
    assert answer.status_code == 404


def test_evidence_upload(supportdesk: SupportDesk) -> None:
    png = io.BytesIO()
    Image.new("RGB", (20, 20), "blue").save(png, "PNG")
    files = [("files", ("slip.png", png.getvalue(), "image/png"))]
    answer = post(supportdesk, "/api/v1/claims/clm1/evidence", files=files)
    assert answer.status_code == 201
    assert answer.json()["claim_number"] == "CLM-000001"
    assert answer.json()["evidence"][0]["content_type"] == "image/png"
    fake = [("files", ("photo.jpg", b"not an image at all", "image/jpeg"))]
    refused = post(supportdesk, "/api/v1/claims/CLM-000001/evidence", files=fake)
    assert refused.status_code == 422
    claim = requests.get(
        f"{supportdesk.url}/api/v1/claims/CLM-000001", headers=supportdesk.headers, timeout=5
    ).json()
    assert claim["evidence_count"] == 1


def test_handoff_is_recorded(shared_supportdesk: SupportDesk) -> None:
    body = {
        "conversation_id": "conv-9",
        "channel": "socketio",
        "reason": "customer asked for a human",
        "transcript": [{"sender": "user", "text": "I want a person"}],
        "details": {"order_number": "STS-4829-1307"},
    }
    answer = post(shared_supportdesk, "/api/v1/handoffs", body)
    assert answer.status_code == 201
    assert answer.json()["status"] == "waiting" and answer.json()["handoff_id"] > 0
    assert answer.json()["existing"] is False
    missing = post(shared_supportdesk, "/api/v1/handoffs", {"channel": "rest"})
    assert missing.status_code == 422


def handoff_body(conversation: str, reason: str = "customer asked for a human", **details):
    return {
        "conversation_id": conversation,
        "channel": "socketio",
        "reason": reason,
        "transcript": [{"sender": "customer", "text": "I want a person"}],
        "details": details,
    }


def open_handoffs(desk: SupportDesk, conversation: str) -> int:
    with sqlite3.connect(desk.database_url.removeprefix("sqlite:///")) as conn:
        return conn.execute(
            "SELECT count(*) FROM handoffs WHERE conversation_id = ?"
            " AND status IN ('waiting', 'active')",
            (conversation,),
        ).fetchone()[0]


def test_a_conversations_second_handoff_is_200_with_the_first(supportdesk: SupportDesk) -> None:
    path = "/api/v1/handoffs"
    first = post(supportdesk, path, handoff_body("conv-twice", verified_order="STS-4829-1307"))
    again = post(
        supportdesk,
        path,
        handoff_body("conv-twice", "Claim CLM-000004 is in review", claim_number="CLM-000004"),
    )
    assert first.status_code == 201 and first.json()["existing"] is False
    assert again.status_code == 200, again.text
    body = again.json()
    assert body["existing"] is True and body["handoff_id"] == first.json()["handoff_id"]
    assert body["details"] == {"verified_order": "STS-4829-1307", "claim_number": "CLM-000004"}
    assert body["note"].startswith("Handed over again: Claim CLM-000004 is in review.")
    assert body["inbox"] == {"name": "builtin", "status": "queued"} and body["availability"]
    other = post(supportdesk, path, handoff_body("conv-other"))
    assert other.status_code == 201 and other.json()["handoff_id"] != body["handoff_id"]


def test_concurrent_handoffs_of_one_conversation_make_one(supportdesk: SupportDesk) -> None:
    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(
            pool.map(
                lambda n: post(
                    supportdesk, "/api/v1/handoffs", handoff_body("conv-burst", f"try {n}")
                ),
                range(20),
            )
        )
    assert sorted(a.status_code for a in answers) == [200] * 19 + [201]
    assert len({a.json()["handoff_id"] for a in answers}) == 1
    assert [a.json()["existing"] for a in answers].count(False) == 1
    assert open_handoffs(supportdesk, "conv-burst") == 1


# Quotes ---------------------------------------------------------------------------------------

QUOTE = "/api/v1/claims/quote"


def quote_body(items=((CASE, 1),), **overrides) -> dict:
    return {**MAYA, "items": [{"line_id": line, "quantity": q} for line, q in items], **overrides}


def test_quote_is_what_the_claim_refunds_and_files_nothing(supportdesk: SupportDesk) -> None:
    items = ((CASE, 2), ("STS-4829-1307-L3", 1))
    quoted = post(supportdesk, QUOTE, quote_body(items, order_number="sts48291307"))
    assert quoted.status_code == 200, quoted.text
    quote = quoted.json()
    assert quote == {
        "order_number": "STS-4829-1307",
        "refund_amount": "43.19",  # 2 x 12.50 + 2.00 tax, and 14.99 + 1.20 tax
        "currency": "USD",
        "items": [
            {"line_id": CASE, "name": "Clear Phone Case", "quantity": 2, "refund_amount": "27.00"},
            {
                "line_id": "STS-4829-1307-L3",
                "name": "USB-C Charging Cable (3-pack)",
                "quantity": 1,
                "refund_amount": "16.19",
            },
        ],
    }
    assert post(supportdesk, QUOTE, quote_body(items)).json() == quote  # safe to repeat
    assert claims_on(supportdesk) == []

    created = post(supportdesk, "/api/v1/claims", claim_body(items), key="after-quote")
    assert created.status_code == 201
    assert created.json()["refund_amount"] == quote["refund_amount"]
    assert created.json()["items"] == quote["items"]


def test_quote_for_an_unknown_order_or_wrong_email_is_the_lookups_404(
    shared_supportdesk: SupportDesk,
) -> None:
    lookup = post(
        shared_supportdesk, "/api/v1/orders/lookup", {**MAYA, "order_number": "STS-1111-2222"}
    )
    unknown = post(shared_supportdesk, QUOTE, quote_body(order_number="STS-1111-2222"))
    wrong = post(shared_supportdesk, QUOTE, quote_body(email="jordan.reyes@example.net"))
    assert unknown.status_code == wrong.status_code == lookup.status_code == 404
    assert unknown.json() == wrong.json() == lookup.json()


def test_quote_for_claimed_units_is_409_with_the_existing_claim(
    shared_supportdesk: SupportDesk,
) -> None:
    body = {
        "order_number": "STS-8406-5519",
        "email": "maya.chen@example.com",
        "items": [{"line_id": "STS-8406-5519-L2", "quantity": 1}],
    }
    answer = post(shared_supportdesk, QUOTE, body)
    assert answer.status_code == 409
    assert answer.json()["error"] == "conflict"
    assert answer.json()["line_id"] == "STS-8406-5519-L2"
    assert answer.json()["claims"][0]["claim_number"] == "CLM-000001"


@pytest.mark.parametrize(
    "body",
    [
        quote_body(items=[("STS-4829-1307-L7", 1)]),
        quote_body(items=[("STS-7315-2264-L1", 1)]),  # another order's line
        quote_body(items=[(CASE, 3)]),
        quote_body(items=[(CASE, 0)]),
        quote_body(items=[(CASE, -1)]),
        quote_body(items=[(CASE, 1), (CASE, 1)]),
        quote_body(items=[]),
        {**quote_body(), "items": [{"line_id": CASE, "quantity": "1"}]},
        {**quote_body(), "items": [{"line_id": CASE, "quantity": True}]},
        {**quote_body(), "items": [{"line_id": CASE}]},
        {**quote_body(), "items": "all of them"},
        {"order_number": MAYA["order_number"], "email": MAYA["email"]},
        {"email": MAYA["email"], "items": [{"line_id": CASE, "quantity": 1}]},
    ],
)
def test_bad_quotes_are_422(shared_supportdesk: SupportDesk, body: dict) -> None:
    answer = post(shared_supportdesk, QUOTE, body)
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"] == "invalid" and answer.json()["message"]


def test_quote_needs_the_key_and_a_json_object(shared_supportdesk: SupportDesk) -> None:
    unauthorized = requests.post(f"{shared_supportdesk.url}{QUOTE}", json=quote_body(), timeout=5)
    assert unauthorized.status_code == 401
    for raw in (b"{not json", b"[1, 2]"):
        answer = requests.post(
            f"{shared_supportdesk.url}{QUOTE}",
            data=raw,
            headers={**shared_supportdesk.headers, "Content-Type": "application/json"},
            timeout=5,
        )
        assert answer.status_code == 400 and answer.json()["error"] == "invalid_json"


# Evidence upload links ------------------------------------------------------------------------


def upload_claim(url: str) -> str:
    """The claim an evidence_upload_url's token is bound to (BadToken if it is not valid)."""
    parts = urlsplit(url)
    prefix, _, token = parts.path.rpartition("/")
    assert prefix.endswith("/upload"), url
    return read_token(token, UPLOAD_SECRET)


def test_created_and_fetched_claims_carry_a_signed_upload_link(supportdesk: SupportDesk) -> None:
    created = post(supportdesk, "/api/v1/claims", claim_body(), key="link-1")
    assert created.status_code == 201
    claim = created.json()
    port = urlsplit(supportdesk.url).port
    assert claim["evidence_upload_url"].startswith(f"http://localhost:{port}/upload/")
    assert upload_claim(claim["evidence_upload_url"]) == claim["claim_number"]

    replay = post(supportdesk, "/api/v1/claims", claim_body(), key="link-1")
    assert replay.headers.get("Idempotent-Replayed") == "true"
    assert upload_claim(replay.json()["evidence_upload_url"]) == claim["claim_number"]

    fetched = requests.get(
        f"{supportdesk.url}/api/v1/claims/{claim['claim_number']}",
        headers=supportdesk.headers,
        timeout=5,
    ).json()
    assert upload_claim(fetched["evidence_upload_url"]) == claim["claim_number"]
    token = fetched["evidence_upload_url"].rsplit("/", 1)[1]
    with pytest.raises(BadToken):
        read_token(token, "not-the-upload-secret")
    assert "evidence_upload_url" not in claims_on(supportdesk)[0]


def test_a_claim_fetched_by_a_loosely_typed_number_links_to_that_claim(
    shared_supportdesk: SupportDesk,
) -> None:
    urls = {}
    for typed in ("CLM-000001", "clm1"):
        answer = requests.get(
            f"{shared_supportdesk.url}/api/v1/claims/{typed}",
            headers=shared_supportdesk.headers,
            timeout=5,
        )
        urls[typed] = answer.json()["evidence_upload_url"]
        assert upload_claim(urls[typed]) == "CLM-000001"
    assert all(UPLOAD_SECRET not in url for url in urls.values())


def test_upload_links_use_the_public_url(tmp_path: Path) -> None:
    desk = start_supportdesk(
        tmp_path, extra_env={"SUPPORTDESK_PUBLIC_URL": "https://help.example.com/desk/"}
    )
    try:
        answer = requests.get(
            f"{desk.url}/api/v1/claims/CLM-000001", headers=desk.headers, timeout=5
        )
        url = answer.json()["evidence_upload_url"]
        assert url.startswith("https://help.example.com/desk/upload/")
        assert upload_claim(url) == "CLM-000001"
    finally:
        stop(desk)


def serve(tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    environ = {
        name: value
        for name, value in os.environ.items()
        if name not in {"SUPPORTDESK_API_KEY", "SUPPORTDESK_UPLOAD_SECRET"}
    }
    environ.update(STS_DATA_DIR=str(tmp_path / "data"), **env)
    return subprocess.run(
        [sys.executable, "-m", "supportdesk", "serve", "--port", str(free_port())]
        + ["--database-url", f"sqlite:///{tmp_path / 'desk.db'}"],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("secret", [None, "", "   "])
def test_serve_refuses_to_start_without_an_upload_secret(
    tmp_path: Path, secret: str | None
) -> None:
    env = {"SUPPORTDESK_API_KEY": TEST_KEY}
    if secret is not None:
        env["SUPPORTDESK_UPLOAD_SECRET"] = secret
    done = serve(tmp_path, **env)
    assert done.returncode == 2, done.stderr
    assert "SUPPORTDESK_UPLOAD_SECRET is not set" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "desk.db").exists()


def test_serve_refuses_to_start_without_an_api_key(tmp_path: Path) -> None:
    done = serve(tmp_path, SUPPORTDESK_UPLOAD_SECRET=UPLOAD_SECRET)
    assert done.returncode == 2, done.stderr
    assert "SUPPORTDESK_API_KEY is not set" in done.stderr
