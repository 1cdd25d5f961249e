"""The rulebook's absence rules at work (правила за отсъствия): counters, firings, events.

Every change of a student's unexcused total (a mark recorded, corrected or excused) goes through
:func:`apply_change` in the same transaction: the running counter of each counting period moves,
the rule pack's counter rules are evaluated on the before/after totals, and each new firing is
stored under a unique (student, rule, threshold, period) key and published once as
``register.rule_fired``.  Nothing here scans the absence history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from sqlalchemy.orm import Session

from services.register.domain.calendar import SchoolCalendar
from services.register.domain.counting import UnexcusedTotal
from services.register.domain.errors import CalendarError
from services.register.domain.evaluator import Firing, evaluate_change, period_label
from services.register.domain.periods import PeriodKind, period_key
from services.register.domain.rulepack import ActionKind, RulePack
from services.register.domain.rulepack_loader import load_rule_pack_file
from services.register.models import AbsenceCounter, RuleFiring, Student
from shared.db import RowsInsert
from shared.runtime import ServiceRuntime


class StudentRef(Protocol):
    """What the rules need of a student: an ORM ``Student`` or a lighter row with the same names."""

    id: int
    class_code: str

    @property
    def full_name(self) -> str: ...


#: Actions whose firing the school must act on quickly (the parent is told the same day).
URGENT_ACTIONS = frozenset({ActionKind.DEREGISTRATION_REVIEW})


def load_pack(rt: ServiceRuntime) -> RulePack:
    """The school's rule pack (setting ``rule_pack``) or the shipped default from the plugin registry."""
    if rt.settings.rule_pack:
        return load_rule_pack_file(Path(rt.settings.rule_pack))
    return load_rule_pack_file(rt.plugins.get("rule_packs", "default")())


def half_hours(kind: str, late_half_hours: int) -> int:
    """What one mark adds to the unexcused total, in half-hours (excused marks add nothing)."""
    return {"unexcused": 2, "late": late_half_hours}.get(kind, 0)


_COUNTERS = AbsenceCounter.__table__
#: Adds each delta to its counter, creating it at 0 first; hands back the new totals.
_COUNTERS_ADD = RowsInsert(
    _COUNTERS, ("student_id", "period_kind", "period_key", "half_hours"),
    lambda insert: insert.on_conflict_do_update(
        index_elements=["student_id", "period_kind", "period_key"],
        set_={"half_hours": _COUNTERS.c.half_hours + insert.excluded.half_hours},
    ).returning(_COUNTERS.c.student_id, _COUNTERS.c.period_kind, _COUNTERS.c.period_key, _COUNTERS.c.half_hours))

_FIRINGS = RuleFiring.__table__
#: Stores candidate firings; the unique key drops those that fired before, RETURNING names the new ones.
_FIRINGS_INSERT = RowsInsert(
    _FIRINGS, ("student_id", "rule_id", "article", "action", "threshold", "count", "period", "message", "fired_at"),
    lambda insert: insert.on_conflict_do_nothing(
        index_elements=["student_id", "rule_id", "threshold", "period"],
    ).returning(_FIRINGS.c.id, _FIRINGS.c.student_id, _FIRINGS.c.rule_id, _FIRINGS.c.threshold, _FIRINGS.c.period))


def _counter_keys(pack: RulePack, changes, calendar_of) -> dict[tuple[int, PeriodKind, str], list]:
    """Sum the deltas per student and counting period: ``{(student, kind, key): [delta, last day, calendar]}``.

    The period keys are worked out once per distinct day (an import brings 100,000 marks on a few
    hundred days).
    """
    totals: dict[tuple[int, PeriodKind, str], list] = {}
    kinds = pack.periods_in_use()
    keys_of_day: dict[dt.date, tuple[SchoolCalendar, list[tuple[PeriodKind, str]]]] = {}
    for student, day, delta in changes:
        if not delta:
            continue
        if day not in keys_of_day:
            calendar = calendar_of(day)
            keys = []
            for kind in kinds:
                try:
                    keys.append((kind, period_key(kind, day, calendar)))
                except CalendarError:
                    continue  # e.g. a term key for a day between terms: no term rule counts it
            keys_of_day[day] = (calendar, keys)
        calendar, keys = keys_of_day[day]
        for kind, key in keys:
            entry = totals.setdefault((student.id, kind, key), [0, day, calendar])
            entry[0] += delta
            entry[1] = max(entry[1], day)
    return totals


def apply_batch(session: Session, rt: ServiceRuntime, changes: list[tuple[StudentRef, dt.date, int]],
                calendar_of: Callable[[dt.date], SchoolCalendar]) -> list[int]:
    """Move the counters for many marks at once and store and publish the firings they cause.

    Two statements per call, whatever the number of marks, and a third only when a threshold is
    crossed: see :func:`_add_to_counters` and :func:`_store_and_publish`.
    """
    pack: RulePack = rt.services["rule_pack"]
    totals = _counter_keys(pack, changes, calendar_of)
    if not totals:
        return []
    students = {student.id: student for student, _day, _delta in changes}
    after = _add_to_counters(session, {key: entry[0] for key, entry in totals.items()})
    found: list[tuple[int, PeriodKind, Firing, tuple[dt.date, dt.date]]] = []
    for (sid, kind, key), (delta, last_day, calendar) in totals.items():
        if delta <= 0:  # excusing or correcting down never fires; crossing again later does not refire
            continue
        new_total = after[(sid, str(kind), key)]
        for firing in evaluate_change(pack, before=UnexcusedTotal(new_total - delta),
                                      after=UnexcusedTotal(new_total), period_key=key, period=kind):
            found.append((sid, kind, firing, (_period_start(kind, last_day, calendar), last_day)))
    return _store_and_publish(session, rt, students, found)


def _add_to_counters(session: Session, deltas: dict[tuple[int, PeriodKind, str], int]) -> dict[tuple, int]:
    """Add each delta to its counter (created at 0 if missing) in one upsert; returns the new totals.

    ``ON CONFLICT DO UPDATE`` locks the row, so two requests for the same student on PostgreSQL add up
    (the second sees the first's committed total) and each learns the total its own change produced:
    ``before = after - delta`` is exactly what that change crossed from.  Rows go in key order, so
    concurrent requests lock shared counters in the same order and cannot deadlock.
    """
    rows = [{"student_id": sid, "period_kind": str(kind), "period_key": key, "half_hours": delta}
            for (sid, kind, key), delta in sorted(deltas.items())]
    added = _COUNTERS_ADD.execute(session, rows)
    return {(r.student_id, r.period_kind, r.period_key): r.half_hours for r in added}


def _store_and_publish(session: Session, rt: ServiceRuntime, students: dict[int, StudentRef], found: list) -> list:
    """Insert the candidate firings; only those the unique key lets in are published.

    The key (student, rule, threshold, period) is the memory of what already fired: a threshold
    crossed again after an excuse, a retried request or a concurrent one finds its row taken, and
    ``RETURNING`` hands back only the rows this statement inserted.
    """
    if not found:
        return []
    stamp = rt.clock.now()  # the school's today (SCHOOL_TODAY when a year is replayed), real time of day
    rows = [{"student_id": sid, "rule_id": f.rule_id, "article": f.article, "action": str(f.action.kind),
             "threshold": f.threshold, "count": f.count, "period": f.period_key, "message": f.message,
             "fired_at": stamp} for sid, _kind, f, _span in found]
    inserted = _FIRINGS_INSERT.execute(session, rows)
    ours = {(r.student_id, r.rule_id, r.threshold, r.period): r.id for r in inserted}
    published = []
    for sid, kind, firing, span in found:
        firing_id = ours.get((sid, firing.rule_id, firing.threshold, firing.period_key))
        if firing_id is not None:
            _publish(session, rt, students[sid], firing, firing_id, kind, span)
            published.append(firing_id)
    return published


def apply_change(session: Session, rt: ServiceRuntime, student: Student, day: dt.date, delta: int,
                 calendar: SchoolCalendar) -> list[int]:
    """One mark's change (see :func:`apply_batch`)."""
    return apply_batch(session, rt, [(student, day, delta)], lambda _day: calendar)


def _period_start(kind: PeriodKind, day: dt.date, calendar: SchoolCalendar) -> dt.date:
    if kind is PeriodKind.MONTH:
        return day.replace(day=1)
    if kind is PeriodKind.TERM:
        return calendar.term_of(day).start
    return calendar.year_start


def _publish(session: Session, rt: ServiceRuntime, student: StudentRef, firing: Firing, firing_id: int,
             kind: PeriodKind, span: tuple[dt.date, dt.date]) -> None:
    rule = rt.services["rule_pack"].rule(firing.rule_id)
    rt.publish(session, "register.rule_fired", {
        "firing_id": firing_id, "student_id": student.id, "student_name": student.full_name,
        "class_code": student.class_code, "rule_id": firing.rule_id, "article": firing.article,
        "action": str(firing.action.kind), "threshold": firing.threshold, "count": firing.count,
        "period": firing.period_key, "urgent": firing.action.kind in URGENT_ACTIONS,
        "details": {"message": firing.message, "title": rule.title, "recipients": list(firing.action.recipients),
                    "period_label": period_label(kind, firing.period_key),
                    "sanctions": [s.name for s in firing.action.sanctions],
                    "period_from": span[0].isoformat(), "period_to": span[1].isoformat()},
    })
