"""Dates and times on pages: the clock, the reader's zone, and the Jinja filters that print them.

Times are stored as naive UTC. A page shows them in the reader's zone: their own if they set
one on their account page, else the zone of the cohort the page is about, else UTC, with the
zone's abbreviation ("14:05 CET"). Due and workshop dates are calendar dates and are shown as
they are. A date outside the current year carries its year ("Wed 01 Jan 2020").
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from flask import Flask, current_app
from flask_login import current_user

from parley.accounts.time_zones import (
    local_time,
    time_zone_names,
    today_in,
    utc_now,
)

CLOCK = "parley_clock"  # app.extensions key: a callable giving the aware UTC now (tests fix it)


def now() -> datetime:
    """The current moment, aware UTC, from the app's clock."""
    clock: Callable[[], datetime] = current_app.extensions.get(CLOCK, utc_now)
    return clock()


def cohort_today(cohort) -> date:
    """Today's date in the cohort's zone: what its due dates are judged by."""
    return today_in(cohort.time_zone, now())


def own_zone() -> str | None:
    """The signed-in reader's own zone (None if unset or signed out), as read with the
    account at the start of the request."""
    return current_user.time_zone if current_user.is_authenticated else None


def reader_zone(cohort=None) -> str | None:
    """The zone a page shows times in: the reader's own, else the cohort's, else UTC (None)."""
    return own_zone() or (cohort.time_zone if cohort is not None else None)


def _with_year(layout: str, year: int, this_year: int) -> str:
    """The layout, with the year after the month if it has none and the year is not this one."""
    if "%Y" in layout or year == this_year:
        return layout
    return layout.replace("%b", "%b %Y").replace("%B", "%B %Y")


def when(moment: datetime | None, cohort=None, layout: str = "%d %b %Y %H:%M") -> str:
    """A stored time in the reader's zone, labelled: "14 Mar 2026 14:05 CET"."""
    if moment is None:
        return "—"
    zone = reader_zone(cohort)
    shown = local_time(moment, zone)
    this_year = local_time(now(), zone).year
    return f"{shown.strftime(_with_year(layout, shown.year, this_year))} {shown.tzname()}"


def day(value: date, cohort=None, layout: str = "%a %d %b") -> str:
    """A calendar date as it is: "Wed 14 Mar", with the year if not this one ("Wed 01 Jan 2020").

    The year is judged in the cohort's zone (anything with a time_zone), else in UTC: a due
    date is a date in its cohort's calendar, whoever reads it."""
    this_year = today_in(getattr(cohort, "time_zone", None), now()).year
    return value.strftime(_with_year(layout, value.year, this_year))


def register_date_filters(app: Flask) -> None:
    """Give templates the when and day filters, cohort_today, and the zone names for forms."""
    app.jinja_env.filters["when"] = when
    app.jinja_env.filters["day"] = day
    app.jinja_env.globals["cohort_today"] = cohort_today
    app.jinja_env.globals["time_zone_names"] = time_zone_names
