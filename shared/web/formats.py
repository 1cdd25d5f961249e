"""Bulgarian formats for pages, from Babel: ``03.10.2023``, „вторник, 3 октомври 2023 г.“, „6,5“.

Registered once as Jinja filters; dates and numbers are formatted only in templates. A moment (a
``datetime``, stored in UTC) is shown in the school's time zone (``SCHOOL_TIMEZONE``, Europe/Sofia):
a notice sent at 23:30 UTC on 2 October reads „03.10.2023 02:30“, not the day before.
"""

from __future__ import annotations

import datetime as dt
import functools
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal
from flask import Flask

LOCALE = "bg_BG"
#: The zone moments are shown in when no app names the school's (the setting's default).
DEFAULT_ZONE = "Europe/Sofia"


def local(value: dt.date | dt.datetime, zone: str = DEFAULT_ZONE) -> dt.date | dt.datetime:
    """A moment in the school's zone (a naive one is UTC, as SQLite hands back UTC columns); a date as it is."""
    if not isinstance(value, dt.datetime):
        return value
    aware = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return aware.astimezone(ZoneInfo(zone))


def short_date(value: dt.date | None, zone: str = DEFAULT_ZONE) -> str:
    return format_date(local(value, zone), "dd.MM.yyyy", locale=LOCALE) if value else ""


def long_date(value: dt.date | None, zone: str = DEFAULT_ZONE) -> str:
    return format_date(local(value, zone), "EEEE, d MMMM y 'г.'", locale=LOCALE) if value else ""


def month_name(value: dt.date | None, zone: str = DEFAULT_ZONE) -> str:
    """A month as a heading names it: „октомври 2023 г.“."""
    return format_date(local(value, zone), "LLLL y 'г.'", locale=LOCALE) if value else ""


def date_time(value: dt.datetime | None, zone: str = DEFAULT_ZONE) -> str:
    return format_datetime(local(value, zone), "dd.MM.yyyy HH:mm", locale=LOCALE) if value else ""


def decimal(value: float | int | None) -> str:
    """Half hours and averages with a decimal comma: 6,5."""
    return format_decimal(value, locale=LOCALE) if value is not None else ""


def install_formats(app: Flask, zone: str = DEFAULT_ZONE) -> None:
    """The filters, with moments shown in ``zone`` (the school's ``SCHOOL_TIMEZONE``)."""
    in_zone = {name: functools.partial(filter_, zone=zone) for name, filter_ in (
        ("date", short_date), ("long_date", long_date), ("date_time", date_time), ("month_name", month_name))}
    app.jinja_env.filters.update(decimal=decimal, **in_zone)
