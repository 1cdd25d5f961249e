"""The review for deregistration (преглед за отписване, Чл. 25, ал. 4, т. 2), run by a daily sweep.

The sweep builds each active student's streak of unexcused non-attendance from what the register
holds (the lessons held and the absence marks, see :mod:`.rules.nonattendance`) and hands the
streaks to :func:`due_deregistration_reviews`, which applies the rule pack's
``deregistration_review`` (more than two months). Each review found is stored as a firing (its
unique key makes a second run silent), announced as ``register.rule_fired`` (urgent: the director
hears at once) and becomes the director's duty in planning (``procedure.deadline_set``, due in
``SCHOOL_DEREGISTRATION_REVIEW_DAYS``). The decision is :func:`.deregistering.deregister`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.register.absences.rules.evaluator import StudentFiring
from services.register.absences.rules.nonattendance import day_missed, streak_since
from services.register.absences.rules.rulepack import NonAttendanceCondition, RulePack
from services.register.absences.rules.scheduled import NonAttendance, due_deregistration_reviews
from services.register.absences.sweep_runs import done_today, mark_run
from services.register.models.absences import Absence, RuleFiring
from services.register.models.people import Student
from services.register.models.timetable import LessonHeld
from services.register.school.years import calendar_for
from shared.runtime import ServiceRuntime

NAME = "deregistration_reviews"


def review_key(student_id: int, since: str) -> str:
    """The planning key of a review: one per student and streak (a new streak after a return is a new review)."""
    return f"deregistration:{student_id}:{since}"


def streaks(session: Session, start: dt.date, today: dt.date) -> list[NonAttendance]:
    """The streaks of unexcused non-attendance of every active student that last until the latest day recorded."""
    students: dict[int, str] = {sid: code for sid, code in session.execute(  # noqa: C416 (rows, not pairs)
        sa.select(Student.id, Student.class_code).where(Student.active.is_(True)))}
    #: ``{class: {day: lessons recorded}}``: recorded with nobody absent, or with someone's mark.
    recorded: dict[str, dict[dt.date, set[int]]] = defaultdict(lambda: defaultdict(set))
    for code, day, lesson in session.execute(sa.select(LessonHeld.class_code, LessonHeld.date, LessonHeld.lesson)
                                             .where(LessonHeld.date >= start, LessonHeld.date <= today)):
        recorded[code][day].add(lesson)
    #: ``{student: {day: (unexcused lessons, other marked lessons)}}``
    marks: dict[int, dict[dt.date, tuple[set[int], set[int]]]] = defaultdict(
        lambda: defaultdict(lambda: (set(), set())))
    for sid, day, lesson, kind in session.execute(
            sa.select(Absence.student_id, Absence.date, Absence.lesson, Absence.kind)
            .where(Absence.date >= start, Absence.date <= today)):
        if sid not in students:
            continue
        marks[sid][day][0 if kind == "unexcused" else 1].add(lesson)
        recorded[students[sid]][day].add(lesson)  # a lesson someone was marked in was recorded, too
    found = []
    for sid, code in sorted(students.items()):
        if sid not in marks:
            continue  # never absent: no streak
        days = set(recorded[code])
        missed = {day: day_missed(*marks[sid].get(day, (set(), set())), recorded[code].get(day, set())) for day in days}
        since = streak_since(missed)
        if since is not None:
            found.append(NonAttendance(str(sid), since))
    return found


def _fired(session: Session, rule_ids: list[str]) -> dict[str, set]:
    fired: dict[str, set] = {}
    for sid, rule_id, threshold, period in session.execute(
            sa.select(RuleFiring.student_id, RuleFiring.rule_id, RuleFiring.threshold, RuleFiring.period)
            .where(RuleFiring.rule_id.in_(rule_ids))):
        fired.setdefault(str(sid), set()).add((rule_id, threshold, period))
    return fired


def _announce(session: Session, rt: ServiceRuntime, found: StudentFiring, student: Student, today: dt.date) -> None:
    pack: RulePack = rt.components.rule_pack
    firing = found.firing
    rule = pack.rule(firing.rule_id)
    event_id = str(uuid.uuid4())
    row = RuleFiring(student_id=student.id, rule_id=firing.rule_id, article=firing.article,
                     action=str(firing.action.kind), threshold=firing.threshold, count=firing.count,
                     period=firing.period_key, message=firing.message, counted_to=today, event_id=event_id)
    session.add(row)
    session.flush()
    since = dt.date.fromisoformat(firing.period_key)
    rt.publish(session, "register.rule_fired", {
        "firing_id": row.id, "student_id": student.id, "student_name": student.full_name,
        "class_code": student.class_code, "rule_id": firing.rule_id, "article": firing.article,
        "action": str(firing.action.kind), "threshold": firing.threshold, "count": firing.count,
        "period": firing.period_key, "urgent": True,
        "details": {"message": firing.message, "title": rule.title, "recipients": list(rule.action.recipients),
                    "period_label": f"от {since:%d.%m.%Y} до {today:%d.%m.%Y}", "sanctions": [],
                    "period_from": since.isoformat(), "period_to": today.isoformat()}}, event_id)
    due = today + dt.timedelta(days=rt.settings.deregistration_review_days)
    rt.publish(session, "procedure.deadline_set", {
        "source": "register", "key": review_key(student.id, firing.period_key),
        "title": f"Преглед за отписване на {student.full_name}, {student.class_code} клас: не посещава училище "
                 f"по неуважителни причини от {since:%d.%m.%Y} г. (повече от два месеца)",
        "due": due.isoformat(), "responsible_roles": ["director"], "article": firing.article,
        "student_id": student.id,
        "details": {"class_code": student.class_code, "since": since.isoformat(), "days": firing.count}})


def review_due(rt: ServiceRuntime) -> int:
    """Sweep: every streak past the rule pack's limit becomes the director's review, once; returns how many.

    One full pass per school day (it reads the year's absences), the first call of the day.
    """
    today = rt.clock.today()
    pack: RulePack = rt.components.rule_pack
    rule_ids = [r.id for r in pack.rules if isinstance(r.condition, NonAttendanceCondition)]
    announced = 0
    with rt.db.transaction() as s:
        if done_today(s, NAME, today):
            mark_run(s, NAME)
            return 0
        calendar = calendar_for(s, today)
        if calendar is not None and rule_ids:
            for found in due_deregistration_reviews(pack, today, streaks(s, calendar.year_start, today),
                                                    fired=_fired(s, rule_ids)):
                _announce(s, rt, found, s.get(Student, int(found.student_id)), today)
                announced += 1
        mark_run(s, NAME, today)
    return announced
