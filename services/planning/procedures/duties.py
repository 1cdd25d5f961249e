"""Recurring duties of the rulebook's deadline catalogue (spec pravilnik-rules.md §12) made procedures.

The sweep asks each duty for its occurrences around today and creates the missing ones; the
natural key (``D06:2023-10``) makes that safe to repeat. A duty whose deadline passed before the
sweep first ran is not back-filled: the system cannot know whether it was met before it existed.
A producer that announces the same duty (``procedure.deadline_set`` with the same key) takes over
the row instead of duplicating it.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.planning.models import TABLES, Procedure, SchoolYearCopy
from services.planning.procedures.store import CATALOGUE, upsert_procedure
from shared import audit
from shared.auth.principal import SYSTEM
from shared.dates import MONTH_NAMES

#: Days before its deadline that a duty appears in the lists.
LEAD_DAYS = 30


@dataclasses.dataclass(frozen=True)
class Occurrence:
    key: str
    title: str
    due: dt.date


@dataclasses.dataclass(frozen=True)
class Duty:
    code: str
    article: str
    roles: tuple[str, ...]
    occurrences: Callable[[dt.date, SchoolYearCopy | None], Iterator[Occurrence]]


def _school_year_months(today: dt.date, year: SchoolYearCopy | None) -> bool:
    if year is not None:
        return year.start <= today <= year.end + dt.timedelta(days=31)
    return today.month not in (8,)  # no classes in August; July still closes June


def _monthly_absence_report(today: dt.date, year: SchoolYearCopy | None) -> Iterator[Occurrence]:
    """D06: the previous month's electronic absence form by the 5th (Чл. 97, т. 10)."""
    if not _school_year_months(today, year):
        return
    previous = today.replace(day=1) - dt.timedelta(days=1)
    if previous.month in (7, 8):
        return
    yield Occurrence(f"D06:{previous:%Y-%m}",
                     f"Месечна справка за отсъствията за {MONTH_NAMES[previous.month - 1]} {previous.year} г.",
                     today.replace(day=5))


def _monthly_council(today: dt.date, year: SchoolYearCopy | None) -> Iterator[Occurrence]:
    """D59: at least one pedagogical council meeting each month (Чл. 20, ал. 3)."""
    if today.month in (7, 8) or not _school_year_months(today, year):
        return
    last = today.replace(day=calendar.monthrange(today.year, today.month)[1])
    yield Occurrence(f"D59:{today:%Y-%m}",
                     f"Заседание на педагогическия съвет през {MONTH_NAMES[today.month - 1]} {today.year} г.", last)


def _class_hour_plan(today: dt.date, year: SchoolYearCopy | None) -> Iterator[Occurrence]:
    """D55: the class teacher's plan for the class hour by 20 September (Чл. 99, ал. 2)."""
    start_year = year.start.year if year is not None else (today.year if today.month >= 9 else today.year - 1)
    yield Occurrence(f"D55:{start_year}", f"План за часа на класа за {start_year}/{start_year + 1} г.",
                     dt.date(start_year, 9, 20))


def _term_duties(today: dt.date, year: SchoolYearCopy | None) -> Iterator[Occurrence]:
    """D54 timetable ≥3 days before each term; D30 test schedule within 2 weeks of its start."""
    if year is None:
        return
    for number, term in enumerate(year.terms, start=1):
        start = dt.date.fromisoformat(term["start"])
        yield Occurrence(f"D54:{year.name}:{number}", f"Седмично разписание за {number}. срок на {year.name} г.",
                         start - dt.timedelta(days=3))
        yield Occurrence(f"D30:{year.name}:{number}",
                         f"График на класните и контролните работи за {number}. срок на {year.name} г.",
                         start + dt.timedelta(days=14))


DUTIES: tuple[Duty, ...] = (
    Duty("D06", "Чл. 97, т. 10", ("class_teacher",), _monthly_absence_report),
    Duty("D59", "Чл. 20, ал. 3", ("director",), _monthly_council),
    Duty("D55", "Чл. 99, ал. 2", ("class_teacher",), _class_hour_plan),
    Duty("D54", "Чл. 113, ал. 3", ("director",), lambda today, year: (
        o for o in _term_duties(today, year) if o.key.startswith("D54"))),
    Duty("D30", "Чл. 136, ал. 2–3", ("teacher", "director"), lambda today, year: (
        o for o in _term_duties(today, year) if o.key.startswith("D30"))),
)
#: Duties of the catalogue that another service now announces itself, so the catalogue opens them no
#: more and the sweep cancels the rows it opened before: D13, the report on the students at risk of
#: dropping out one month before each term ends (Чл. 97, т. 17), is the register's per class
#: (``dropout_report:{period}:{class}``, opened with the students named and closed when reported); a
#: generic D13 beside them was a duplicate nothing closed.
RETIRED: dict[str, str] = {"D13": "Чл. 97, т. 17"}


def school_year_of(session: Session, today: dt.date) -> SchoolYearCopy | None:
    for year in session.scalars(sa.select(SchoolYearCopy)):
        if year.start - dt.timedelta(days=LEAD_DAYS) <= today <= year.end:
            return year
    return None


def retire_duties(session: Session) -> int:
    """Cancel the catalogue's open rows of the retired duties (:data:`RETIRED`), audited; returns how many."""
    rows = session.scalars(sa.select(Procedure).where(
        Procedure.source == CATALOGUE, Procedure.status.not_in(("done", "cancelled")),
        sa.or_(*(Procedure.key.startswith(f"{code}:") for code in RETIRED)))).all()
    for row in rows:
        before = {"status": row.status}
        row.status = "cancelled"
        audit.record(session, TABLES, SYSTEM, "procedure.cancel", "procedure", row.id, before=before,
                     after={"status": "cancelled", "reason": f"announced by the register per class "
                                                             f"({RETIRED[row.key.split(':', 1)[0]]})"})
    return len(rows)


def create_due_duties(session: Session, today: dt.date, first_run_on: dt.date) -> int:
    """Create every catalogue duty that is within its lead time and not yet known; returns how many.

    The retired duties' rows still open are cancelled first (:func:`retire_duties`).
    """
    retire_duties(session)
    year = school_year_of(session, today)
    created = 0
    for duty in DUTIES:
        for occurrence in duty.occurrences(today, year):
            if occurrence.due < first_run_on or occurrence.due - dt.timedelta(days=LEAD_DAYS) > today:
                continue
            if session.scalar(sa.select(Procedure.id).where(Procedure.key == occurrence.key)) is not None:
                continue
            upsert_procedure(session, source=CATALOGUE, key=occurrence.key, title=occurrence.title, due=occurrence.due,
                             responsible_roles=list(duty.roles), article=duty.article)
            created += 1
    return created
