"""The agent inbox at /agent: server-rendered pages (or JSON) over agents, handoffs and claims."""

from __future__ import annotations

import html
import json
from collections.abc import Awaitable, Callable
from functools import wraps
from pathlib import Path
from string import Template
from typing import Any
from urllib.parse import quote, unquote

from sanic import Request, Sanic
from sanic.response import HTTPResponse, raw, redirect
from sanic.response import html as html_response
from sanic.response import json as json_response

from supportdesk import agents, claims, client_input, handoffs, help_answers, relay
from supportdesk.db import Database
from supportdesk.errors import DomainError, Invalid, RateLimited
from supportdesk.identifiers import normalize_claim_number
from supportdesk.rasa_bridge import Bridge

COOKIE = "sts_agent"
COOKIE_PATH = "/agent"
LOGIN = "/agent/login"
SCRIPT = "/agent/inbox.js"
SCRIPT_FILE = Path(__file__).with_name("static") / "inbox.js"
MAX_NOTE = 1000
DECISIONS = {"approve": "approved", "reject": "rejected", "needs_info": "needs_info"}
HANDOFF_ACTIONS: dict[str, Callable[[Database, Bridge, int, int], dict[str, Any]]] = {
    "take": relay.take,
    "release": relay.release,
    "hand-back": relay.hand_back,
    "close": relay.close,
}
HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; script-src 'self'; connect-src 'self'; "
        "form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
}
Runner = Callable[..., Awaitable[Any]]
Handler = Callable[..., Awaitable[HTTPResponse]]

PAGE = Template(
    """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>$title · Agent inbox</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 64rem; margin: 0 auto; padding: 0 1rem 2rem;
         color: #1f2933; line-height: 1.5; }
  header { display: flex; gap: 1rem; align-items: center; flex-wrap: wrap;
           border-bottom: 1px solid #cbd2d9; padding: .75rem 0; margin-bottom: 1rem; }
  header nav a { margin-right: 1rem; }
  header form { margin-left: auto; }
  h1 { font-size: 1.4rem; }
  h2 { font-size: 1.1rem; margin-top: 1.5rem; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: .4rem .5rem; border-bottom: 1px solid #e4e7eb;
           vertical-align: top; }
  .notice { padding: .75rem 1rem; border-radius: .5rem; margin: 1rem 0; }
  .ok { background: #e3f9e5; border: 1px solid #31c48d; }
  .error { background: #fde8e8; border: 1px solid #f05252; }
  .transcript li { margin: .25rem 0; }
  .sender { font-weight: 600; }
  .actions { display: flex; gap: .5rem; flex-wrap: wrap; margin: 1rem 0; }
  .claim { border: 1px solid #e4e7eb; border-radius: .5rem; padding: .5rem 1rem; margin: 1rem 0; }
  label { display: block; font-weight: 600; margin: .75rem 0 .25rem; }
  input[type=text], input[type=password], textarea, select { font-size: 1rem; padding: .4rem;
           width: 100%; max-width: 30rem; box-sizing: border-box; }
  button { font-size: 1rem; padding: .5rem 1rem; border-radius: .4rem; border: 0;
           background: #1a56db; color: white; cursor: pointer; margin-top: .5rem; }
  button.secondary { background: #52606d; }
  button:focus, input:focus, textarea:focus, select:focus, a:focus {
           outline: 3px solid #f59e0b; outline-offset: 2px; }
  dt { font-weight: 600; }
  dd { margin: 0 0 .5rem 0; }
</style>
</head>
<body>
$header
<main>
<h1>$title</h1>
$body
</main>
$script
</body>
</html>
"""
)


# --- pages ---


def e(value: Any) -> str:
    """Escape anything for HTML; None is shown as an em dash."""
    return "—" if value is None or value == "" else html.escape(str(value))


def csrf_field(me: agents.SignedIn) -> str:
    return f'<input type="hidden" name="csrf_token" value="{e(me.csrf_token)}">'


def button_form(action: str, label: str, me: agents.SignedIn, secondary: bool = False) -> str:
    css = ' class="secondary"' if secondary else ""
    return (
        f'<form method="post" action="{e(action)}">{csrf_field(me)}'
        f'<button type="submit"{css}>{e(label)}</button></form>'
    )


def render(title: str, body: str, me: agents.SignedIn | None = None) -> str:
    header = script = ""
    if me is not None:
        script = (
            '<p id="live-status" class="notice error" role="alert" hidden></p>'
            f'<script src="{SCRIPT}" defer></script>'
        )
        header = (
            '<header><nav aria-label="Inbox"><a href="/agent">Queue</a>'
            '<a href="/agent/claims">Claims</a><a href="/agent/help-center">Help center</a></nav>'
            f"<span>Signed in as {e(me.display_name)} ({e(me.username)})</span>"
            f"{button_form('/agent/logout', 'Sign out', me, secondary=True)}</header>"
        )
    return PAGE.substitute(title=html.escape(title), header=header, body=body, script=script)


def notice(kind: str, message: str) -> str:
    role = "alert" if kind == "error" else "status"
    return f'<p class="notice {kind}" role="{role}">{html.escape(message)}</p>'


def login_page(message: str = "", username: str = "") -> str:
    parts = [notice("error", message)] if message else []
    parts.append(
        f'<form method="post" action="{LOGIN}">'
        '<label for="username">Username</label>'
        f'<input id="username" name="username" type="text" autocomplete="username" required '
        f'value="{html.escape(username)}">'
        '<label for="password">Password</label>'
        '<input id="password" name="password" type="password" '
        'autocomplete="current-password" required>'
        '<button type="submit">Sign in</button></form>'
    )
    return render("Sign in", "".join(parts))


def queue_page(me: agents.SignedIn, queue: list[dict[str, Any]]) -> str:
    if not queue:
        return render("Queue", live("queue", "<p>No customer is waiting for a person now.</p>"), me)
    rows = "".join(
        "<tr>"
        f'<td><a href="/agent/handoffs/{h["handoff_id"]}">#{h["handoff_id"]}</a></td>'
        f"<td>{e(h['reason'])}</td><td>{e(h['email'])}</td><td>{e(h['order_number'])}</td>"
        f"<td>{e(h['claim_number'])}</td><td>{e(h['channel'])}</td>"
        f"<td>{minutes(h['minutes_waiting'])}</td><td>{e(h['status'])}</td>"
        f"<td>{e(h['held_by']['display_name'] if h['held_by'] else None)}</td>"
        "</tr>"
        for h in queue
    )
    table = (
        "<table><caption>Waiting and active handoffs, oldest first</caption><thead><tr>"
        '<th scope="col">Handoff</th><th scope="col">Reason</th><th scope="col">Customer</th>'
        '<th scope="col">Order</th><th scope="col">Claim</th><th scope="col">Channel</th>'
        '<th scope="col">Waiting</th><th scope="col">Status</th><th scope="col">Held by</th>'
        f"</tr></thead><tbody>{rows}</tbody></table>"
    )
    return render("Queue", live("queue", table), me)


def live(name: str, content: str) -> str:
    """A part of the page that inbox.js refreshes while the agent looks at it."""
    return f'<div id="{name}-live" data-live aria-live="polite">{content}</div>'


def minutes(count: int) -> str:
    return "under a minute" if count < 1 else f"{count} min"


def handoff_page(me: agents.SignedIn, h: dict[str, Any]) -> str:
    holder = h["held_by"]
    parts = [
        live(
            "status",
            f"<p>Status: <strong>{e(h['status'])}</strong>"
            + (f", held by {e(holder['display_name'])}" if holder else "")
            + f". Channel {e(h['channel'])}, conversation {e(h['conversation_id'])}, "
            f"since {e(h['created_at'])}.</p>",
        ),
        f"<p>Reason: {e(h['reason'])}</p>",
        "<h2>Details collected by the assistant</h2>",
        details_list(h["details"]),
        "<h2>Conversation with the assistant</h2>",
        transcript_list(h["transcript"]),
        "<h2>Messages since the handoff</h2>",
        live("messages", messages_list(h["messages"])),
    ]
    mine = holder is not None and holder["username"] == me.username
    open_ = h["status"] in handoffs.OPEN_STATUSES
    if open_ and (h["status"] == handoffs.WAITING or mine):
        base = f"/agent/handoffs/{h['handoff_id']}"
        parts.append(
            f'<form method="post" action="{base}/reply">{csrf_field(me)}'
            '<label for="reply">Reply to the customer</label>'
            '<textarea id="reply" name="text" rows="4" required '
            f'maxlength="{handoffs.MAX_MESSAGE}">'
            '</textarea><button type="submit">Send reply</button></form>'
        )
        buttons = [] if mine else [button_form(f"{base}/take", "Take", me)]
        if mine:
            buttons.append(button_form(f"{base}/release", "Release to the queue", me, True))
        buttons.append(button_form(f"{base}/hand-back", "Hand back to the assistant", me, True))
        buttons.append(button_form(f"{base}/close", "Close", me, True))
        parts.append(f'<div class="actions">{"".join(buttons)}</div>')
    elif open_:
        parts.append(notice("error", "Another agent holds this conversation."))
    return render(f"Handoff #{h['handoff_id']}", "".join(parts), me)


def details_list(details: dict[str, Any]) -> str:
    if not details:
        return "<p>Nothing was collected.</p>"
    items = "".join(
        f"<dt>{e(key.replace('_', ' '))}</dt><dd>{e(show(value))}</dd>"
        for key, value in details.items()
    )
    return f"<dl>{items}</dl>"


def show(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def transcript_list(transcript: list[dict[str, Any]]) -> str:
    if not transcript:
        return "<p>No transcript.</p>"
    items = "".join(
        f'<li><span class="sender">{e(entry.get("sender"))}:</span> {e(entry.get("text"))}</li>'
        for entry in transcript
    )
    return f'<ol class="transcript">{items}</ol>'


def messages_list(messages: list[dict[str, Any]]) -> str:
    if not messages:
        return "<p>None yet.</p>"
    items = "".join(
        f'<li><span class="sender">{e(sender_label(m))}:</span> {e(m["text"])} '
        f"<small>{e(m['at'])}</small></li>"
        for m in messages
    )
    return f'<ol class="transcript">{items}</ol>'


def sender_label(message: dict[str, Any]) -> str:
    """The agent's name, "customer", or "assistant note" for the assistant's own notes."""
    if message["sender"] == "agent":
        return message["agent"] or "agent"
    return "assistant note" if message["sender"] == handoffs.ASSISTANT else "customer"


def claims_page(me: agents.SignedIn, open_claims: list[dict[str, Any]], decided: str) -> str:
    parts = [notice("ok", f"Your decision on {decided} is recorded.")] if decided else []
    if not open_claims:
        parts.append("<p>No claim is waiting for a decision.</p>")
    for c in open_claims:
        number = c["claim_number"]
        items = ", ".join(f"{i['quantity']} × {i['name']}" for i in c["items"])
        slug = html.escape(number.lower())
        options = "".join(
            f'<option value="{value}">{label}</option>'
            for value, label in (
                ("approve", "Approve the refund"),
                ("reject", "Reject"),
                ("needs_info", "Ask for more information"),
            )
        )
        parts.append(
            f'<section class="claim" aria-labelledby="h-{slug}"><h2 id="h-{slug}">{e(number)}'
            f" · {e(c['status'])}</h2>"
            f"<p>Order {e(c['order_number'])}: {e(items)}. Refund {e(c['refund_amount'])} "
            f"{e(c['currency'])}. Evidence: {c['evidence_count']} photo(s). "
            f"Filed {e(c['created_at'])}; {e(c['decision_reason'])}</p>"
            f"<p>Customer's description: {e(c['description'])}</p>"
            f'<form method="post" action="/agent/claims/{quote(number)}/decision">'
            f"{csrf_field(me)}"
            f'<label for="d-{slug}">Decision</label>'
            f'<select id="d-{slug}" name="decision">{options}</select>'
            f'<label for="m-{slug}">Message to the customer (required)</label>'
            f'<textarea id="m-{slug}" name="message" rows="3" required maxlength="{MAX_NOTE}">'
            '</textarea><button type="submit">Record decision</button></form></section>'
        )
    return render("Claims to decide", "".join(parts), me)


def help_center_page(me: agents.SignedIn, gaps: dict[str, list[dict[str, Any]]]) -> str:
    """What shoppers asked that the help center did not answer well: the next articles."""

    def table(caption: str, rows: list[dict[str, Any]], empty: str) -> str:
        if not rows:
            return f"<h2>{e(caption)}</h2><p>{e(empty)}</p>"
        body = "".join(
            f"<tr><td>{e(r['question'])}</td><td>{r['times']}</td><td>{e(r['article'])}</td>"
            f"<td>{e(r['last_asked'])}</td></tr>"
            for r in rows
        )
        return (
            f"<table><caption>{e(caption)}</caption><thead><tr>"
            '<th scope="col">Question</th><th scope="col">Times</th>'
            '<th scope="col">Article given</th><th scope="col">Last asked</th>'
            f"</tr></thead><tbody>{body}</tbody></table>"
        )

    return render(
        "Help center gaps",
        table("Questions with no article", gaps["unanswered"], "Every question found an article.")
        + table(
            "Answers the shopper said did not help",
            gaps["not_helpful"],
            "No shopper has said an answer did not help.",
        ),
        me,
    )


def error_page(status: int, message: str, me: agents.SignedIn | None) -> str:
    back = '<p><a href="/agent">Back to the queue</a></p>' if me else ""
    return render("That did not work", notice("error", message) + back, me)


# --- HTTP ---


def wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def fields(request: Request) -> dict[str, Any]:
    """A POST's fields: a JSON object, or a urlencoded or multipart form (422 when the body
    cannot be read, as for any other field the inbox refuses)."""
    if request.content_type.startswith("application/json"):
        try:
            return client_input.json_object(request.body or b"{}")
        except client_input.InvalidJson as error:
            raise Invalid(error.message) from None
    form = request.form or {}
    values = {key: form.get(key) for key in form}
    problem = client_input.unreadable(values)  # a multipart part may name any charset
    if problem:
        raise Invalid(f"The form cannot be used: {problem}.")
    return values


def text_field(values: dict[str, Any], name: str) -> str:
    value = values.get(name)
    return value.strip() if isinstance(value, str) else ""


def page(request: Request, status: int, body: str) -> HTTPResponse:
    return html_response(body, status=status, headers=HEADERS)


def answer(request: Request, data: dict[str, Any], body: Callable[[], str]) -> HTTPResponse:
    """JSON for API clients, the rendered page for browsers."""
    if wants_json(request):
        return json_response(data, headers=HEADERS)
    return page(request, 200, body())


def done(request: Request, data: dict[str, Any], location: str) -> HTTPResponse:
    """After a successful POST: JSON, or a 303 redirect (post/redirect/get)."""
    if wants_json(request):
        return json_response(data, headers=HEADERS)
    return redirect(location, status=303, headers=HEADERS)


def failure(
    request: Request, status: int, message: str, me: agents.SignedIn | None, **extra: Any
) -> HTTPResponse:
    if wants_json(request):
        code = {
            400: "bad_request",
            401: "unauthorized",
            403: "forbidden",
            404: "not_found",
            409: "conflict",
        }
        body = {"error": code.get(status, "invalid"), "message": message, **extra}
        return json_response(body, status=status, headers=HEADERS)
    return page(request, status, error_page(status, message, me))


def error_response(request: Request, error: DomainError) -> HTTPResponse:
    """A domain error raised outside the inbox handlers, answered the inbox's way."""
    return failure(request, error.status, error.message, None)


def too_many_sign_ins(request: Request, error: RateLimited, username: str) -> HTTPResponse:
    """429 with Retry-After, as JSON or as the sign-in page with the message."""
    headers = {**HEADERS, "Retry-After": str(error.retry_after)}
    if wants_json(request):
        body = {"error": error.code, "message": error.message, "retry_after": error.retry_after}
        return json_response(body, status=429, headers=headers)
    return html_response(login_page(error.message, username), status=429, headers=headers)


def set_session_cookie(request: Request, response: HTTPResponse, token: str) -> None:
    response.cookies[COOKIE] = token
    cookie = response.cookies[COOKIE]
    cookie["path"] = COOKIE_PATH
    cookie["httponly"] = True
    cookie["samesite"] = "Strict"
    cookie["max-age"] = agents.SESSION_HOURS * 3600
    if request.scheme == "https":
        cookie["secure"] = True


def clear_session_cookie(request: Request, response: HTTPResponse) -> None:
    response.cookies[COOKIE] = ""
    cookie = response.cookies[COOKIE]
    cookie["path"] = COOKIE_PATH
    cookie["httponly"] = True
    cookie["samesite"] = "Strict"
    cookie["max-age"] = 0
    if request.scheme == "https":
        cookie["secure"] = True


def signed_in_json(me: agents.SignedIn) -> dict[str, Any]:
    return {
        "username": me.username,
        "display_name": me.display_name,
        "csrf_token": me.csrf_token,
        "expires_at": me.expires_at.isoformat().replace("+00:00", "Z"),
    }


def register(app: Sanic, db: Database, run: Runner, bridge: Bridge) -> None:
    """Add the /agent routes to the app; `run` runs a blocking function off the event loop."""

    def agent_only(handler: Handler) -> Handler:
        """A valid session (else redirect or 401) and, on POST, the session's CSRF token."""

        @wraps(handler)
        async def wrapped(request: Request, **kwargs: Any) -> HTTPResponse:
            me = await run(agents.lookup_session, db, request.cookies.get(COOKIE))
            if me is None:
                if wants_json(request):
                    return failure(request, 401, "Sign in to the agent inbox first.", None)
                return redirect(LOGIN, status=303, headers=HEADERS)
            try:
                values: dict[str, Any] = {}
                if request.method == "POST":
                    values = fields(request)
                    given = values.get("csrf_token") or request.headers.get("x-csrf-token")
                    if not agents.csrf_matches(me, given if isinstance(given, str) else None):
                        return failure(
                            request,
                            403,
                            "This form is out of date or did not come from the inbox. "
                            "Reload the page and try again.",
                            me,
                        )
                return await handler(request, me, values, **kwargs)
            except DomainError as error:
                return failure(request, error.status, error.message, me)

        return wrapped

    script = SCRIPT_FILE.read_bytes()

    @app.get(SCRIPT)
    async def inbox_script(request: Request) -> HTTPResponse:
        headers = {"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"}
        return raw(script, content_type="text/javascript; charset=utf-8", headers=headers)

    @app.get(LOGIN)
    async def login_form(request: Request) -> HTTPResponse:
        me = await run(agents.lookup_session, db, request.cookies.get(COOKIE))
        if me is not None:
            return redirect("/agent", status=303, headers=HEADERS)
        return page(request, 200, login_page())

    @app.post(LOGIN)
    async def login(request: Request) -> HTTPResponse:
        try:
            values = fields(request)
        except DomainError as error:
            return failure(request, error.status, error.message, None)
        username, password = text_field(values, "username"), values.get("password")
        password = password if isinstance(password, str) else ""
        address = request.remote_addr or request.ip
        try:
            agent_id = await run(agents.sign_in, db, username, password, address)
        except RateLimited as error:
            return too_many_sign_ins(request, error, username)
        if agent_id is None:
            message = "Wrong username or password."
            if wants_json(request):
                return failure(request, 401, message, None)
            return page(request, 401, login_page(message, username))
        token, me = await run(agents.create_session, db, agent_id)
        if wants_json(request):
            response = json_response(signed_in_json(me), headers=HEADERS)
        else:
            response = redirect("/agent", status=303, headers=HEADERS)
        set_session_cookie(request, response, token)
        return response

    @app.post("/agent/logout")
    @agent_only
    async def logout(request: Request, me: agents.SignedIn, values: dict) -> HTTPResponse:
        await run(agents.delete_session, db, request.cookies.get(COOKIE))
        response = done(request, {"signed_out": True}, LOGIN)
        clear_session_cookie(request, response)
        return response

    @app.get("/agent")
    @agent_only
    async def queue(request: Request, me: agents.SignedIn, values: dict) -> HTTPResponse:
        entries = await run(handoffs.list_queue, db)
        data = {"agent": signed_in_json(me), "queue": entries}
        return answer(request, data, lambda: queue_page(me, entries))

    @app.get("/agent/handoffs/<handoff_id:int>")
    @agent_only
    async def handoff(
        request: Request, me: agents.SignedIn, values: dict, handoff_id: int
    ) -> HTTPResponse:
        found = await run(relay.sync_customer_messages, db, bridge, handoff_id)
        return answer(request, found, lambda: handoff_page(me, found))

    @app.post("/agent/handoffs/<handoff_id:int>/reply")
    @agent_only
    async def reply(
        request: Request, me: agents.SignedIn, values: dict, handoff_id: int
    ) -> HTTPResponse:
        text = text_field(values, "text")
        changed = await run(relay.reply, db, bridge, handoff_id, me.agent_id, me.display_name, text)
        return done(request, changed, f"/agent/handoffs/{handoff_id}")

    def handoff_action(fn: Callable[[Database, Bridge, int, int], dict[str, Any]]) -> Handler:
        @agent_only
        async def act(
            request: Request, me: agents.SignedIn, values: dict, handoff_id: int
        ) -> HTTPResponse:
            changed = await run(fn, db, bridge, handoff_id, me.agent_id)
            still_open = changed["status"] in handoffs.OPEN_STATUSES
            location = f"/agent/handoffs/{handoff_id}" if still_open else "/agent"
            return done(request, changed, location)

        return act

    for action, fn in HANDOFF_ACTIONS.items():
        app.add_route(
            handoff_action(fn),
            f"/agent/handoffs/<handoff_id:int>/{action}",
            methods=["POST"],
            name=f"agent_handoff_{action.replace('-', '_')}",
        )

    @app.get("/agent/claims")
    @agent_only
    async def open_claims(request: Request, me: agents.SignedIn, values: dict) -> HTTPResponse:
        listed = await run(claims.list_open_claims, db)
        decided = normalize_claim_number(request.args.get("decided", "")) or ""
        return answer(request, {"claims": listed}, lambda: claims_page(me, listed, decided))

    @app.get("/agent/help-center")
    @agent_only
    async def help_center_gaps(request: Request, me: agents.SignedIn, values: dict) -> HTTPResponse:
        gaps = await run(help_answers.gaps, db)
        return answer(request, gaps, lambda: help_center_page(me, gaps))

    @app.post("/agent/claims/<claim_number:str>/decision")
    @agent_only
    async def decide(
        request: Request, me: agents.SignedIn, values: dict, claim_number: str
    ) -> HTTPResponse:
        decision, message = text_field(values, "decision"), text_field(values, "message")
        if decision not in DECISIONS:
            raise Invalid("Choose approve, reject or needs_info.", field="decision")
        if not message:
            raise Invalid("Write a message that says why.", field="message")
        if len(message) > MAX_NOTE:
            raise Invalid(f"The message is at most {MAX_NOTE} characters.", field="message")
        claim = await run(
            relay.decide_claim,
            db,
            bridge,
            unquote(claim_number),
            DECISIONS[decision],
            f"agent:{me.username}",
            message,
        )
        location = f"/agent/claims?decided={quote(claim['claim_number'])}"
        return done(request, claim, location)
