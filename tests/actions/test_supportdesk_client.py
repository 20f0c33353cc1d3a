"""The support desk client against the real service, and against small misbehaving servers."""

from __future__ import annotations

import io
import json
import logging
import threading
import time
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from PIL import Image

from actions.supportdesk_client import (
    ConfigurationError,
    Conflict,
    InvalidRequest,
    NotFound,
    RateLimited,
    SupportDeskClient,
    SupportDeskError,
    Unauthorized,
    Unavailable,
)
from tests.conftest import TEST_KEY, SupportDesk, free_port, start_supportdesk, stop

MAYA_ORDER = "STS-4829-1307"
MAYA_EMAIL = "maya.chen@example.com"
MAYA_TRACKING = "1Z4E82A70362815596"
CLAIMED_ORDER = "STS-8406-5519"
CLAIMED_LINE = "STS-8406-5519-L2"


class CountingClient(SupportDeskClient):
    """Records every HTTP attempt and every pause between attempts."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.attempts: list[tuple[str, str]] = []
        self.pauses: list[float] = []

    def _send(self, method: str, path: str, **kwargs: Any):
        self.attempts.append((method, path))
        return super()._send(method, path, **kwargs)

    def _sleep(self, seconds: float) -> None:
        self.pauses.append(seconds)
        super()._sleep(seconds)


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SupportDesk]:
    """A support desk with demo data of this module's own (its tests create claims)."""
    started = start_supportdesk(tmp_path_factory.mktemp("client-desk"))
    yield started
    stop(started)


@pytest.fixture
def client(desk: SupportDesk) -> Iterator[SupportDeskClient]:
    with SupportDeskClient(desk.url, desk.key, read_timeout=10, backoff=0.05) as c:
        yield c


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


# Configuration -------------------------------------------------------------------------------


def test_from_env_reads_url_and_key() -> None:
    client = SupportDeskClient.from_env(
        {"SUPPORTDESK_API_KEY": "k", "SUPPORTDESK_URL": "http://x:1/"}
    )
    assert client.base_url == "http://x:1"
    assert SupportDeskClient.from_env({"SUPPORTDESK_API_KEY": "k"}).base_url == (
        "http://127.0.0.1:8000"
    )


def test_from_env_without_key_is_a_clear_configuration_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("SUPPORTDESK_API_KEY", raising=False)
    with pytest.raises(ConfigurationError, match="SUPPORTDESK_API_KEY"):
        SupportDeskClient.from_env()


def test_wrong_key_is_unauthorized(shared_supportdesk: SupportDesk) -> None:
    client = SupportDeskClient(shared_supportdesk.url, "not-the-key", retries=0)
    with pytest.raises(Unauthorized) as raised:
        client.get_claim("CLM-000001")
    assert raised.value.status == 401
    assert isinstance(raised.value, ConfigurationError)
    assert isinstance(raised.value, SupportDeskError)
    assert raised.value.message == raised.value.body["message"]


def test_health(shared_supportdesk: SupportDesk) -> None:
    client = SupportDeskClient(shared_supportdesk.url, TEST_KEY)
    assert client.health()["status"] == "ok"


# Orders --------------------------------------------------------------------------------------


def test_lookup_returns_the_order(client: SupportDeskClient) -> None:
    order = client.lookup_order("sts48291307", MAYA_EMAIL, conversation_id="c-lookup")
    assert order["order_number"] == MAYA_ORDER
    assert {line["line_id"] for line in order["lines"]} >= {f"{MAYA_ORDER}-L1", f"{MAYA_ORDER}-L2"}


def test_wrong_email_and_unknown_order_are_the_same_not_found(client: SupportDeskClient) -> None:
    with pytest.raises(NotFound) as wrong_email:
        client.lookup_order(MAYA_ORDER, "jordan.reyes@example.net")
    with pytest.raises(NotFound) as unknown:
        client.lookup_order("STS-1111-2222", MAYA_EMAIL)
    assert wrong_email.value.status == unknown.value.status == 404
    assert wrong_email.value.message == unknown.value.message
    assert wrong_email.value.body == unknown.value.body


def test_sixth_failed_lookup_is_rate_limited(client: SupportDeskClient) -> None:
    conversation = f"c-{uuid.uuid4()}"
    for _ in range(5):
        with pytest.raises(NotFound):
            client.lookup_order("STS-9999-0001", MAYA_EMAIL, conversation_id=conversation)
    with pytest.raises(RateLimited) as raised:
        client.lookup_order("STS-9999-0001", MAYA_EMAIL, conversation_id=conversation)
    assert raised.value.status == 429
    assert raised.value.retry_after is not None and raised.value.retry_after > 0


def test_invalid_lookup_lists_the_problems(client: SupportDeskClient) -> None:
    with pytest.raises(InvalidRequest) as raised:
        client.lookup_order("X" * 41, MAYA_EMAIL)
    assert raised.value.status == 422
    assert [p["field"] for p in raised.value.problems] == ["order_number"]


def test_no_email_or_key_in_the_logs(
    client: SupportDeskClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="actions.supportdesk_client")
    client.lookup_order(MAYA_ORDER, MAYA_EMAIL)
    with pytest.raises(NotFound):
        client.lookup_order(MAYA_ORDER, "someone.else@example.org")
    assert "/api/v1/orders/lookup" in caplog.text
    assert MAYA_EMAIL not in caplog.text and "someone.else" not in caplog.text
    assert TEST_KEY not in caplog.text


# Claims --------------------------------------------------------------------------------------


def test_create_claim_is_idempotent_and_can_be_read_back(client: SupportDeskClient) -> None:
    key = f"claim-{uuid.uuid4()}"
    arguments = {
        "order_number": MAYA_ORDER,
        "email": MAYA_EMAIL,
        "items": [{"line_id": f"{MAYA_ORDER}-L2", "quantity": 1}],
        "description": "One of the two phone cases was not in the package.",
        "idempotency_key": key,
        "tracking_number": MAYA_TRACKING,
        "channel": "rest",
        "conversation_id": "c-claim",
    }
    first = client.create_claim(**arguments)
    again = client.create_claim(**arguments)
    assert first["claim_number"].startswith("CLM-")
    assert again["claim_number"] == first["claim_number"]
    assert {"status", "refund_amount", "decision"} <= first.keys()

    assert client.get_claim(first["claim_number"])["claim_number"] == first["claim_number"]
    listed = client.list_claims(MAYA_ORDER)["claims"]
    assert [c["claim_number"] for c in listed].count(first["claim_number"]) == 1


def test_claiming_an_already_claimed_unit_is_a_conflict(client: SupportDeskClient) -> None:
    existing = client.list_claims(CLAIMED_ORDER)["claims"]
    assert existing, "the demo data has a claim on this order"
    with pytest.raises(Conflict) as raised:
        client.create_claim(
            CLAIMED_ORDER,
            MAYA_EMAIL,
            [{"line_id": CLAIMED_LINE, "quantity": 1}],
            "The brush set is missing.",
            idempotency_key=f"claim-{uuid.uuid4()}",
        )
    assert raised.value.status == 409
    assert existing[0]["claim_number"] in [c["claim_number"] for c in raised.value.claims]


def test_quote_claim_prices_the_items_without_filing_a_claim(client: SupportDeskClient) -> None:
    before = client.list_claims(MAYA_ORDER)["claims"]
    quote = client.quote_claim(
        "sts48291307", MAYA_EMAIL, [{"line_id": f"{MAYA_ORDER}-L1", "quantity": 1}]
    )
    assert quote == {
        "order_number": MAYA_ORDER,
        "refund_amount": "64.79",
        "currency": "USD",
        "items": [
            {
                "line_id": f"{MAYA_ORDER}-L1",
                "name": "Wireless Over-Ear Headphones",
                "quantity": 1,
                "refund_amount": "64.79",
            }
        ],
    }
    assert client.list_claims(MAYA_ORDER)["claims"] == before


def test_quote_for_an_already_claimed_unit_is_a_conflict(client: SupportDeskClient) -> None:
    existing = client.list_claims(CLAIMED_ORDER)["claims"]
    with pytest.raises(Conflict) as raised:
        client.quote_claim(CLAIMED_ORDER, MAYA_EMAIL, [{"line_id": CLAIMED_LINE, "quantity": 1}])
    assert raised.value.status == 409
    assert existing[0]["claim_number"] in [c["claim_number"] for c in raised.value.claims]
    with pytest.raises(NotFound):
        client.quote_claim(MAYA_ORDER, "jordan.reyes@example.net", [])
    with pytest.raises(InvalidRequest) as invalid:
        client.quote_claim(MAYA_ORDER, MAYA_EMAIL, [{"line_id": f"{MAYA_ORDER}-L1", "quantity": 2}])
    assert invalid.value.field == "items"


@pytest.mark.parametrize(
    ("line_id", "quantity"), [(f"{MAYA_ORDER}-L1", 0), (f"{MAYA_ORDER}-L9", 1)]
)
def test_bad_items_are_invalid(client: SupportDeskClient, line_id: str, quantity: int) -> None:
    with pytest.raises(InvalidRequest) as raised:
        client.create_claim(
            MAYA_ORDER,
            MAYA_EMAIL,
            [{"line_id": line_id, "quantity": quantity}],
            "Missing.",
            idempotency_key=f"claim-{uuid.uuid4()}",
        )
    assert raised.value.status == 422
    assert raised.value.field == "items"
    assert raised.value.message


def test_unknown_claim_is_not_found(client: SupportDeskClient) -> None:
    with pytest.raises(NotFound):
        client.get_claim("CLM-999999")


def test_add_evidence_uploads_a_png(client: SupportDeskClient) -> None:
    claim_number = client.list_claims(CLAIMED_ORDER)["claims"][0]["claim_number"]
    answer = client.add_evidence(claim_number, [("contents.png", png_bytes(), "image/png")])
    assert answer["claim_number"] == claim_number
    assert [e["content_type"] for e in answer["evidence"]] == ["image/png"]


def test_evidence_that_is_not_an_image_is_invalid(client: SupportDeskClient) -> None:
    claim_number = client.list_claims(CLAIMED_ORDER)["claims"][0]["claim_number"]
    with pytest.raises(InvalidRequest):
        client.add_evidence(claim_number, [("notes.png", b"not an image", "image/png")])


# Handoffs ------------------------------------------------------------------------------------


def test_create_handoff(client: SupportDeskClient) -> None:
    handoff = client.create_handoff(
        conversation_id="c-handoff",
        channel="rest",
        reason="The customer asked for a person.",
        transcript=[
            {"sender": "user", "text": "Can I talk to someone?"},
            {"sender": "bot", "text": "Of course.", "at": "2024-05-01T10:00:00Z"},
        ],
        details={"order_number": MAYA_ORDER},
    )
    assert handoff["conversation_id"] == "c-handoff"
    assert handoff["status"] == "waiting"
    assert len(handoff["transcript"]) == 2
    assert handoff["details"] == {"order_number": MAYA_ORDER}
    assert handoff["existing"] is False and handoff["note"] is None


def test_a_second_handoff_of_the_conversation_returns_the_open_one(
    client: SupportDeskClient,
) -> None:
    first = client.create_handoff("c-twice", "rest", "The customer asked for a person.", [], {})
    again = client.create_handoff(
        "c-twice", "rest", "Claim in review", [], {"claim_number": "CLM-000001"}
    )
    assert first["existing"] is False
    assert again["existing"] is True and again["handoff_id"] == first["handoff_id"]
    assert again["details"] == {"claim_number": "CLM-000001"}
    assert again["note"].startswith("Handed over again: Claim in review.")


def test_a_handoff_from_a_server_without_existing_counts_as_new() -> None:
    with FakeDesk("echo") as fake:
        answer = SupportDeskClient(fake.url, TEST_KEY).create_handoff("c", "rest", "r", [], {})
    assert answer == {"ok": True, "existing": False}


# Failure modes -------------------------------------------------------------------------------


def test_service_down_is_unavailable_after_retries() -> None:
    client = CountingClient(f"http://127.0.0.1:{free_port()}", TEST_KEY, retries=2, backoff=0.01)
    with pytest.raises(Unavailable):
        client.get_claim("CLM-000001")
    assert len(client.attempts) == 3
    assert client.pauses == [0.01, 0.02]

    # Nothing reached the server, so even the lookup, which counts failures, is retried.
    client.attempts.clear()
    with pytest.raises(Unavailable):
        client.lookup_order(MAYA_ORDER, MAYA_EMAIL)
    assert len(client.attempts) == 3


class FakeDesk:
    """A tiny HTTP server whose answers a test chooses: slow, 503, no answer, or not JSON."""

    def __init__(self, mode: str, delay: float = 0.0) -> None:
        self.mode, self.delay = mode, delay
        self.requests: list[dict[str, Any]] = []
        self.release = threading.Event()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def count(self, method: str) -> int:
        return sum(1 for r in self.requests if r["method"] == method)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                fake.requests.append(
                    {"method": self.command, "path": self.path, "headers": dict(self.headers)}
                )
                if fake.mode == "slow":
                    fake.release.wait(fake.delay)
                if fake.mode == "abort":
                    self.close_connection = True
                    return
                status, body, kind = {
                    "slow": (200, json.dumps({"ok": True}), "application/json"),
                    "503": (
                        503,
                        json.dumps({"message": "Down for maintenance."}),
                        "application/json",
                    ),
                    "html": (200, "<html>proxy login</html>", "text/html"),
                    "echo": (200, json.dumps({"ok": True}), "application/json"),
                }[fake.mode]
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", kind)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body.encode())
                except OSError:
                    pass  # the client gave up waiting

            do_GET = do_POST = _answer

        return Handler

    def __enter__(self) -> FakeDesk:
        self.thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


def test_every_request_carries_the_key_and_timeouts() -> None:
    with FakeDesk("echo") as fake:
        client = SupportDeskClient(fake.url, TEST_KEY, connect_timeout=1.5, read_timeout=2)
        assert client.get_claim("CLM-000001") == {"ok": True}
        client.create_claim(MAYA_ORDER, MAYA_EMAIL, [], "x", idempotency_key="k-1")
    assert [r["headers"]["Authorization"] for r in fake.requests] == [f"Bearer {TEST_KEY}"] * 2
    assert fake.requests[1]["headers"]["Idempotency-Key"] == "k-1"
    assert client.timeout == (1.5, 2)


def test_slow_service_is_retried_for_get_but_lookup_is_sent_once() -> None:
    read_timeout, retries, backoff = 0.3, 2, 0.05
    with FakeDesk("slow", delay=3) as fake:
        client = SupportDeskClient(fake.url, TEST_KEY, read_timeout=read_timeout, backoff=backoff)
        started = time.monotonic()
        with pytest.raises(Unavailable):
            client.get_claim("CLM-000001")
        elapsed = time.monotonic() - started
        assert fake.count("GET") == retries + 1
        budget = read_timeout * (retries + 1) + backoff * (2**retries - 1)
        assert read_timeout * (retries + 1) <= elapsed < budget + 1.0

        started = time.monotonic()
        with pytest.raises(Unavailable):
            client.lookup_order(MAYA_ORDER, MAYA_EMAIL)
        assert time.monotonic() - started < read_timeout + 1.0
        assert fake.count("POST") == 1


def test_connection_dropped_after_sending_is_not_retried_for_lookup() -> None:
    with FakeDesk("abort") as fake:
        client = CountingClient(fake.url, TEST_KEY, backoff=0.01)
        with pytest.raises(Unavailable):
            client.lookup_order(MAYA_ORDER, MAYA_EMAIL)
        assert fake.count("POST") == 1
        with pytest.raises(Unavailable):
            client.list_claims(MAYA_ORDER)
        assert fake.count("GET") == 3


def test_503_is_retried_for_get_claims_and_quotes_only() -> None:
    with FakeDesk("503") as fake:
        client = CountingClient(fake.url, TEST_KEY, backoff=0.01)
        with pytest.raises(Unavailable) as raised:
            client.get_claim("CLM-000001")
        assert fake.count("GET") == 3
        assert raised.value.status == 503
        assert raised.value.message == "Down for maintenance."

        with pytest.raises(Unavailable):
            client.create_claim(MAYA_ORDER, MAYA_EMAIL, [], "x", idempotency_key="k-2")
        assert fake.count("POST") == 3
        with pytest.raises(Unavailable):
            client.quote_claim(MAYA_ORDER, MAYA_EMAIL, [])
        assert fake.count("POST") == 6
        with pytest.raises(Unavailable):
            client.lookup_order(MAYA_ORDER, MAYA_EMAIL)
        with pytest.raises(Unavailable):
            client.create_handoff("c", "rest", "r", [], {})
        assert fake.count("POST") == 8


def test_an_answer_that_is_not_json_is_unavailable() -> None:
    with FakeDesk("html") as fake, pytest.raises(Unavailable, match="JSON"):
        SupportDeskClient(fake.url, TEST_KEY, retries=0).health()


def test_evidence_is_not_retried_when_the_service_fails() -> None:
    with FakeDesk("503") as fake:
        client = CountingClient(fake.url, TEST_KEY, backoff=0.01)
        with pytest.raises(Unavailable):
            client.add_evidence("CLM-000001", [("a.png", png_bytes(), "image/png")])
        assert len(client.attempts) == 1 and fake.count("POST") == 1
