"""The Jinja environment every document template runs in (пясъчник за шаблоните).

Templates are uploaded by school staff, so they are untrusted code: they run in an immutable
sandbox, without a loader (no ``include``/``import``/``extends`` can reach other files), with
autoescaping so ``&`` and ``<`` in names cannot break the Word XML, and with StrictUndefined so a
missing field is an error instead of a silently empty line in an official letter.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from jinja2 import StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

from shared.dates import MONTH_NAMES

#: Globals a template may use; the sandbox's ``range`` is already capped in size.
ALLOWED_GLOBALS = ("range", "namespace")


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            pass
    raise ValueError(f"Очаква се дата, а е подадено {value!r}.")


def format_date(value: Any) -> str:
    """``date`` filter: any date (or ISO string) as dd.mm.yyyy, the only format on school papers."""
    return f"{_as_date(value):%d.%m.%Y}"


def format_month(value: Any) -> str:
    """``month`` filter: the month of a date in words, e.g. ``октомври 2023``."""
    day = _as_date(value)
    return f"{MONTH_NAMES[day.month - 1]} {day.year}"


def format_hours(value: Any) -> str:
    """``hours`` filter: 7.0 as ``7``, 6.5 as ``6,5`` (the Bulgarian decimal comma)."""
    number = float(value)
    return f"{number:.0f}" if number.is_integer() else f"{number:.1f}".replace(".", ",")


def make_environment() -> ImmutableSandboxedEnvironment:
    """Build a fresh sandboxed environment with the document filters.

    A new object each call: nothing is registered globally, and callers (renderer, validator,
    bench) can each hold their own.
    """
    env = ImmutableSandboxedEnvironment(autoescape=True, undefined=StrictUndefined, loader=None)
    env.globals = {name: env.globals[name] for name in ALLOWED_GLOBALS}
    env.filters["date"] = format_date
    env.filters["month"] = format_month
    env.filters["hours"] = format_hours
    return env
