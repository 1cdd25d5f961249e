"""Scholarship holders and the stops of their scholarships (стипендианти, Чл. 26, ал. 1, т. 20–23).

The office records who holds a scholarship, from when and until when. The rule of the rule pack
whose action is ``suspend_scholarship`` (5 or more unexcused hours in a calendar month) fires only
for a holder in that month (:func:`keep_holders`, called by :mod:`firings` before storing); each stop
is recorded, the director's order (``scholarship_stop_order``) is asked of documents, and the sweep
fills the month from which the scholarship is paid again (:func:`fill_resumptions`).

When absences of a stopped month are excused later (or corrected) so that the month's unexcused hours
fall below the rule's threshold, the month is no longer a ground: :func:`lift_stops`, called by
:mod:`firings` where the counters move down, records the stop as lifted that day (once: a later
crossing does not stop it again, as a rule never fires twice in a period), fills its resumption (the
ground ceased that day; paid from the next month), recomputes the resumption of the student's other
stops without the lifted month, and, where the stop order was asked, asks documents for the order on
the end of the ground (``scholarship_resumption_order``) that corrects it. A stop whose scholarship
had already resumed keeps its months: nothing announced is wrong then, so no order is asked.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.register.absences.rules.counting import UnexcusedTotal
from services.register.absences.rules.rulepack import ActionKind, CounterCondition, RulePack
from services.register.absences.rules.scholarship import ARTICLE, holds_in, lifted, month_key, resumption
from services.register.models import TABLES
from services.register.models.absences import Scholarship, ScholarshipStop
from services.register.people.access import check_may_see_student
from shared import audit
from shared.auth.principal import SYSTEM, Principal
from shared.errors import ConflictError, InvalidInputError, NotFoundError
from shared.runtime import ServiceRuntime

STOP_TEMPLATE = "scholarship_stop_order"
LIFT_TEMPLATE = "scholarship_resumption_order"
#: Who sees to the order's execution, as the order names it.
CONTROL_BY = "заместник-директора по учебната дейност"


def record(rt: ServiceRuntime, who: Principal, student_id: int, data: dict[str, Any]) -> int:
    """The office records a scholarship the student holds."""
    if data.get("to") is not None and data["to"] < data["from"]:
        raise InvalidInputError({"to": "Крайната дата е преди началната."})
    with rt.db.transaction() as s:
        student = check_may_see_student(s, who, student_id)
        row = Scholarship(student_id=student.id, kind=data["kind"].strip(), date_from=data["from"],
                          date_to=data.get("to"), recorded_by=who.id)
        s.add(row)
        s.flush()
        audit.record(s, TABLES, who, "scholarship.record", "scholarship", row.id, after={
            "student_id": student.id, "kind": row.kind, "from": row.date_from.isoformat(),
            "to": row.date_to.isoformat() if row.date_to else None})
        return row.id


def end(rt: ServiceRuntime, who: Principal, scholarship_id: int, to: dt.date) -> Scholarship:
    """The scholarship is no longer held after ``to``."""
    with rt.db.transaction() as s:
        row = s.get(Scholarship, scholarship_id, with_for_update=True)
        if row is None:
            raise NotFoundError("Няма такава стипендия.")
        if to < row.date_from:
            raise InvalidInputError({"to": "Крайната дата е преди началната."})
        if row.date_to is not None and row.date_to <= to:
            raise ConflictError(f"Стипендията вече е прекратена към {row.date_to:%d.%m.%Y}.", "to")
        before = row.date_to
        row.date_to = to
        audit.record(s, TABLES, who, "scholarship.end", "scholarship", row.id,
                     before={"to": before.isoformat() if before else None}, after={"to": to.isoformat()})
        return row


def of_student(s: Session, who: Principal, student_id: int) -> list[dict[str, Any]]:
    """The student's scholarships, each with its stops and the month it resumes from."""
    check_may_see_student(s, who, student_id, refuse_it_admin=True)
    stops: dict[int, list[ScholarshipStop]] = {}
    for stop in s.scalars(sa.select(ScholarshipStop).where(ScholarshipStop.student_id == student_id)
                          .order_by(ScholarshipStop.month)):
        stops.setdefault(stop.scholarship_id, []).append(stop)
    return [{"id": row.id, "student_id": row.student_id, "kind": row.kind, "from": row.date_from, "to": row.date_to,
             "article": ARTICLE,
             "stops": [{"month": stop.month, "unexcused_hours": stop.unexcused_hours, "ceased_in": stop.ceased_in,
                        "resumes_from": stop.resumes_from, "lifted_on": stop.lifted_on}
                       for stop in stops.get(row.id, [])]}
            for row in s.scalars(sa.select(Scholarship).where(Scholarship.student_id == student_id)
                                 .order_by(Scholarship.date_from, Scholarship.id))]


def keep_holders(s: Session, rt: ServiceRuntime, found: list, students: dict[int, Any] | None = None) -> list:
    """Drop the scholarship-stop firings of students who held no scholarship in the month; record the others.

    Parameters:
      found: ``(student id, Firing, last day, calendar)`` as :func:`firings.apply_batch` collects them.
      students: the students by id, for the order's name and class (an import passes none: no order then).
    """
    stops = [(sid, f, day) for sid, f, day, _cal in found if f.action.kind is ActionKind.SUSPEND_SCHOLARSHIP]
    if not stops:
        return found
    held: dict[tuple[int, str], Scholarship] = {}
    rows = s.scalars(sa.select(Scholarship).where(Scholarship.student_id.in_({sid for sid, _f, _d in stops}))
                     .order_by(Scholarship.id)).all()
    for sid, _f, day in stops:
        month = month_key(day)
        match = next((r for r in rows if r.student_id == sid and holds_in(month, r.date_from, r.date_to)), None)
        if match is not None:
            held[sid, month] = match
    for sid, firing, day in stops:
        scholarship = held.get((sid, month_key(day)))
        if scholarship is not None:
            _record_stop(s, rt, scholarship, month_key(day), firing.count, (students or {}).get(sid))
    return [entry for entry in found if entry[1].action.kind is not ActionKind.SUSPEND_SCHOLARSHIP
            or (entry[0], month_key(entry[2])) in held]


def _record_stop(s: Session, rt: ServiceRuntime, scholarship: Scholarship, month: str, count: float,
                 student: Any) -> None:
    exists = s.scalar(sa.select(ScholarshipStop.id).where(ScholarshipStop.student_id == scholarship.student_id,
                                                          ScholarshipStop.month == month))
    if exists is not None:
        return
    stop = ScholarshipStop(student_id=scholarship.student_id, scholarship_id=scholarship.id, month=month,
                           unexcused_hours=count)
    s.add(stop)
    s.flush()
    if student is None:
        return
    # The director's order (спец. O3): student, month, ground; resumption as the article says.
    stop.order_message_id = rt.publish(s, "documents.document_requested", {
        "template": STOP_TEMPLATE, "student_id": scholarship.student_id,
        "reason": f"{ARTICLE}: {int(count)} учебни часа без уважителни причини през {month[5:]}.{month[:4]} г.",
        "context": {"student": {"name": student.full_name, "class_name": student.class_code},
                    "scholarship": scholarship.kind, "month": f"{month}-01", "unexcused_hours": int(count),
                    "control_by": CONTROL_BY}})


def _below_ground(pack: RulePack, half_hours: int) -> bool:
    """The month's unexcused total no longer reaches any threshold of the scholarship rule(s)."""
    absences = UnexcusedTotal(half_hours).absences
    rules = [rule for rule in pack.rules
             if rule.action.kind is ActionKind.SUSPEND_SCHOLARSHIP and isinstance(rule.condition, CounterCondition)]
    return bool(rules) and not any(rule.condition.comparison.holds(absences, threshold)
                                   for rule in rules for threshold in rule.condition.thresholds)


def lift_stops(s: Session, rt: ServiceRuntime, lowered: dict[tuple[int, str], int], students: dict[int, Any]) -> int:
    """Lift the stops whose month fell below the threshold; returns how many (see the module's docstring).

    Parameters:
      lowered: ``{(student id, "YYYY-MM"): the month's unexcused total in half-hours}`` after a change down.
      students: the students by id, for the correcting order's name and class.
    """
    pack: RulePack = rt.components.rule_pack
    candidates = {key for key, total in lowered.items() if _below_ground(pack, total)}
    if not candidates:
        return 0
    stops = s.scalars(sa.select(ScholarshipStop).where(
        ScholarshipStop.student_id.in_({sid for sid, _month in candidates}), ScholarshipStop.lifted_on.is_(None))
        .with_for_update()).all()
    today = rt.clock.today()
    lifted_count = 0
    for stop in stops:
        if (stop.student_id, stop.month) not in candidates:
            continue
        in_force = stop.resumes_from is None
        stop.lifted_on = today
        if in_force:
            stop.ceased_in, stop.resumes_from = lifted(stop.month, today)
        hours = UnexcusedTotal(lowered[stop.student_id, stop.month]).absences
        audit.record(s, TABLES, SYSTEM, "scholarship_stop.lift", "scholarship_stop", stop.id,
                     before={"month": stop.month, "unexcused_hours": stop.unexcused_hours},
                     after={"month": stop.month, "lifted_on": today.isoformat(), "resumes_from": stop.resumes_from,
                            "unexcused_hours": hours, "article": ARTICLE})
        student = students.get(stop.student_id)
        if in_force and stop.order_message_id is not None and student is not None:
            scholarship = s.get(Scholarship, stop.scholarship_id)
            rt.publish(s, "documents.document_requested", {
                "template": LIFT_TEMPLATE, "student_id": stop.student_id,
                "reason": f"{ARTICLE}: основанието за спиране за {stop.month[5:]}.{stop.month[:4]} г. отпадна "
                          f"на {today:%d.%m.%Y} г. (извинени отсъствия)",
                "context": {"student": {"name": student.full_name, "class_name": student.class_code},
                            "scholarship": scholarship.kind, "month": f"{stop.month}-01", "unexcused_hours": hours,
                            "lifted_on": today.isoformat(), "resumes_from": f"{stop.resumes_from}-01",
                            "control_by": CONTROL_BY}})
        lifted_count += 1
    if lifted_count:
        s.flush()
        _recompute(s, {stop.student_id for stop in stops if stop.lifted_on == today}, month_key(today))
    return lifted_count


def _recompute(s: Session, student_ids: set[int], current: str) -> None:
    """The resumption of the students' stops still standing, with the lifted months no ground any more."""
    standing = s.scalars(sa.select(ScholarshipStop).where(
        ScholarshipStop.student_id.in_(student_ids), ScholarshipStop.lifted_on.is_(None))).all()
    months: dict[int, set[str]] = {}
    for stop in standing:
        months.setdefault(stop.student_id, set()).add(stop.month)
    for stop in standing:
        found = resumption(stop.month, months[stop.student_id], current)
        if found is not None and found != (stop.ceased_in, stop.resumes_from):
            before = {"ceased_in": stop.ceased_in, "resumes_from": stop.resumes_from}
            stop.ceased_in, stop.resumes_from = found
            audit.record(s, TABLES, SYSTEM, "scholarship_stop.resumption", "scholarship_stop", stop.id,
                         before=before, after={"ceased_in": found[0], "resumes_from": found[1], "article": ARTICLE})


def fill_resumptions(rt: ServiceRuntime) -> int:
    """Sweep: the month each stop's ground ceased and the month the scholarship resumes from; safe to rerun."""
    current = month_key(rt.clock.today())
    filled = 0
    with rt.db.transaction() as s:
        open_stops = s.scalars(sa.select(ScholarshipStop).where(ScholarshipStop.resumes_from.is_(None))
                               .with_for_update()).all()
        if not open_stops:
            return 0
        months: dict[int, set[str]] = {}
        for sid, month in s.execute(sa.select(ScholarshipStop.student_id, ScholarshipStop.month).where(
                ScholarshipStop.student_id.in_({stop.student_id for stop in open_stops}),
                ScholarshipStop.lifted_on.is_(None))):  # a lifted month is no ground
            months.setdefault(sid, set()).add(month)
        for stop in open_stops:
            found = resumption(stop.month, months[stop.student_id], current)
            if found is not None:
                stop.ceased_in, stop.resumes_from = found
                filled += 1
    return filled
