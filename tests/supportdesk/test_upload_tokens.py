"""Signed, expiring evidence upload tokens: what reads back and what is refused."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import datetime, timedelta, timezone

import pytest

from supportdesk.errors import DomainError
from supportdesk.upload_tokens import DEFAULT_LIFETIME, BadToken, make_token, read_token

SECRET = "upload-secret-" + "s" * 32
CLAIM = "CLM-000001"
ISSUED = datetime(2024, 5, 2, 14, 0, 0, tzinfo=timezone.utc)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def test_a_token_reads_back_as_its_claim() -> None:
    token = make_token(CLAIM, SECRET, now=ISSUED)
    assert read_token(token, SECRET, now=ISSUED) == CLAIM
    assert read_token(make_token(CLAIM, SECRET), SECRET) == CLAIM  # the real clock


def test_a_token_is_url_safe_and_carries_no_secret() -> None:
    token = make_token(CLAIM, SECRET, now=ISSUED)
    payload, signature = token.split(".")
    allowed = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    assert set(payload + signature) <= allowed
    assert SECRET not in token
    assert json.loads(unb64(payload)) == {
        "c": CLAIM,
        "e": int((ISSUED + timedelta(hours=72)).timestamp()),
    }


def test_bad_token_is_a_403_domain_error() -> None:
    assert issubclass(BadToken, DomainError)
    assert BadToken.status == 403 and BadToken.code == "bad_token"
    with pytest.raises(BadToken) as raised:
        read_token("nonsense", SECRET)
    assert raised.value.body() == {"error": "bad_token", "message": raised.value.message}
    assert "new one" in raised.value.message


def test_a_tampered_payload_is_refused() -> None:
    payload, signature = make_token(CLAIM, SECRET, now=ISSUED).split(".")
    for data in (
        {"c": "CLM-000002", "e": json.loads(unb64(payload))["e"]},  # another claim
        {"c": CLAIM, "e": int((ISSUED + timedelta(days=365)).timestamp())},  # longer life
    ):
        forged = b64(json.dumps(data, separators=(",", ":")).encode())
        with pytest.raises(BadToken):
            read_token(f"{forged}.{signature}", SECRET, now=ISSUED)
    flipped = payload[:-1] + ("A" if payload[-1] != "A" else "B")
    with pytest.raises(BadToken):
        read_token(f"{flipped}.{signature}", SECRET, now=ISSUED)


def test_a_tampered_signature_is_refused() -> None:
    token = make_token(CLAIM, SECRET, now=ISSUED)
    payload, signature = token.split(".")
    for bad in (
        signature[:-1] + ("A" if signature[-1] != "A" else "B"),
        signature[:-2],
        signature + "A",
        signature.upper(),
        "",
        b64(b"\0" * 32),
    ):
        with pytest.raises(BadToken):
            read_token(f"{payload}.{bad}", SECRET, now=ISSUED)
    with pytest.raises(BadToken):
        read_token(payload, SECRET, now=ISSUED)  # no signature at all
    with pytest.raises(BadToken):
        read_token(f"{token}.extra", SECRET, now=ISSUED)


def test_a_token_made_with_another_secret_is_refused() -> None:
    token = make_token(CLAIM, "another-secret-" + "o" * 32, now=ISSUED)
    with pytest.raises(BadToken):
        read_token(token, SECRET, now=ISSUED)
    with pytest.raises(BadToken):
        read_token(make_token(CLAIM, SECRET, now=ISSUED), SECRET + "x", now=ISSUED)


def test_a_token_expires_after_72_hours() -> None:
    assert timedelta(hours=72) == DEFAULT_LIFETIME
    token = make_token(CLAIM, SECRET, now=ISSUED)
    assert read_token(token, SECRET, now=ISSUED + timedelta(hours=71, minutes=59)) == CLAIM
    assert read_token(token, SECRET, now=ISSUED + timedelta(hours=72)) == CLAIM
    for later in (timedelta(hours=72, seconds=1), timedelta(days=30)):
        with pytest.raises(BadToken, match="expired"):
            read_token(token, SECRET, now=ISSUED + later)


def test_a_shorter_lifetime_can_be_asked_for() -> None:
    token = make_token(CLAIM, SECRET, now=ISSUED, lifetime=timedelta(minutes=10))
    assert read_token(token, SECRET, now=ISSUED + timedelta(minutes=9)) == CLAIM
    with pytest.raises(BadToken, match="expired"):
        read_token(token, SECRET, now=ISSUED + timedelta(minutes=11))


def test_a_token_for_one_claim_never_reads_as_another() -> None:
    token_a = make_token("CLM-000001", SECRET, now=ISSUED)
    token_b = make_token("CLM-000002", SECRET, now=ISSUED)
    assert token_a != token_b
    assert read_token(token_a, SECRET, now=ISSUED) == "CLM-000001"
    assert read_token(token_b, SECRET, now=ISSUED) == "CLM-000002"
    # B's payload with A's signature, and the other way round: neither is accepted.
    (payload_a, signature_a), (payload_b, signature_b) = token_a.split("."), token_b.split(".")
    for mixed in (f"{payload_b}.{signature_a}", f"{payload_a}.{signature_b}"):
        with pytest.raises(BadToken):
            read_token(mixed, SECRET, now=ISSUED)


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        ".",
        "..",
        "abc",
        "abc.def",
        ".signature-only",
        "payload-only.",
        "not base64!.@@@",
        "ünïcödé.tökén",
        "\x00\x01.\x02",
        "a" * 5000,
        "a" * 2000 + "." + "b" * 2000,
        "eyJjIjoiQ0xNLTAwMDAwMSJ9",  # {"c":"CLM-000001"}, unsigned
    ],
)
def test_garbage_is_refused(garbage: str) -> None:
    with pytest.raises(BadToken):
        read_token(garbage, SECRET, now=ISSUED)


@pytest.mark.parametrize(
    "payload",
    [
        b"not json",
        b"[1, 2]",
        b'"CLM-000001"',
        b"42",
        b"null",
        b'{"c": "CLM-000001"}',
        b'{"e": 1999999999}',
        b'{"c": "CLM-000001", "e": "tomorrow"}',
        b'{"c": "CLM-000001", "e": "1999999999"}',
        b'{"c": "CLM-000001", "e": Infinity}',
        b'{"c": "CLM-000001", "e": 1e400}',
        b'{"c": "CLM-000001", "e": true}',
        b'{"c": null, "e": 1999999999}',
        b'{"c": 1, "e": 1999999999}',
        b"\xff\xfe",
    ],
)
def test_a_correctly_signed_payload_of_the_wrong_shape_is_refused(payload: bytes) -> None:
    """Only the holder of the secret could make these; still a BadToken, never a crash."""
    encoded = b64(payload)
    signature = b64(hmac.new(SECRET.encode(), encoded.encode(), hashlib.sha256).digest())
    with pytest.raises(BadToken):
        read_token(f"{encoded}.{signature}", SECRET, now=ISSUED)
