"""Support agents: accounts with PBKDF2 password hashes, and their signed-in sessions."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from supportdesk.db import Database
from supportdesk.errors import Conflict, Invalid
from supportdesk.models import Agent, AgentSession, SignInFailure, utcnow
from supportdesk.rate_limits import refuse_when_exceeded

ALGORITHM = "pbkdf2_sha256"
ITERATIONS = 310_000
MIN_ITERATIONS = 200_000
MIN_PASSWORD = 10
MAX_PASSWORD = 1024
SESSION_HOURS = 12
USERNAME_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789._-@")
# Failed sign-ins allowed in the window, per username and per client address.
SIGN_IN_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_USERNAME = 5
MAX_FAILURES_PER_ADDRESS = 20


@dataclass(frozen=True)
class SignedIn:
    """The agent behind a valid session, and that session's CSRF token."""

    agent_id: int
    username: str
    display_name: str
    csrf_token: str
    expires_at: datetime


def hash_password(password: str, iterations: int = ITERATIONS) -> str:
    """`pbkdf2_sha256$iterations$salt$hash`, salt and hash in hex, with a random salt."""
    if iterations < MIN_ITERATIONS:
        raise ValueError(f"use at least {MIN_ITERATIONS} iterations")
    salt = secrets.token_hex(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), iterations)
    return f"{ALGORITHM}${iterations}${salt}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    """Whether `password` matches the stored hash, compared in constant time."""
    try:
        algorithm, iterations, salt, expected = stored.split("$")
        rounds = int(iterations)
    except ValueError:
        return False
    if algorithm != ALGORITHM or rounds < MIN_ITERATIONS or len(password) > MAX_PASSWORD:
        return False
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), rounds)
    return hmac.compare_digest(digest.hex(), expected)


# A hash to check against when the username is unknown, so timing does not tell.
_DUMMY_HASH = hash_password(secrets.token_hex(16))


def normalize_username(username: str) -> str:
    """Usernames are case-insensitive: lower case, without surrounding spaces."""
    return username.strip().lower()


def check_new_credentials(username: str, password: str) -> str:
    """The normalised username, or Invalid when the username or the password is unusable."""
    name = normalize_username(username)
    if not name or len(name) > 80 or not set(name) <= USERNAME_CHARS:
        raise Invalid(
            "A username is 1 to 80 letters, digits or . _ - @ characters.", field="username"
        )
    if len(password) < MIN_PASSWORD:
        raise Invalid(
            f"The password must be at least {MIN_PASSWORD} characters long.", field="password"
        )
    if len(password) > MAX_PASSWORD:
        raise Invalid(f"The password is longer than {MAX_PASSWORD} characters.", field="password")
    return name


def add_agent(db: Database, username: str, display_name: str, password: str) -> dict[str, str]:
    """Create an agent account; Conflict when the username is taken."""
    name = check_new_credentials(username, password)
    display = display_name.strip() or name
    with db.write() as session:
        if session.execute(select(Agent.id).where(Agent.username == name)).first():
            raise Conflict(f"There is already an agent called {name!r}.", field="username")
        agent = Agent(
            username=name,
            display_name=display[:120],
            password_hash=hash_password(password),
            created_at=utcnow(),
        )
        session.add(agent)
        session.flush()
        return {"username": agent.username, "display_name": agent.display_name}


def authenticate(db: Database, username: str, password: str) -> int | None:
    """The agent's id when the username and password match, else None."""
    with db.read() as session:
        agent = session.execute(
            select(Agent).where(Agent.username == normalize_username(username))
        ).scalar_one_or_none()
    if agent is None:
        verify_password(password, _DUMMY_HASH)
        return None
    return agent.id if verify_password(password, agent.password_hash) else None


def sign_in(db: Database, username: str, password: str, address: str) -> int | None:
    """Authenticate, unless this username or address failed too often lately (RateLimited).

    A success forgets the username's failures; a failure is recorded for both.
    """
    name, now = normalize_username(username)[:80], utcnow()
    address = (address or "unknown")[:64]
    with db.read() as session:
        _check_sign_in_failures(session, name, address, now)
    agent_id = authenticate(db, name, password) if name and password else None
    with db.write() as session:
        if agent_id is None:
            session.execute(delete(SignInFailure).where(SignInFailure.at <= now - SIGN_IN_WINDOW))
            session.add(SignInFailure(username=name, address=address, at=now))
        else:
            session.execute(delete(SignInFailure).where(SignInFailure.username == name))
    return agent_id


def _check_sign_in_failures(session: Session, username: str, address: str, now: datetime) -> None:
    limits = (
        (SignInFailure.username == username, MAX_FAILURES_PER_USERNAME),
        (SignInFailure.address == address, MAX_FAILURES_PER_ADDRESS),
    )
    refuse_when_exceeded(
        session,
        SignInFailure.at,
        limits,
        SIGN_IN_WINDOW,
        now,
        "Too many failed sign-ins. Wait a few minutes before you try again.",
    )


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_session(db: Database, agent_id: int) -> tuple[str, SignedIn]:
    """A new session for the agent: the cookie token (stored only hashed) and its details."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    with db.write() as session:
        session.execute(delete(AgentSession).where(AgentSession.expires_at <= now))
        row = AgentSession(
            token_hash=_token_hash(token),
            agent_id=agent_id,
            csrf_token=secrets.token_urlsafe(32),
            created_at=now,
            expires_at=now + timedelta(hours=SESSION_HOURS),
        )
        session.add(row)
        session.flush()
        return token, _signed_in(row)


def lookup_session(db: Database, token: str | None) -> SignedIn | None:
    """The signed-in agent for a cookie token, or None when it is unknown or expired."""
    if not token or len(token) > 200:
        return None
    with db.read() as session:
        row = session.execute(
            select(AgentSession).where(AgentSession.token_hash == _token_hash(token))
        ).scalar_one_or_none()
        if row is None or row.expires_at <= utcnow():
            return None
        return _signed_in(row)


def delete_session(db: Database, token: str | None) -> None:
    """Sign out: forget the session, if there is one."""
    if not token:
        return
    with db.write() as session:
        session.execute(delete(AgentSession).where(AgentSession.token_hash == _token_hash(token)))


def csrf_matches(signed_in: SignedIn, given: str | None) -> bool:
    """Whether a form's CSRF token is the session's, compared in constant time."""
    return bool(given) and hmac.compare_digest(given.encode(), signed_in.csrf_token.encode())


def _signed_in(row: AgentSession) -> SignedIn:
    return SignedIn(
        agent_id=row.agent_id,
        username=row.agent.username,
        display_name=row.agent.display_name,
        csrf_token=row.csrf_token,
        expires_at=row.expires_at,
    )
