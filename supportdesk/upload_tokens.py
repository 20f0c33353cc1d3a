"""Signed, expiring links to a claim's evidence upload page (HMAC-SHA256)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import datetime, timedelta

from supportdesk.errors import DomainError
from supportdesk.models import utcnow

DEFAULT_LIFETIME = timedelta(hours=72)


class BadToken(DomainError):
    status = 403
    code = "bad_token"


def make_token(
    claim_number: str,
    secret: str,
    now: datetime | None = None,
    lifetime: timedelta = DEFAULT_LIFETIME,
) -> str:
    """A token bound to one claim that expires after `lifetime`."""
    expires = int(((now or utcnow()) + lifetime).timestamp())
    payload = _b64(json.dumps({"c": claim_number, "e": expires}, separators=(",", ":")).encode())
    return f"{payload}.{_sign(payload, secret)}"


def read_token(token: str, secret: str, now: datetime | None = None) -> str:
    """The claim number a valid token is bound to; BadToken when tampered with or expired."""
    payload, _, signature = token.partition(".")
    if not payload or not hmac.compare_digest(signature.encode(), _sign(payload, secret).encode()):
        raise BadToken("This upload link is not valid. Please ask the assistant for a new one.")
    try:
        data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        claim_number, expires = data["c"], data["e"]
    except (ValueError, KeyError, TypeError):
        raise BadToken("This upload link is not valid.") from None
    if not isinstance(claim_number, str) or type(expires) is not int:
        raise BadToken("This upload link is not valid.")
    if (now or utcnow()).timestamp() > expires:
        raise BadToken("This upload link has expired. Please ask the assistant for a new one.")
    return claim_number


def _sign(payload: str, secret: str) -> str:
    digest = hmac.new(secret.encode(), payload.encode(), hashlib.sha256).digest()
    return _b64(digest)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
