"""The rulebook's absence rules at work (правила за отсъствия): counters, firings, events.

Every change of a student's unexcused total (a mark recorded, corrected or excused) goes through
:func:`apply_change` in the same transaction: the running counter of each counting period moves,
the rule pack's counter rules are evaluated on the before/after totals, and each new firing is
stored under a unique (student, rule, threshold, period) key and published once as
``register.rule_fired``.  Nothing here scans the absence history.
"""

from __future__ import annotations

import datetime as dt
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


def _move_counter(session: Session, student_id: int, kind: PeriodKind, key: str, delta: int) -> tuple[int, int]:
    """Add ``delta`` to the period's counter atomically; returns (before, after)."""
    table = AbsenceCounter.__table__
    statement = _insert(session)(table).values(
        student_id=student_id, period_kind=str(kind), period_key=key, half_hours=delta,
    ).on_conflict_do_update(
        index_elements=["student_id", "period_kind", "period_key"],
        set_={"half_hours": table.c.half_hours + delta},
    ).returning(table.c.half_hours)
    after = session.execute(statement).scalar_one()
    return after - delta, after


def apply_change(session: Session, rt: ServiceRuntime, student: Student, day: dt.date, delta: int,
                 calendar: SchoolCalendar) -> list[RuleFiring]:
    """Move the student's counters by ``delta`` half-hours for ``day``; store and publish new firings."""
    if delta == 0:
        return []
    pack: RulePack = rt.services["rule_pack"]
    new: list[RuleFiring] = []
    for kind in pack.periods_in_use():
        try:
            key = period_key(kind, day, calendar)
        except CalendarError:
            continue  # e.g. a term key for a day between terms: no term rule counts it
        before, after = _move_counter(session, student.id, kind, key, delta)
        if after <= before:
            continue  # excusing or correcting down never fires; crossing again later does not refire
        fired = set(session.execute(sa.select(RuleFiring.rule_id, RuleFiring.threshold, RuleFiring.period).where(
            RuleFiring.student_id == student.id, RuleFiring.period == key)).all())
        for firing in evaluate_change(pack, before=UnexcusedTotal(before), after=UnexcusedTotal(after),
                                      period_key=key, period=kind, fired=fired):
            row = _store(session, student, firing)
            if row is not None:
                _publish(session, rt, student, firing, row, kind, (_period_start(kind, day, calendar), day))
                new.append(row)
    return new


def apply_changes(session: Session, rt: ServiceRuntime, student: Student, by_day: dict[dt.date, int],
                  calendars: dict[dt.date, SchoolCalendar]) -> None:
    """Many days' deltas of one student at once: each period's counter moves once, rules run on its totals."""
    pack: RulePack = rt.services["rule_pack"]
    for kind in pack.periods_in_use():
        per_period: dict[str, tuple[int, dt.date, SchoolCalendar]] = {}
        for day, delta in sorted(by_day.items()):
            try:
                key = period_key(kind, day, calendars[day])
            except CalendarError:
                continue
            total, _last, _calendar = per_period.get(key, (0, day, calendars[day]))
            per_period[key] = (total + delta, day, calendars[day])
        for key, (delta, last_day, calendar) in per_period.items():
            before, after = _move_counter(session, student.id, kind, key, delta)
            fired = set(session.execute(sa.select(RuleFiring.rule_id, RuleFiring.threshold, RuleFiring.period).where(
                RuleFiring.student_id == student.id, RuleFiring.period == key)).all())
            for firing in evaluate_change(pack, before=UnexcusedTotal(before), after=UnexcusedTotal(after),
                                          period_key=key, period=kind, fired=fired):
                row = _store(session, student, firing)
                if row is not None:
                    _publish(session, rt, student, firing, row, kind, (_period_start(kind, last_day, calendar),
                                                                       last_day))


def _store(session: Session, student: Student, firing: Firing) -> RuleFiring | None:
    table = RuleFiring.__table__
    statement = _insert(session)(table).values(
        student_id=student.id, rule_id=firing.rule_id, article=firing.article, action=str(firing.action.kind),
        threshold=firing.threshold, count=firing.count, period=firing.period_key, message=firing.message,
        fired_at=utcnow(),
    ).on_conflict_do_nothing(index_elements=["student_id", "rule_id", "threshold", "period"]).returning(table.c.id)
    firing_id = session.execute(statement).scalar()
    return None if firing_id is None else session.get(RuleFiring, firing_id)


def _period_start(kind: PeriodKind, day: dt.date, calendar: SchoolCalendar) -> dt.date:
    if kind is PeriodKind.MONTH:
        return day.replace(day=1)
    if kind is PeriodKind.TERM:
        return calendar.term_of(day).start
    return calendar.year_start


def _publish(session: Session, rt: ServiceRuntime, student: Student, firing: Firing, row: RuleFiring,
             kind: PeriodKind, span: tuple[dt.date, dt.date]) -> None:
    rule = rt.services["rule_pack"].rule(firing.rule_id)
    rt.publish(session, "register.rule_fired", {
        "firing_id": row.id, "student_id": student.id, "student_name": student.full_name,
        "class_code": student.class_code, "rule_id": firing.rule_id, "article": firing.article,
        "action": str(firing.action.kind), "threshold": firing.threshold, "count": firing.count,
        "period": firing.period_key, "urgent": firing.action.kind in URGENT_ACTIONS,
        "details": {"message": firing.message, "title": rule.title, "recipients": list(firing.action.recipients),
                    "period_label": period_label(kind, firing.period_key),
                    "sanctions": [s.name for s in firing.action.sanctions],
                    "period_from": span[0].isoformat(), "period_to": span[1].isoformat()},
    })
