"""The HTTP API, version 1: thin handlers over the domain functions."""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from http.cookies import CookieError
from pathlib import Path
from typing import Any, Literal, Optional, TypeVar
from urllib.parse import unquote

from pydantic import BaseModel, Field, StrictBool, StrictInt, StrictStr, ValidationError
from sanic import Request, Sanic
from sanic.exceptions import MethodNotSupported, SanicException
from sanic.exceptions import NotFound as RouteNotFound
from sanic.response import HTTPResponse, html, raw, text
from sanic.response import json as json_response
from sqlalchemy import text as sql

from supportdesk import (
    chatwoot,
    claims,
    client_input,
    evidence,
    handoffs,
    help_answers,
    inbox,
    orders,
    upload_page,
    upload_tokens,
    web_page,
)
from supportdesk.chatwoot_inbox import ChatwootInbox
from supportdesk.db import Database
from supportdesk.errors import DomainError, NotFound, Unauthorized
from supportdesk.handoff_inbox import HandoffInbox, inbox_from_env
from supportdesk.help_center import HelpCenter, help_center_from_env
from supportdesk.identifiers import normalize_claim_number
from supportdesk.policy import RefundPolicy
from supportdesk.rasa_bridge import Bridge, bridge_from_env

logger = logging.getLogger(__name__)
T = TypeVar("T")
MAX_IDEMPOTENCY_KEY = 200
OPENAPI = Path(__file__).with_name("openapi.yaml")


class LookupBody(BaseModel):
    order_number: StrictStr = Field(..., max_length=40)
    email: StrictStr = Field(..., max_length=254)
    conversation_id: Optional[StrictStr] = Field(None, max_length=200)  # noqa: UP045


class ClaimItemBody(BaseModel):
    line_id: StrictStr = Field(..., max_length=60)
    quantity: StrictInt


class QuoteBody(BaseModel):
    order_number: StrictStr = Field(..., max_length=40)
    email: StrictStr = Field(..., max_length=254)
    items: list[ClaimItemBody] = Field(..., max_items=100)
    conversation_id: Optional[StrictStr] = Field(None, max_length=200)  # noqa: UP045


class ClaimBody(BaseModel):
    order_number: StrictStr = Field(..., max_length=40)
    email: StrictStr = Field(..., max_length=254)
    items: list[ClaimItemBody] = Field(..., max_items=100)
    description: StrictStr = Field(..., max_length=20_000)
    tracking_number: Optional[StrictStr] = Field(None, max_length=40)  # noqa: UP045
    channel: Optional[StrictStr] = Field(None, max_length=40)  # noqa: UP045
    conversation_id: Optional[StrictStr] = Field(None, max_length=200)  # noqa: UP045


class TranscriptEntry(BaseModel):
    sender: StrictStr = Field(..., max_length=20)
    text: StrictStr = Field(..., max_length=5000)
    at: Optional[StrictStr] = Field(None, max_length=40)  # noqa: UP045


class HandoffBody(BaseModel):
    conversation_id: StrictStr = Field(..., min_length=1, max_length=200)
    channel: StrictStr = Field(..., min_length=1, max_length=40)
    reason: StrictStr = Field(..., min_length=1, max_length=300)
    transcript: list[TranscriptEntry] = Field(default_factory=list, max_items=500)
    details: dict[str, Any] = Field(default_factory=dict)


class HelpQuestionBody(BaseModel):
    question: StrictStr = Field(..., min_length=1, max_length=2000)
    conversation_id: StrictStr = Field(..., min_length=1, max_length=200)
    channel: StrictStr = Field(..., min_length=1, max_length=40)
    task: Optional[Literal["tracking", "claim", "claim_status"]] = None  # noqa: UP045


class HelpRatingBody(BaseModel):
    helpful: StrictBool


@dataclass(frozen=True)
class UploadLinks:
    """Makes the signed link to a claim's evidence upload page."""

    secret: str
    base_url: str

    def url_for(self, claim_number: str) -> str:
        return f"{self.base_url}/upload/{upload_tokens.make_token(claim_number, self.secret)}"


class BadRequest(DomainError):
    status = 400
    code = "bad_request"


def create_app(
    db: Database,
    api_key: str,
    policy: RefundPolicy,
    evidence_dir: Path,
    uploads: UploadLinks,
    name: str = "supportdesk",
    rasa_public_url: str = web_page.DEFAULT_RASA_PUBLIC_URL,
    web_dir: Path = web_page.WEB_DIR,
    bridge: Bridge | None = None,
    handoff_inbox: HandoffInbox | None = None,
    help_center: HelpCenter | None = None,
) -> Sanic:
    """The service; `rasa_public_url` is where the help page's widget reaches Rasa, `bridge`
    how agents reach the conversation (from RASA_URL when not given), `handoff_inbox` where
    handoffs go (from HANDOFF_INBOX when not given), `help_center` the articles that answer
    shoppers' other questions (from HELP_CENTER_DIR when not given)."""
    bridge = bridge or bridge_from_env()
    help_center = help_center or help_center_from_env()
    handoff_inbox = handoff_inbox or inbox_from_env(bridge)
    rasa_public_url = web_page.checked_url(rasa_public_url)
    app = Sanic(name)
    app.config.FALLBACK_ERROR_FORMAT = "json"
    app.config.REQUEST_MAX_SIZE = (evidence.MAX_BYTES + 1024 * 1024) * evidence.MAX_FILES_PER_CLAIM

    async def run(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Domain functions block on the database: keep them off the event loop."""
        return await asyncio.get_running_loop().run_in_executor(None, partial(fn, *args, **kwargs))

    @app.middleware("request")
    async def refuse_unreadable_input(request: Request) -> None:
        """Headers and cookies that the handlers could not read are a 400, before anything
        else (the key check included) tries to read them."""
        header = client_input.unreadable_header(request.headers.items())
        if header is not None:
            raise client_input.UnreadableInput(
                f"The {header} header is not valid UTF-8.", field=header
            )
        if request.path.startswith("/agent"):  # the only routes that read cookies
            try:
                request.cookies  # noqa: B018  (parses the Cookie header once, or fails)
            except CookieError as error:
                raise client_input.UnreadableInput(
                    f"The Cookie header cannot be read ({error}): remove that cookie and "
                    "try again.",
                    field="Cookie",
                ) from None

    @app.middleware("request")
    async def require_key(request: Request) -> HTTPResponse | None:
        if not request.path.startswith("/api/"):
            return None
        given = request.headers.get("authorization", "")
        scheme, _, token = given.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
            token.strip().encode(), api_key.encode()
        ):
            return json_response(
                {"error": "unauthorized", "message": "A valid bearer key is required."},
                status=401,
                headers={"WWW-Authenticate": 'Bearer realm="supportdesk"'},
            )
        return None

    @app.exception(DomainError)
    async def domain_error(request: Request, error: DomainError) -> HTTPResponse:
        if request.path.startswith("/upload/"):
            return html(upload_page.error_page(error.message), status=error.status)
        if request.path.startswith("/agent"):
            return inbox.error_response(request, error)
        headers = {}
        if getattr(error, "retry_after", None):
            headers["Retry-After"] = str(error.retry_after)
        return json_response(error.body(), status=error.status, headers=headers)

    @app.exception(ValidationError)
    async def validation_error(request: Request, error: ValidationError) -> HTTPResponse:
        problems = [
            {"field": ".".join(str(p) for p in e["loc"]), "message": e["msg"]}
            for e in error.errors()
        ]
        message = "; ".join(f"{p['field']}: {p['message']}" for p in problems)
        return json_response(
            {"error": "invalid", "message": message, "problems": problems}, status=422
        )

    @app.exception(MethodNotSupported)
    async def method_not_allowed(request: Request, error: MethodNotSupported) -> HTTPResponse:
        return _method_not_allowed(request, error.headers["Allow"].split(", "))

    @app.exception(RouteNotFound)
    async def route_not_found(request: Request, error: RouteNotFound) -> HTTPResponse:
        # The router says 404, not 405, for a path with two routes of its own (GET and POST
        # /upload/<token>) when neither has the method: ask it about each method instead.
        allowed = _methods_of(app, request)
        if allowed:
            return _method_not_allowed(request, allowed)
        return await http_error(request, error)

    @app.exception(SanicException)
    async def http_error(request: Request, error: SanicException) -> HTTPResponse:
        status = getattr(error, "status_code", 500)
        if request.path.startswith("/upload/"):
            message = "That upload is too large." if status == 413 else str(error)
            return html(upload_page.error_page(message), status=status)
        return json_response(
            {"error": "http_error", "message": str(error)},
            status=status,
            headers=getattr(error, "headers", None),
        )

    @app.exception(Exception)
    async def unexpected(request: Request, error: Exception) -> HTTPResponse:
        logger.exception("unexpected error on %s %s", request.method, request.path)
        return json_response(
            {"error": "internal", "message": "Something went wrong on our side."}, status=500
        )

    @app.get("/health")
    async def health(request: Request) -> HTTPResponse:
        def ping() -> None:
            with db.read() as session:
                session.execute(sql("SELECT 1"))

        try:
            await run(ping)
        except Exception:  # noqa: BLE001  (any database failure means unhealthy)
            return json_response({"status": "unavailable", "database": "down"}, status=503)
        return json_response({"status": "ok", "database": "ok"})

    @app.get("/openapi.yaml")
    async def openapi(request: Request) -> HTTPResponse:
        return text(OPENAPI.read_text(), content_type="application/yaml")

    @app.get("/")
    async def help_page(request: Request) -> HTTPResponse:
        page = await run(web_page.render_page, rasa_public_url, web_dir)
        return html(page, headers={"Cache-Control": "no-cache"})

    @app.get("/vendor/rasa-webchat/index.js")
    async def widget_script(request: Request) -> HTTPResponse:
        script = await run(web_page.widget_script, web_dir)
        if script is None:
            return text(web_page.WIDGET_MISSING, status=503, headers={"Retry-After": "60"})
        return raw(
            script,
            content_type="application/javascript; charset=utf-8",
            headers={"Cache-Control": "public, max-age=3600"},
        )

    @app.post("/api/v1/orders/lookup")
    async def lookup(request: Request) -> HTTPResponse:
        body = LookupBody.parse_obj(_json_object(request))
        order = await run(
            orders.lookup_order,
            db,
            body.order_number,
            body.email,
            body.conversation_id,
            address=_caller(request),
        )
        return json_response(order)

    @app.post("/api/v1/claims")
    async def create_claim(request: Request) -> HTTPResponse:
        key = _idempotency_key(request)
        body = ClaimBody.parse_obj(_json_object(request))
        claim_request = claims.ClaimRequest(
            order_number=body.order_number,
            email=body.email,
            items=[(item.line_id, item.quantity) for item in body.items],
            description=body.description,
            tracking_number=body.tracking_number,
            channel=body.channel,
            conversation_id=body.conversation_id,
            address=_caller(request),
        )
        claim, created = await run(claims.create_claim, db, claim_request, key, policy)
        claim["evidence_upload_url"] = uploads.url_for(claim["claim_number"])
        headers = {} if created else {"Idempotent-Replayed": "true"}
        return json_response(claim, status=201, headers=headers)

    @app.post("/api/v1/claims/quote")
    async def quote_claim(request: Request) -> HTTPResponse:
        body = QuoteBody.parse_obj(_json_object(request))
        quote_request = claims.ClaimRequest(
            order_number=body.order_number,
            email=body.email,
            items=[(item.line_id, item.quantity) for item in body.items],
            description="",
            conversation_id=body.conversation_id,
            address=_caller(request),
        )
        return json_response(await run(claims.quote_claim, db, quote_request))

    @app.get("/api/v1/claims")
    async def list_claims(request: Request) -> HTTPResponse:
        order_number = request.args.get("order_number")
        if not order_number:
            raise BadRequest("Give the order_number query parameter.", field="order_number")
        return json_response({"claims": await run(claims.list_claims, db, order_number)})

    @app.get("/api/v1/claims/<claim_number:str>")
    async def get_claim(request: Request, claim_number: str) -> HTTPResponse:
        claim = await run(claims.get_claim, db, unquote(claim_number))
        claim["evidence_upload_url"] = uploads.url_for(claim["claim_number"])
        return json_response(claim)

    @app.post("/api/v1/claims/<claim_number:str>/evidence")
    async def add_evidence(request: Request, claim_number: str) -> HTTPResponse:
        claim_number = unquote(claim_number)
        parts = _uploaded(request)
        if not parts:
            raise BadRequest("Send the images as multipart form-data in the field 'files'.")
        stored = await run(
            evidence.add_evidence, db, claim_number, [part.body for part in parts], evidence_dir
        )
        return json_response(
            {"claim_number": normalize_claim_number(claim_number), "evidence": stored}, status=201
        )

    @app.get("/upload/<token:str>")
    async def upload_form(request: Request, token: str) -> HTTPResponse:
        number = upload_page.claim_for(token, uploads.secret)
        return html(await run(upload_page.form_page, db, number))

    @app.post("/upload/<token:str>")
    async def upload_files(request: Request, token: str) -> HTTPResponse:
        number = upload_page.claim_for(token, uploads.secret)
        parts = _uploaded(request)
        files = [part.body for part in parts if part.body]
        status, page = await run(upload_page.upload, db, number, files, evidence_dir)
        return html(page, status=status)

    @app.post("/api/v1/handoffs")
    async def create_handoff(request: Request) -> HTTPResponse:
        body = HandoffBody.parse_obj(_json_object(request))
        handoff = await run(
            handoffs.create_handoff,
            db,
            handoffs.HandoffRequest(
                conversation_id=body.conversation_id,
                channel=body.channel,
                reason=body.reason,
                transcript=[entry.dict() for entry in body.transcript],
                details=body.details,
            ),
        )
        # One open handoff per conversation: 201 for a new one, 200 for the one it already had.
        answer = await run(handoff_inbox.handoff_created, db, handoff)
        return json_response(answer, status=200 if answer["existing"] else 201)

    @app.post("/api/v1/help/answers")
    async def answer_question(request: Request) -> HTTPResponse:
        body = HelpQuestionBody.parse_obj(_json_object(request))
        question = help_answers.Question(
            body.conversation_id, body.channel, body.question, body.task
        )
        return json_response(await run(help_answers.answer_question, db, help_center, question))

    @app.post("/api/v1/help/answers/<answer_id:int>/rating")
    async def rate_answer(request: Request, answer_id: int) -> HTTPResponse:
        body = HelpRatingBody.parse_obj(_json_object(request))
        return json_response(await run(help_answers.rate_answer, db, answer_id, body.helpful))

    @app.get("/api/v1/help/gaps")
    async def help_gaps(request: Request) -> HTTPResponse:
        return json_response(await run(help_answers.gaps, db))

    @app.post("/chatwoot/webhook")
    async def chatwoot_webhook(request: Request) -> HTTPResponse:
        """Chatwoot's agent bot (and account) webhook: agent replies, resolve, pending."""
        if not isinstance(handoff_inbox, ChatwootInbox):
            raise NotFound("Chatwoot is not the handoff inbox of this support desk.")
        if not chatwoot.webhook_authentic(
            handoff_inbox.webhook_secret,
            request.body or b"",
            token=request.args.get("token"),
            signature=request.headers.get("x-chatwoot-signature"),
            timestamp=request.headers.get("x-chatwoot-timestamp"),
        ):
            raise Unauthorized("A valid webhook token or Chatwoot signature is required.")
        event = _json_object(request)
        return json_response(await run(handoff_inbox.handle_event, db, event))

    if handoff_inbox.poll_seconds:
        keep_in_sync(app, db, run, handoff_inbox)
    inbox.register(app, db, run, bridge)
    return app


def keep_in_sync(app: Sanic, db: Database, run: Callable[..., Any], target: HandoffInbox) -> None:
    """Run the inbox's sync every `poll_seconds` while the server runs."""

    async def forever() -> None:
        while True:
            try:
                await run(target.sync, db)
            except Exception:  # noqa: BLE001  (one failed round must not stop the next)
                logger.exception("handoff inbox sync failed; trying again")
            await asyncio.sleep(target.poll_seconds)

    async def start(app: Sanic, loop: asyncio.AbstractEventLoop) -> None:
        app.ctx.inbox_sync = loop.create_task(forever())

    async def stop(app: Sanic, loop: asyncio.AbstractEventLoop) -> None:
        app.ctx.inbox_sync.cancel()

    app.register_listener(start, "after_server_start")
    app.register_listener(stop, "before_server_stop")


ROUTE_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def _methods_of(app: Sanic, request: Request) -> list[str]:
    """The methods that have a route for the request's path (none: the path is unknown)."""
    allowed = []
    for method in ROUTE_METHODS:
        try:
            app.router.get(request.path, method, request.headers.getone("host", None))
        except SanicException:
            continue
        allowed.append(method)
    return allowed


def _method_not_allowed(request: Request, allowed: list[str]) -> HTTPResponse:
    """405 with the Allow header and a JSON reason, for any path."""
    allowed = sorted(set(allowed))  # Sanic's router lists them in no fixed order
    methods = ", ".join(allowed)
    return json_response(
        {
            "error": "method_not_allowed",
            "message": f"{request.method} is not allowed on {request.path}; use {methods}.",
            "allowed": allowed,
        },
        status=405,
        headers={"Allow": methods},
    )


def _uploaded(request: Request) -> list[Any]:
    """The multipart parts named `files`; none when there are only parts of other names
    (Sanic's getlist answers None for a name it does not have)."""
    return (request.files.getlist("files") if request.files else None) or []


def _json_object(request: Request) -> dict[str, Any]:
    return client_input.json_object(request.body)


def _caller(request: Request) -> str:
    """The client's address (behind a configured proxy, the one it forwarded)."""
    return request.remote_addr or request.ip


def _idempotency_key(request: Request) -> str:
    key = request.headers.get("idempotency-key", "").strip()
    if not key or len(key) > MAX_IDEMPOTENCY_KEY:
        raise BadRequest(
            f"An Idempotency-Key header of 1 to {MAX_IDEMPOTENCY_KEY} characters is required.",
            field="Idempotency-Key",
        )
    return key
