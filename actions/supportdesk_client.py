"""The action server's only way to the support desk: HTTP with timeouts, retries and typed errors.

Every call sends `Authorization: Bearer <key>` and a (connect, read) timeout. Idempotent calls
(GETs, the read-only claim quote, and the claim POST, which carries an `Idempotency-Key`) are
retried with exponential backoff on connection errors, timeouts and 502/503/504 answers. The
other POSTs (order lookup, which counts failed attempts; evidence; handoff) are retried only when
the request provably never left this machine: the connection was refused or could not be
opened in time.

Failures surface as subclasses of `SupportDeskError`, carrying the server's `message` and the
parsed body, so that actions can turn each into a polite reply. Nothing that identifies a
customer (e-mails) or the key is logged: only the method, path and status.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Mapping
from typing import Any, TypedDict
from urllib.parse import quote

import requests
from requests.exceptions import ChunkedEncodingError, ConnectTimeout, Timeout
from requests.exceptions import ConnectionError as RequestsConnectionError
from urllib3.exceptions import ConnectTimeoutError, MaxRetryError, NewConnectionError

logger = logging.getLogger(__name__)

DEFAULT_URL = "http://127.0.0.1:8000"
RETRY_STATUSES = frozenset({502, 503, 504})
USER_AGENT = "sts-actions/1.0"


class ClaimItem(TypedDict):
    """One missing order line and how many of its units are missing."""

    line_id: str
    quantity: int


class _TranscriptRequired(TypedDict):
    sender: str
    text: str


class TranscriptEntry(_TranscriptRequired, total=False):
    """One message of the conversation; `at` is an optional ISO timestamp."""

    at: str


class SupportDeskError(Exception):
    """Base of every support desk failure, with the server's message and parsed body."""

    def __init__(
        self, message: str, status: int | None = None, body: Mapping[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.body: dict[str, Any] = dict(body or {})


class ConfigurationError(SupportDeskError):
    """The client is not set up to talk to the support desk (missing or wrong key)."""


class Unauthorized(ConfigurationError):
    """401: the support desk refused the API key; a configuration problem, not the user's."""


class NotFound(SupportDeskError):
    """404: no such order (or the e-mail does not match it), claim or resource."""


class InvalidRequest(SupportDeskError):
    """400/422: the request was refused as invalid; see `problems` and `field`."""

    @property
    def problems(self) -> list[dict[str, Any]]:
        """The per-field problems the server listed, if any."""
        problems = self.body.get("problems")
        return problems if isinstance(problems, list) else []

    @property
    def field(self) -> str | None:
        """The field the server blamed, if it named one."""
        field = self.body.get("field")
        return field if isinstance(field, str) else None


class Conflict(SupportDeskError):
    """409: e.g. a unit that is already claimed; `claims` lists the existing claims."""

    @property
    def claims(self) -> list[dict[str, Any]]:
        """The existing claims the server named in its answer, if any."""
        claims = self.body.get("claims")
        return claims if isinstance(claims, list) else []


class RateLimited(SupportDeskError):
    """429: too many attempts; `retry_after` is the number of seconds to wait."""

    def __init__(
        self,
        message: str,
        status: int | None = None,
        body: Mapping[str, Any] | None = None,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(message, status, body)
        self.retry_after = retry_after


class Unavailable(SupportDeskError):
    """The support desk could not be reached, timed out, failed, or did not answer JSON."""


_STATUS_ERRORS: dict[int, type[SupportDeskError]] = {
    400: InvalidRequest,
    401: Unauthorized,
    404: NotFound,
    409: Conflict,
    422: InvalidRequest,
}


class SupportDeskClient:
    """A small, synchronous client of the support desk HTTP API, version 1."""

    def __init__(
        self,
        base_url: str,
        api_key: str,
        connect_timeout: float = 3.05,
        read_timeout: float = 10,
        retries: int = 2,
        backoff: float = 0.3,
        session: requests.Session | None = None,
    ) -> None:
        if not api_key or not api_key.strip():
            raise ConfigurationError("The support desk API key is missing (SUPPORTDESK_API_KEY).")
        if not base_url or not base_url.startswith(("http://", "https://")):
            raise ConfigurationError(f"The support desk URL must be http(s), not {base_url!r}.")
        self.base_url = base_url.rstrip("/")
        self.timeout = (connect_timeout, read_timeout)
        self.retries = max(0, retries)
        self.backoff = backoff
        self.session = session or requests.Session()
        self._headers = {
            "Authorization": f"Bearer {api_key.strip()}",
            "Accept": "application/json",
            "User-Agent": USER_AGENT,
        }

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, **options: Any
    ) -> SupportDeskClient:
        """A client configured from SUPPORTDESK_URL and SUPPORTDESK_API_KEY."""
        env = os.environ if environ is None else environ
        key = env.get("SUPPORTDESK_API_KEY", "").strip()
        if not key:
            raise ConfigurationError(
                "SUPPORTDESK_API_KEY is not set: the action server needs the support desk's "
                "API key to look up orders and file claims."
            )
        url = env.get("SUPPORTDESK_URL", "").strip() or DEFAULT_URL
        return cls(url, key, **options)

    def __repr__(self) -> str:
        return f"SupportDeskClient({self.base_url!r})"

    def __enter__(self) -> SupportDeskClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the pooled connections."""
        self.session.close()

    # The API ---------------------------------------------------------------------------------

    def health(self) -> dict[str, Any]:
        """GET /health: the service and database status."""
        return self._request("GET", "/health", idempotent=True)

    def lookup_order(
        self, order_number: str, email: str, conversation_id: str | None = None
    ) -> dict[str, Any]:
        """The order with its lines, store and shipments, only when the e-mail matches it."""
        body: dict[str, Any] = {"order_number": order_number, "email": email}
        if conversation_id is not None:
            body["conversation_id"] = conversation_id
        return self._request("POST", "/api/v1/orders/lookup", json=body, idempotent=False)

    def create_claim(
        self,
        order_number: str,
        email: str,
        items: list[ClaimItem],
        description: str,
        idempotency_key: str,
        tracking_number: str | None = None,
        channel: str | None = None,
        conversation_id: str | None = None,
    ) -> dict[str, Any]:
        """File a missing-item claim; the same idempotency key always yields the same claim."""
        if not idempotency_key:
            raise ValueError("create_claim needs an idempotency_key")
        body: dict[str, Any] = {
            "order_number": order_number,
            "email": email,
            "items": [{"line_id": i["line_id"], "quantity": i["quantity"]} for i in items],
            "description": description,
        }
        optional = {
            "tracking_number": tracking_number,
            "channel": channel,
            "conversation_id": conversation_id,
        }
        body.update({name: value for name, value in optional.items() if value is not None})
        headers = {"Idempotency-Key": idempotency_key}
        return self._request("POST", "/api/v1/claims", json=body, headers=headers, idempotent=True)

    def quote_claim(
        self,
        order_number: str,
        email: str,
        items: list[ClaimItem],
        conversation_id: str | None = None,
    ) -> dict[str, Any]:
        """What a claim for these items would refund, without filing it (safe to repeat).

        The conversation lets the desk count a failure against it, not against every customer.
        """
        body: dict[str, Any] = {
            "order_number": order_number,
            "email": email,
            "items": [{"line_id": i["line_id"], "quantity": i["quantity"]} for i in items],
        }
        if conversation_id is not None:
            body["conversation_id"] = conversation_id
        return self._request("POST", "/api/v1/claims/quote", json=body, idempotent=True)

    def get_claim(self, claim_number: str) -> dict[str, Any]:
        """A claim's status, items, refund and history."""
        return self._request("GET", f"/api/v1/claims/{_segment(claim_number)}", idempotent=True)

    def list_claims(self, order_number: str) -> dict[str, Any]:
        """`{"claims": [...]}`: every claim filed for an order."""
        params = {"order_number": order_number}
        return self._request("GET", "/api/v1/claims", params=params, idempotent=True)

    def add_evidence(
        self, claim_number: str, files: list[tuple[str, bytes, str]]
    ) -> dict[str, Any]:
        """Attach images, given as (filename, bytes, content type), to a claim."""
        parts = [("files", (name, data, content_type)) for name, data, content_type in files]
        path = f"/api/v1/claims/{_segment(claim_number)}/evidence"
        return self._request("POST", path, files=parts, idempotent=False)

    def answer_question(
        self, question: str, conversation_id: str, channel: str, task: str | None = None
    ) -> dict[str, Any]:
        """The help center's best article for a shopper's question (`found` false: none good
        enough); the desk records the answer, so it is not retried once sent. With the `task`
        the assistant read in it, an article only when the desk is sure it is about another."""
        body = {"question": question, "conversation_id": conversation_id, "channel": channel}
        if task:
            body["task"] = task
        return self._request("POST", "/api/v1/help/answers", json=body, idempotent=False)

    def rate_answer(self, answer_id: int, helpful: bool) -> dict[str, Any]:
        """The shopper's yes or no to a help-center answer (the latest counts: safe to repeat)."""
        path = f"/api/v1/help/answers/{int(answer_id)}/rating"
        return self._request("POST", path, json={"helpful": helpful}, idempotent=True)

    def create_handoff(
        self,
        conversation_id: str,
        channel: str,
        reason: str,
        transcript: list[TranscriptEntry],
        details: Mapping[str, Any],
    ) -> dict[str, Any]:
        """Queue the conversation for a human agent with its transcript and collected details.

        A conversation has one open handoff: when it has one already, the support desk answers
        200 with that handoff (the details merged, the reason added as a `note`) instead of 201
        with a new one. The answer's `existing` says which (false from a server without it).
        """
        body = {
            "conversation_id": conversation_id,
            "channel": channel,
            "reason": reason,
            "transcript": [dict(entry) for entry in transcript],
            "details": dict(details),
        }
        handoff = self._request("POST", "/api/v1/handoffs", json=body, idempotent=False)
        handoff.setdefault("existing", False)
        return handoff

    # Transport -------------------------------------------------------------------------------

    def _request(
        self, method: str, path: str, *, idempotent: bool, **kwargs: Any
    ) -> dict[str, Any]:
        """Send with retries as the call's idempotency allows, and decode the answer."""
        attempt = 0
        while True:
            try:
                response = self._send(method, path, **kwargs)
            except requests.RequestException as error:
                if attempt < self.retries and _may_retry_error(error, idempotent):
                    attempt = self._pause(attempt, method, path, type(error).__name__)
                    continue
                logger.warning("support desk %s %s failed: %s", method, path, type(error).__name__)
                raise Unavailable("The support desk could not be reached.") from error
            logger.debug("support desk %s %s -> %s", method, path, response.status_code)
            if idempotent and response.status_code in RETRY_STATUSES and attempt < self.retries:
                attempt = self._pause(attempt, method, path, str(response.status_code))
                continue
            return _decode(response)

    def _send(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """One HTTP attempt (a hook for tests): auth headers and timeouts added here."""
        headers = {**self._headers, **kwargs.pop("headers", {})}
        return self.session.request(
            method, self.base_url + path, headers=headers, timeout=self.timeout, **kwargs
        )

    def _pause(self, attempt: int, method: str, path: str, reason: str) -> int:
        """Wait before the next attempt (exponential backoff) and return its number."""
        delay = self.backoff * (2**attempt)
        logger.info("support desk %s %s: %s, retrying in %.2fs", method, path, reason, delay)
        self._sleep(delay)
        return attempt + 1

    def _sleep(self, seconds: float) -> None:
        """Sleep between attempts (a hook for tests)."""
        time.sleep(seconds)


def _segment(value: str) -> str:
    """A value made safe to use as one URL path segment."""
    return quote(value.strip(), safe="")


def _may_retry_error(error: requests.RequestException, idempotent: bool) -> bool:
    """Whether a failed attempt may be repeated without risking a second effect."""
    if idempotent:
        return isinstance(error, (RequestsConnectionError, Timeout, ChunkedEncodingError))
    return _sent_nothing(error)


def _sent_nothing(error: requests.RequestException) -> bool:
    """True only when the connection was never opened, so the server saw nothing."""
    if isinstance(error, ConnectTimeout):
        return True
    if not isinstance(error, RequestsConnectionError):
        return False  # a read timeout, for one: the server may have acted already
    cause = error.args[0] if error.args else None
    if isinstance(cause, MaxRetryError):
        cause = cause.reason
    # "Connection aborted" or a read timeout while reading the body: the request went out.
    return isinstance(cause, (NewConnectionError, ConnectTimeoutError))


def _decode(response: requests.Response) -> dict[str, Any]:
    """The JSON object of a successful answer, or the typed error for a failed one."""
    body = _json_object(response)
    if response.ok:
        if body is None:
            raise Unavailable("The support desk did not answer with JSON.", response.status_code)
        return body
    raise _error_for(response, body or {})


def _json_object(response: requests.Response) -> dict[str, Any] | None:
    """The answer's body if it is a JSON object, else None."""
    try:
        body = response.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _error_for(response: requests.Response, body: dict[str, Any]) -> SupportDeskError:
    """The typed error for a 4xx or 5xx answer."""
    status = response.status_code
    message = body.get("message")
    if not isinstance(message, str) or not message:
        message = f"The support desk answered {status} {response.reason or ''}".strip() + "."
    if status == 429:
        retry_after = _retry_after(response.headers.get("Retry-After"), body.get("retry_after"))
        return RateLimited(message, status, body, retry_after)
    if status >= 500:
        return Unavailable(message, status, body)
    return _STATUS_ERRORS.get(status, SupportDeskError)(message, status, body)


def _retry_after(header: str | None, fallback: Any) -> int | None:
    """Seconds to wait, from the Retry-After header (seconds), else from the body."""
    for value in (header, fallback):
        try:
            return max(0, int(str(value).strip()))
        except (TypeError, ValueError):
            continue
    return None
