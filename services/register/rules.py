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

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from services.register.domain.calendar import SchoolCalendar
from services.register.domain.counting import UnexcusedTotal
from services.register.domain.errors import CalendarError
from services.register.domain.evaluator import Firing, evaluate_change, period_label
from services.register.domain.periods import PeriodKind, period_key
from services.register.domain.rulepack import ActionKind, RulePack
from services.register.domain.rulepack_loader import load_rule_pack_file
from services.register.models import AbsenceCounter, RuleFiring, Student
from shared.platform_models import utcnow
from shared.runtime import ServiceRuntime

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


def _insert(session: Session):
    return sqlite_insert if session.get_bind().dialect.name == "sqlite" else pg_insert


def _counter_keys(pack: RulePack, changes, calendar_of) -> dict[tuple[int, PeriodKind, str], list]:
    """Sum the deltas per student and counting period: ``{(student, kind, key): [delta, last day, calendar]}``."""
    totals: dict[tuple[int, PeriodKind, str], list] = {}
    kinds = pack.periods_in_use()
    for student, day, delta in changes:
        if not delta:
            continue
        calendar = calendar_of(day)
        for kind in kinds:
            try:
                key = period_key(kind, day, calendar)
            except CalendarError:
                continue  # e.g. a term key for a day between terms: no term rule counts it
            entry = totals.setdefault((student.id, kind, key), [0, day, calendar])
            entry[0] += delta
            entry[1] = max(entry[1], day)
    return totals


def apply_batch(session: Session, rt: ServiceRuntime, changes: list[tuple[Student, dt.date, int]],
                calendar_of: Callable[[dt.date], SchoolCalendar]) -> list[int]:
    """Move the counters for many marks at once and store and publish the firings they cause.

    A handful of statements per call, whatever the number of marks: the counter rows are created if
    missing, read under a row lock (so concurrent requests on PostgreSQL add up correctly), updated
    with one ``executemany``; already-fired keys are read in one query.
    """
    pack: RulePack = rt.services["rule_pack"]
    totals = _counter_keys(pack, changes, calendar_of)
    if not totals:
        return []
    students = {student.id: student for student, _day, _delta in changes}
    table = AbsenceCounter.__table__
    session.execute(_insert(session)(table).on_conflict_do_nothing(
        index_elements=["student_id", "period_kind", "period_key"]),
        [{"student_id": sid, "period_kind": str(kind), "period_key": key, "half_hours": 0}
         for sid, kind, key in totals])
    student_ids = sorted({sid for sid, _kind, _key in totals})
    period_keys = sorted({key for _sid, _kind, key in totals})
    current = {(r.student_id, r.period_kind, r.period_key): (r.id, r.half_hours) for r in session.execute(
        sa.select(table.c.id, table.c.student_id, table.c.period_kind, table.c.period_key, table.c.half_hours)
        .where(table.c.student_id.in_(student_ids), table.c.period_key.in_(period_keys))
        .order_by(table.c.id).with_for_update())}
    updates, crossings = [], []
    for (sid, kind, key), (delta, last_day, calendar) in totals.items():
        counter_id, before = current[(sid, str(kind), key)]
        updates.append({"counter_id": counter_id, "new_total": before + delta})
        if delta > 0:  # excusing or correcting down never fires; crossing again later does not refire
            crossings.append((sid, kind, key, before, before + delta, last_day, calendar))
    session.execute(sa.update(table).where(table.c.id == sa.bindparam("counter_id")).values(
        half_hours=sa.bindparam("new_total")), updates)
    if not crossings:
        return []
    fired: dict[int, set] = {}
    for sid, rule_id, threshold, period in session.execute(
            sa.select(RuleFiring.student_id, RuleFiring.rule_id, RuleFiring.threshold, RuleFiring.period).where(
                RuleFiring.student_id.in_(student_ids), RuleFiring.period.in_(period_keys))):
        fired.setdefault(sid, set()).add((rule_id, threshold, period))
    found: list[tuple[int, PeriodKind, Firing, tuple[dt.date, dt.date]]] = []
    for sid, kind, key, before, after, last_day, calendar in crossings:
        for firing in evaluate_change(pack, before=UnexcusedTotal(before), after=UnexcusedTotal(after),
                                      period_key=key, period=kind, fired=fired.get(sid, set())):
            found.append((sid, kind, firing, (_period_start(kind, last_day, calendar), last_day)))
    return _store_and_publish(session, rt, students, found)


def _store_and_publish(session: Session, rt: ServiceRuntime, students: dict[int, Student], found: list) -> list:
    """Insert the firings in one statement; the unique key keeps a firing that raced in from being sent twice."""
    if not found:
        return []
    stamp = utcnow()
    table = RuleFiring.__table__
    session.execute(_insert(session)(table).on_conflict_do_nothing(
        index_elements=["student_id", "rule_id", "threshold", "period"]), [
        {"student_id": sid, "rule_id": f.rule_id, "article": f.article, "action": str(f.action.kind),
         "threshold": f.threshold, "count": f.count, "period": f.period_key, "message": f.message, "fired_at": stamp}
        for sid, _kind, f, _span in found])
    ours = {(r.student_id, r.rule_id, r.threshold, r.period): r.id for r in session.execute(
        sa.select(table.c.id, table.c.student_id, table.c.rule_id, table.c.threshold, table.c.period).where(
            table.c.student_id.in_({sid for sid, *_rest in found}), table.c.fired_at == stamp))}
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


def _publish(session: Session, rt: ServiceRuntime, student: Student, firing: Firing, firing_id: int,
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
