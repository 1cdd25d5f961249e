"""The review for deregistration (преглед за отписване, Чл. 25, ал. 4, т. 2), run by a daily sweep.

The sweep builds each active student's streak of unexcused non-attendance from what the register
holds (the lessons held and the absence marks, see :mod:`.rules.nonattendance`) and hands the
streaks to :func:`due_deregistration_reviews`, which applies the rule pack's
``deregistration_review`` (more than two months). Each review found is stored as a firing (its
unique key makes a second run silent), announced as ``register.rule_fired`` (urgent: the director
hears at once) and becomes the director's duty in planning (``procedure.deadline_set``, due in
``SCHOOL_DEREGISTRATION_REVIEW_DAYS``). The decision is :func:`.deregistering.deregister`.

A review stands while its ground does: when the streak it is about is broken before the director
decides (the student came back: a lesson of his class saw him; or the streak's absences were
excused), the same pass ends it (:func:`end_broken_reviews`): the end is stored
(``deregistration_review_ends``, once per review), audited, and the director's duty in planning is
closed with ``procedure.deadline_closed``, the event planning closes every duty with. The review
leaves the director's home card; the firing stays on the student's card, saying why it ended.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.register.absences.rules.evaluator import StudentFiring
from services.register.absences.rules.nonattendance import day_missed, streak_broken_on, streak_since
from services.register.absences.rules.rulepack import ActionKind, NonAttendanceCondition, RulePack
from services.register.absences.rules.scheduled import NonAttendance, due_deregistration_reviews
from services.register.absences.sweep_runs import done_today, mark_run
from services.register.models import TABLES
from services.register.models.absences import Absence, DeregistrationReviewEnd, RuleFiring
from services.register.models.people import Student
from services.register.models.timetable import LessonHeld
from services.register.school.years import calendar_for
from shared import audit
from shared.auth.principal import SYSTEM
from shared.runtime import ServiceRuntime

NAME = "deregistration_reviews"


def review_key(student_id: int, since: str) -> str:
    """The planning key of a review: one per student and streak (a new streak after a return is a new review)."""
    return f"deregistration:{student_id}:{since}"


def streaks(session: Session, start: dt.date, today: dt.date) -> list[NonAttendance]:
    """The streaks of unexcused non-attendance of every active student that last until the latest day recorded."""
    return streaks_of(missed_days(session, start, today))


def streaks_of(missed: dict[int, dict[dt.date, bool]]) -> list[NonAttendance]:
    return [NonAttendance(str(sid), since) for sid, days in sorted(missed.items())
            if (since := streak_since(days)) is not None]


def missed_days(session: Session, start: dt.date, today: dt.date) -> dict[int, dict[dt.date, bool]]:
    """``{student: {day: missed}}`` of every active student ever absent, over the days his class has."""
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
    found = {}
    for sid, code in students.items():
        if sid not in marks:
            continue  # never absent: no streak
        found[sid] = {day: day_missed(*marks[sid].get(day, (set(), set())), recorded[code].get(day, set()))
                      for day in recorded[code]}
    return found


def end_broken_reviews(session: Session, rt: ServiceRuntime, missed: dict[int, dict[dt.date, bool]],
                       start: dt.date, today: dt.date) -> int:
    """End every open review whose streak was broken, once, audited, its duty closed; returns how many.

    Parameters:
      missed: :func:`missed_days` from ``start``, the school year's first day. A student left out has no
        absence since then: a streak of this year a review of his was about is not there any more (his
        marks were corrected away); one of last year stands until a day of this year says otherwise.
    """
    open_reviews = session.execute(
        sa.select(RuleFiring.id, RuleFiring.student_id, RuleFiring.period)
        .join(Student, Student.id == RuleFiring.student_id)
        .outerjoin(DeregistrationReviewEnd, DeregistrationReviewEnd.firing_id == RuleFiring.id)
        .where(RuleFiring.action == ActionKind.DEREGISTRATION_REVIEW.value, Student.active.is_(True),
               DeregistrationReviewEnd.firing_id.is_(None))).all()
    ended = 0
    for firing_id, sid, period in open_reviews:
        since = dt.date.fromisoformat(period)
        days = missed.get(sid)
        if not days and since < start:
            continue
        broken = streak_broken_on(days, since) if days else since
        if broken is None:
            continue
        session.add(DeregistrationReviewEnd(firing_id=firing_id, student_id=sid, broken_on=broken, found_on=today))
        rt.publish(session, "procedure.deadline_closed", {"source": "register", "key": review_key(sid, period),
                                                          "done_on": today.isoformat()})
        audit.record(session, TABLES, SYSTEM, "deregistration_review.end", "student", sid,
                     before={"review_since": period}, after={"returned_on": broken.isoformat(),
                                                             "article": "Чл. 25, ал. 4, т. 2"})
        ended += 1
    return ended


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

    One full pass per school day (it reads the year's absences), the first call of the day; the same
    pass first ends the reviews whose streak was broken (:func:`end_broken_reviews`).
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
            missed = missed_days(s, calendar.year_start, today)
            end_broken_reviews(s, rt, missed, calendar.year_start, today)
            for found in due_deregistration_reviews(pack, today, streaks_of(missed), fired=_fired(s, rule_ids)):
                _announce(s, rt, found, s.get(Student, int(found.student_id)), today)
                announced += 1
        mark_run(s, NAME, today)
    return announced
