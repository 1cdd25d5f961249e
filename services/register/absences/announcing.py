"""Announcing rule firings (съобщаване на сработилите правила): the ``register.rule_fired`` event.

A firing caused by a recorded lesson, an excuse or a correction is announced in the transaction
that stores it (:func:`announce`), so the parent hears of it as soon as the relay runs.  A bulk
import stores thousands of firings at once; building, checking and writing thousands of events
inside it would hold the import (and on SQLite every other writer) for seconds.  Its firings are
stored with no event yet, and the ``register.publish_firings`` job, enqueued through the outbox in
the import's own transaction, announces them afterwards in short transactions
(:func:`publish_waiting`; the register's sweep runs it too, should the job ever be lost).

Either way a firing is announced exactly once: its ``event_id`` is written in the same transaction
as its event, and only firings without one are picked up.

Two decisions the rulebook leaves open (issue 19):

- Rungs of a ladder crossed at once (3 and 8 unexcused absences by one imported file, or by one
  batch of lessons) send the parents **one** letter, for the highest rung, whose text names the
  lower ones. Every rung is still recorded as a firing; the lower ones carry the event id of the
  one that announced them.
- A firing whose rule has left the school's rule pack since it fired (the pack was edited while
  an import's firings waited) is announced with its stored article, action and text.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.register.absences.rules.evaluator import period_label
from services.register.absences.rules.periods import PeriodKind
from services.register.absences.rules.rulepack import ActionKind, CounterCondition, RulePack
from services.register.absences.student_rows import LessonStudent, lesson_students
from services.register.exports.benefit import BenefitCriterion
from services.register.models.absences import RuleFiring
from services.register.school.rules.calendar import SchoolCalendar
from services.register.school.years import calendar_for
from shared.runtime import ServiceRuntime

EVENT = "register.rule_fired"

#: Actions whose firing the school must act on quickly (the parent is told the same day).
URGENT_ACTIONS = frozenset({ActionKind.DEREGISTRATION_REVIEW})

#: Firings announced per transaction by :func:`publish_waiting`: short enough that a teacher saving a
#: lesson on SQLite (one writer at a time) waits a few tens of milliseconds at most.
CHUNK = 500


class StoredFiring(NamedTuple):
    """A stored firing, as its event needs it (the columns :data:`_WAITING` reads, in order)."""

    id: int
    student_id: int
    rule_id: str
    article: str
    threshold: int
    count: float
    period: str
    message: str
    counted_to: dt.date
    action: str = ""


_FIRINGS = RuleFiring.__table__
#: Grouped so that the rungs of one ladder for one student arrive together (one letter for them all).
_WAITING = (sa.select(*(_FIRINGS.c[name] for name in StoredFiring._fields))
            .where(_FIRINGS.c.event_id.is_(None))
            .order_by(_FIRINGS.c.student_id, _FIRINGS.c.rule_id, _FIRINGS.c.period, _FIRINGS.c.threshold)
            .limit(sa.bindparam("limit")))
_MARK_ANNOUNCED = (sa.update(_FIRINGS).where(_FIRINGS.c.id == sa.bindparam("firing"))
                   .values(event_id=sa.bindparam("event")))


def period_start(kind: PeriodKind, day: dt.date, calendar: SchoolCalendar) -> dt.date:
    """The first day of the counting period of ``kind`` that contains ``day``."""
    if kind is PeriodKind.MONTH:
        return day.replace(day=1)
    if kind is PeriodKind.TERM:
        return calendar.term_of(day).start
    return calendar.year_start


def _plain_number(value: float) -> float | int:
    # The column is a float; "21" in the parent's letter, not "21.0".
    return int(value) if float(value).is_integer() else value


def _kind_of_key(period: str) -> PeriodKind:
    """The counting period a stored key names: ``2025-10``, ``2025/2026/1`` or ``2025/2026``."""
    if "/" not in period:
        return PeriodKind.MONTH
    return PeriodKind.TERM if period.count("/") == 2 else PeriodKind.SCHOOL_YEAR


def _payload_of_a_rule_since_removed(firing: StoredFiring, student: LessonStudent,
                                     calendar: SchoolCalendar) -> dict:
    """The payload from what the firing stored: its rule is no longer in the school's rule pack."""
    kind = _kind_of_key(firing.period)
    try:
        urgent = ActionKind(firing.action) in URGENT_ACTIONS
    except ValueError:
        urgent = False
    return {
        "firing_id": firing.id, "student_id": student.id, "student_name": student.full_name,
        "class_code": student.class_code, "rule_id": firing.rule_id, "article": firing.article,
        "action": firing.action, "threshold": firing.threshold, "count": _plain_number(firing.count),
        "period": firing.period, "urgent": urgent,
        "details": {"message": firing.message, "title": f"Правило по {firing.article}",
                    "recipients": ["class_teacher"], "period_label": period_label(kind, firing.period),
                    "sanctions": [], "period_from": period_start(kind, firing.counted_to, calendar).isoformat(),
                    "period_to": firing.counted_to.isoformat()},
    }


def payload(pack: RulePack, firing: StoredFiring, student: LessonStudent, calendar: SchoolCalendar) -> dict:
    """The ``register.rule_fired`` payload of a stored firing: the rule, its article and the counts behind it."""
    try:
        rule = pack.rule(firing.rule_id)
    except KeyError:
        return _payload_of_a_rule_since_removed(firing, student, calendar)
    assert isinstance(rule.condition, CounterCondition)  # only counter rules are stored as firings
    kind = pack.period_of(rule.condition)
    return {
        "firing_id": firing.id, "student_id": student.id, "student_name": student.full_name,
        "class_code": student.class_code, "rule_id": firing.rule_id, "article": firing.article,
        "action": str(rule.action.kind), "threshold": firing.threshold, "count": _plain_number(firing.count),
        "period": firing.period, "urgent": rule.action.kind in URGENT_ACTIONS,
        "details": {"message": firing.message, "title": rule.title, "recipients": list(rule.action.recipients),
                    "period_label": period_label(kind, firing.period),
                    "sanctions": [s.name for s in rule.action.sanctions],
                    "period_from": period_start(kind, firing.counted_to, calendar).isoformat(),
                    "period_to": firing.counted_to.isoformat(),
                    **_criterion(rule)},
    }


def _criterion(rule) -> dict:
    """The list to ЗАС's threshold in words and the day of the next month it is due by (Чл. 97, т. 15, the
    rule pack's ``due_day_of_next_month``): the parents' notice before it (L7) states both."""
    if rule.action.kind is not ActionKind.BENEFIT_LIST:
        return {}
    condition = rule.condition
    details = {"criterion": BenefitCriterion(min(condition.thresholds), condition.comparison, rule.article).words}
    if rule.action.due_day_of_next_month:
        details["due_day_of_next_month"] = rule.action.due_day_of_next_month
    return details


def announce(session: Session, rt: ServiceRuntime, firing: StoredFiring, event_id: str, student: LessonStudent,
             calendar: SchoolCalendar) -> None:
    """Publish the event of a firing just stored with ``event_id``, in the caller's transaction."""
    rt.publish(session, EVENT, payload(rt.components.rule_pack, firing, student, calendar), event_id)


def publish_waiting(rt: ServiceRuntime, chunk: int = CHUNK) -> int:
    """Announce every stored firing that has no event yet, oldest first; returns how many.

    Safe to run twice or side by side: on PostgreSQL the rows being announced are locked and others
    skip them; on SQLite the transaction holds the only write lock.
    """
    query = _WAITING if rt.db.is_sqlite else _WAITING.with_for_update(skip_locked=True)
    pack: RulePack = rt.components.rule_pack
    announced = 0
    while True:
        with rt.db.transaction() as s:
            firings = [StoredFiring._make(row) for row in s.execute(query, {"limit": chunk})]
            if not firings:
                return announced
            groups = ladders(firings, complete=len(firings) < chunk)
            students = lesson_students(s, list({f.student_id for f in firings}))
            calendars: dict[dt.date, SchoolCalendar] = {}
            payloads = []
            for group in groups:
                highest = group[-1]
                day = highest.counted_to
                if day not in calendars:
                    calendars[day] = calendar_for(s, day)
                payloads.append(payload(pack, with_lower_rungs(highest, group[:-1]),
                                        students[highest.student_id], calendars[day]))
            event_ids = rt.publish_many(s, EVENT, payloads)
            s.execute(_MARK_ANNOUNCED, [{"firing": firing.id, "event": event_id}
                                        for group, event_id in zip(groups, event_ids, strict=True)
                                        for firing in group])
        announced += sum(map(len, groups))


def ladders(firings: list[StoredFiring], *, complete: bool) -> list[list[StoredFiring]]:
    """The firings by (student, rule, period), each group's rungs in rising order.

    Parameters:
      complete: whether ``firings`` holds every waiting one. When a chunk was cut at its limit, its
        last group may continue in the next chunk, so it is left for then (unless it is the only one).
    """
    groups: list[list[StoredFiring]] = []
    for firing in firings:
        last = groups[-1][-1] if groups else None
        if last is not None and (last.student_id, last.rule_id, last.period) == (
                firing.student_id, firing.rule_id, firing.period):
            groups[-1].append(firing)
        else:
            groups.append([firing])
    if not complete and len(groups) > 1:
        groups.pop()
    return groups


def with_lower_rungs(highest: StoredFiring, lower: list[StoredFiring]) -> StoredFiring:
    """The highest rung, its text naming the lower ones crossed at the same time (one letter for all)."""
    if not lower:
        return highest
    thresholds = ", ".join(f"{_plain_number(f.threshold)}" for f in lower)
    note = (f" Със същото вписване са достигнати и по-ниските прагове от {thresholds} "
            f"({highest.article}); за тях не се изпраща отделно писмо.")
    return highest._replace(message=highest.message + note)
