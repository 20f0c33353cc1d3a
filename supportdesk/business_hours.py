"""When the support team answers: opening days and hours in the team's time zone."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
_HOURS = re.compile(r"^(\w{3})-(\w{3}) (\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")


@dataclass(frozen=True)
class BusinessHours:
    """Open on `days` (0 = Monday) from `opens` to `closes`, local time in `time_zone`."""

    days: frozenset[int] = frozenset(range(6))  # Monday to Saturday
    opens: time = time(8, 0)
    closes: time = time(20, 0)
    time_zone: str = "America/Chicago"

    def describe(self) -> str:
        first, last = min(self.days), max(self.days)
        return (
            f"{DAYS[first].title()}-{DAYS[last].title()} {self.opens:%H:%M}-{self.closes:%H:%M} "
            f"({self.time_zone.split('/')[-1].replace('_', ' ')} time)"
        )


def parse_hours(text: str, time_zone: str) -> BusinessHours:
    """`Mon-Sat 08:00-20:00` in a time zone; ValueError with a reason otherwise."""
    match = _HOURS.match(text.strip().lower())
    if not match or match.group(1) not in DAYS or match.group(2) not in DAYS:
        raise ValueError(f"business hours look like 'Mon-Sat 08:00-20:00', not {text!r}")
    first, last = DAYS.index(match.group(1)), DAYS.index(match.group(2))
    opens = time(int(match.group(3)), int(match.group(4)))
    closes = time(int(match.group(5)), int(match.group(6)))
    if first > last or opens >= closes:
        raise ValueError(f"business hours must run forwards: {text!r}")
    ZoneInfo(time_zone)  # raises for an unknown zone
    return BusinessHours(frozenset(range(first, last + 1)), opens, closes, time_zone)


def hours_from_env() -> BusinessHours:
    """SUPPORT_HOURS (e.g. `Mon-Fri 09:00-17:00`) and SUPPORT_TIME_ZONE, else the defaults."""
    default = BusinessHours()
    text = os.environ.get("SUPPORT_HOURS", "").strip()
    zone = os.environ.get("SUPPORT_TIME_ZONE", "").strip() or default.time_zone
    return parse_hours(text, zone) if text else BusinessHours(time_zone=zone)


def is_open(hours: BusinessHours, now: datetime) -> bool:
    local = now.astimezone(ZoneInfo(hours.time_zone))
    return local.weekday() in hours.days and hours.opens <= local.time() < hours.closes


def next_opening(hours: BusinessHours, now: datetime) -> datetime:
    """The next time the team opens (now, when it is open)."""
    if is_open(hours, now):
        return now
    zone = ZoneInfo(hours.time_zone)
    local = now.astimezone(zone)
    for ahead in range(8):
        day = (local + timedelta(days=ahead)).date()
        opening = datetime.combine(day, hours.opens, tzinfo=zone)
        if day.weekday() in hours.days and opening > local:
            return opening
    raise ValueError("business hours have no opening day")  # parse_hours prevents this
