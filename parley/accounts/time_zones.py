"""Time zones by IANA name (None means UTC): checking them, today's date in one, a user's own.

Due dates are calendar dates in a cohort's zone, and times are stored as naive UTC; these
functions are what turns one into the other. The names come from the system's IANA database
(/usr/share/zoneinfo on Debian), read through the standard library's zoneinfo.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from sqlalchemy import select
from sqlalchemy.orm import Session

from parley.models import User

MAX_NAME = 64  # the width of the time_zone columns


class TimeZoneError(ValueError):
    """Raised for a name that is not an IANA time zone; the message is for the user."""


@cache
def time_zone_names() -> tuple[str, ...]:
    """Every IANA zone name this system knows, sorted; read once."""
    return tuple(sorted(available_timezones()))


def checked_time_zone(name: str | None) -> str | None:
    """Return the name as stored (None for empty, meaning UTC), or raise TimeZoneError."""
    name = (name or "").strip()
    if not name:
        return None
    if name not in time_zone_names() or len(name) > MAX_NAME:
        raise TimeZoneError(
            f"“{name[:80]}” is not a time zone. Use a name such as Europe/Paris or "
            "America/New_York, or leave it empty for UTC."
        )
    return name


def zone_of(name: str | None) -> tzinfo:
    """The zone named, or UTC for None or a name this system no longer knows."""
    if not name:
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def as_utc(moment: datetime) -> datetime:
    """An aware UTC datetime from a stored naive-UTC one (or any aware one)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def local_time(moment: datetime, name: str | None) -> datetime:
    """A stored time (naive UTC, or aware) as an aware time in the zone named."""
    return as_utc(moment).astimezone(zone_of(name))


def today_in(name: str | None, now: datetime) -> date:
    """Today's date in the zone named, at the moment now (naive UTC or aware)."""
    return local_time(now, name).date()


def utc_now() -> datetime:
    return datetime.now(UTC)


def user_time_zone(session: Session, user_id: int) -> str | None:
    """A user's own zone, or None if they have not set one."""
    return session.scalar(select(User.time_zone).where(User.id == user_id))


def set_user_time_zone(session: Session, user_id: int, name: str | None) -> str | None:
    """Set (or clear, with None or "") a user's own zone; returns what was stored."""
    checked = checked_time_zone(name)
    user = session.get(User, user_id)
    if user is None:
        raise TimeZoneError("That account no longer exists.")
    user.time_zone = checked
    session.flush()
    return checked
