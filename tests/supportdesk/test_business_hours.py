from datetime import datetime, timezone

import pytest

from supportdesk.agents import add_agent, authenticate, create_session
from supportdesk.business_hours import BusinessHours, is_open, next_opening, parse_hours
from supportdesk.db import Database
from supportdesk.handoffs import HandoffRequest, create_handoff

CHICAGO = BusinessHours()  # Mon-Sat 08:00-20:00, America/Chicago
ALWAYS = parse_hours("Mon-Sun 00:00-23:59", "UTC")


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("moment", "open_now", "opens"),
    [
        ("2026-11-26 15:00", True, "2026-11-26 15:00+00:00"),  # Thu 09:00 in Chicago
        ("2026-11-26 03:00", False, "2026-11-26 08:00-06:00"),  # Wed 21:00: opens Thu 08:00
        ("2026-11-29 15:00", False, "2026-11-30 08:00-06:00"),  # Sunday: opens Monday
        ("2026-11-29 02:00", False, "2026-11-30 08:00-06:00"),  # Sat 20:00 is closed already
    ],
)
def test_open_and_next_opening_in_the_team_time_zone(moment, open_now, opens) -> None:
    now = utc(moment)
    assert is_open(CHICAGO, now) is open_now
    assert next_opening(CHICAGO, now) == datetime.fromisoformat(opens)


@pytest.mark.parametrize(
    "text", ["Mon-Sat", "Sat-Mon 08:00-20:00", "Mon-Fri 18:00-09:00", "Mon-Xyz 08:00-20:00"]
)
def test_unreadable_hours_are_refused_with_the_expected_form(text: str) -> None:
    with pytest.raises(ValueError, match="Mon-Sat 08:00-20:00|forwards"):
        parse_hours(text, "UTC")


def test_unknown_time_zone_is_refused() -> None:
    with pytest.raises(Exception):  # noqa: B017  (zoneinfo raises its own error type)
        parse_hours("Mon-Fri 09:00-17:00", "Mars/Olympus")


def request() -> HandoffRequest:
    return HandoffRequest("conv-1", "socketio", "customer asked for a person", [], {})


def test_a_handoff_says_nobody_is_there_without_a_signed_in_agent(db: Database) -> None:
    availability = create_handoff(db, request(), ALWAYS)["availability"]
    assert availability["within_business_hours"] is True
    assert availability["agents_signed_in"] == 0
    assert availability["agents_available"] is False


def test_a_handoff_in_hours_with_an_agent_signed_in_is_answered(db: Database) -> None:
    add_agent(db, "sam", "Sam Rivera", "a long enough password")
    create_session(db, authenticate(db, "sam", "a long enough password"))
    availability = create_handoff(db, request(), ALWAYS)["availability"]
    assert availability["agents_available"] is True and availability["agents_signed_in"] == 1
