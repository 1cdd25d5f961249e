"""Bulgarian formats for pages, from Babel: ``03.10.2023``, „вторник, 3 октомври 2023 г.“, „6,5“.

Registered once as Jinja filters; dates and numbers are formatted only in templates.
"""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal
from flask import Flask

LOCALE = "bg_BG"


def short_date(value: dt.date | None) -> str:
    return format_date(value, "dd.MM.yyyy", locale=LOCALE) if value else ""


def long_date(value: dt.date | None) -> str:
    return format_date(value, "EEEE, d MMMM y 'г.'", locale=LOCALE) if value else ""


def month_name(value: dt.date | None) -> str:
    """A month as a heading names it: „октомври 2023 г.“."""
    return format_date(value, "LLLL y 'г.'", locale=LOCALE) if value else ""


def date_time(value: dt.datetime | None) -> str:
    return format_datetime(value, "dd.MM.yyyy HH:mm", locale=LOCALE) if value else ""


def decimal(value: float | int | None) -> str:
    """Half hours and averages with a decimal comma: 6,5."""
    return format_decimal(value, locale=LOCALE) if value is not None else ""


def install_formats(app: Flask) -> None:
    app.jinja_env.filters.update(date=short_date, long_date=long_date, date_time=date_time, decimal=decimal,
                           month_name=month_name)
