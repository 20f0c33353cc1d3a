"""Agent accounts: password hashing, sessions and `python -m supportdesk add-agent`."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, update

from supportdesk import agents
from supportdesk.db import Database
from supportdesk.errors import Conflict, Invalid, RateLimited
from supportdesk.models import AgentSession, SignInFailure, utcnow

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery"


def test_hash_has_the_documented_format_and_a_random_salt() -> None:
    stored = agents.hash_password(PASSWORD)
    algorithm, iterations, salt, digest = stored.split("$")
    assert algorithm == "pbkdf2_sha256"
    assert int(iterations) >= 200_000
    assert len(bytes.fromhex(salt)) == 16 and len(bytes.fromhex(digest)) == 32
    expected = hashlib.pbkdf2_hmac("sha256", PASSWORD.encode(), salt.encode(), int(iterations))
    assert digest == expected.hex()
    assert agents.hash_password(PASSWORD) != stored  # another salt
    assert PASSWORD not in stored


def test_verify_accepts_the_password_and_nothing_else() -> None:
    stored = agents.hash_password(PASSWORD)
    assert agents.verify_password(PASSWORD, stored)
    for wrong in ("", "correct horse batterY", PASSWORD + " ", "x" * 5000):
        assert not agents.verify_password(wrong, stored)
    for broken in ("", "plain", stored.replace("pbkdf2_sha256", "md5"), stored + "$x"):
        assert not agents.verify_password(PASSWORD, broken)


def test_too_few_iterations_are_refused_both_ways() -> None:
    with pytest.raises(ValueError):
        agents.hash_password(PASSWORD, iterations=1000)
    algorithm, _, salt, _ = agents.hash_password(PASSWORD).split("$")
    weak = hashlib.pbkdf2_hmac("sha256", PASSWORD.encode(), salt.encode(), 1000).hex()
    assert not agents.verify_password(PASSWORD, f"{algorithm}$1000${salt}${weak}")


@pytest.fixture
def empty_db(tmp_path: Path) -> Database:
    database = Database(f"sqlite:///{tmp_path / 'agents.db'}")
    database.create_schema()
    yield database
    database.dispose()


def test_accounts_authenticate_and_usernames_are_unique(empty_db: Database) -> None:
    created = agents.add_agent(empty_db, "Ana", "Ana Souza", PASSWORD)
    assert created == {"username": "ana", "display_name": "Ana Souza"}
    assert agents.authenticate(empty_db, "ana", PASSWORD) is not None
    assert agents.authenticate(empty_db, " ANA ", PASSWORD) is not None
    assert agents.authenticate(empty_db, "ana", "wrong password") is None
    assert agents.authenticate(empty_db, "nobody", PASSWORD) is None
    with pytest.raises(Conflict):
        agents.add_agent(empty_db, "ANA", "Another Ana", PASSWORD)
    with pytest.raises(Invalid):
        agents.add_agent(empty_db, "bo", "Bo", "short")
    with pytest.raises(Invalid):
        agents.add_agent(empty_db, "bad name!", "Bad", PASSWORD)


def test_sessions_expire_after_12_hours_and_end_on_sign_out(empty_db: Database) -> None:
    agents.add_agent(empty_db, "ana", "Ana Souza", PASSWORD)
    agent_id = agents.authenticate(empty_db, "ana", PASSWORD)
    token, me = agents.create_session(empty_db, agent_id)
    assert timedelta(hours=11, minutes=59) < me.expires_at - utcnow() <= timedelta(hours=12)
    found = agents.lookup_session(empty_db, token)
    assert found is not None and found.username == "ana" and found.csrf_token == me.csrf_token
    assert agents.csrf_matches(found, me.csrf_token)
    assert not agents.csrf_matches(found, me.csrf_token[:-1] + "x")
    assert not agents.csrf_matches(found, None)
    assert agents.lookup_session(empty_db, token + "x") is None
    assert agents.lookup_session(empty_db, None) is None

    with empty_db.write() as session:  # the token itself is not stored
        assert session.query(AgentSession).filter_by(token_hash=token).count() == 0
        session.execute(update(AgentSession).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert agents.lookup_session(empty_db, token) is None

    other, _ = agents.create_session(empty_db, agent_id)
    assert agents.lookup_session(empty_db, other) is not None
    agents.delete_session(empty_db, other)
    assert agents.lookup_session(empty_db, other) is None


def test_sign_in_is_throttled_per_username_and_per_address(empty_db: Database) -> None:
    agents.add_agent(empty_db, "ana", "Ana", PASSWORD)
    for _ in range(agents.MAX_FAILURES_PER_USERNAME):
        assert agents.sign_in(empty_db, "ana", "wrong password", "10.0.0.1") is None
    # The right password no longer helps for this username, from any address ...
    with pytest.raises(RateLimited) as limited:
        agents.sign_in(empty_db, "ANA", PASSWORD, "10.0.0.2")
    assert 0 < limited.value.retry_after <= 15 * 60 + 1
    # ... until the failures are older than the window.
    with empty_db.write() as session:
        session.execute(update(SignInFailure).values(at=utcnow() - timedelta(minutes=16)))
    assert agents.sign_in(empty_db, "ana", PASSWORD, "10.0.0.2") is not None

    # One address guessing many usernames is stopped too, but other addresses are not.
    for number in range(agents.MAX_FAILURES_PER_ADDRESS):
        assert agents.sign_in(empty_db, f"user{number}", "guess", "10.0.0.9") is None
    with pytest.raises(RateLimited):
        agents.sign_in(empty_db, "ana", PASSWORD, "10.0.0.9")
    assert agents.sign_in(empty_db, "ana", PASSWORD, "10.0.0.3") is not None


def test_a_successful_sign_in_forgets_the_usernames_failures(empty_db: Database) -> None:
    agents.add_agent(empty_db, "ana", "Ana", PASSWORD)
    for _ in range(agents.MAX_FAILURES_PER_USERNAME - 1):
        agents.sign_in(empty_db, "ana", "typo", "10.0.0.1")
    assert agents.sign_in(empty_db, "ana", PASSWORD, "10.0.0.1") is not None
    assert agents.sign_in(empty_db, "ana", "typo", "10.0.0.1") is None
    assert agents.sign_in(empty_db, "ana", PASSWORD, "10.0.0.1") is not None


def add_agent_cli(database_url: str, *args: str, password: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "supportdesk", "add-agent", *args, "--database-url", database_url],
        cwd=ROOT,
        input=password + "\n",
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_cli_adds_an_agent_and_refuses_duplicates_and_short_passwords(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    done = add_agent_cli(url, "sam", "--name", "Sam Rivera", password=PASSWORD)
    assert done.returncode == 0, done.stderr
    assert "sam" in done.stdout and "/agent" in done.stdout

    duplicate = add_agent_cli(url, "Sam", "--name", "Sam Again", password=PASSWORD + "!")
    assert duplicate.returncode == 1
    assert "already an agent called 'sam'" in duplicate.stderr

    short = add_agent_cli(url, "kim", "--name", "Kim Lee", password="too-short")
    assert short.returncode == 1
    assert "at least 10 characters" in short.stderr

    db = Database(url)
    try:
        assert agents.authenticate(db, "sam", PASSWORD) is not None
        assert agents.authenticate(db, "sam", PASSWORD + "!") is None
        assert agents.authenticate(db, "kim", "too-short") is None
    finally:
        db.dispose()


def test_an_existing_database_gets_the_new_handoff_column(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    old = create_engine(url)
    with old.begin() as conn:
        conn.exec_driver_sql(
            "CREATE TABLE handoffs (id INTEGER PRIMARY KEY, conversation_id VARCHAR(200) NOT NULL,"
            " channel VARCHAR(40) NOT NULL, reason VARCHAR(300) NOT NULL, transcript JSON NOT NULL,"
            " details JSON NOT NULL, status VARCHAR(20) NOT NULL, created_at DATETIME NOT NULL)"
        )
    old.dispose()
    db = Database(url)
    try:
        db.create_schema()
        db.create_schema()  # and again: nothing left to add
        assert "agent_id" in {c["name"] for c in inspect(db.engine).get_columns("handoffs")}
    finally:
        db.dispose()
