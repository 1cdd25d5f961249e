"""What the register puts on a person's home page (начална страница), by role.

A teacher's classes with today's lessons; the class teacher's class with the students past a
rule's threshold; a parent's children with their absence totals and latest grades; the office's
monthly files to hand in; the director's pending permissions and reviews for deregistration. Each is a fixed
number of queries whatever the number of classes, students or grades, so the home page stays fast
for the school's largest class.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.register.absences.rules.rulepack import ActionKind, RulePack
from services.register.absences.summaries import firings
from services.register.exports.monthly import previous_month
from services.register.models.absences import Absence, DeregistrationReviewEnd, DirectorPermission, RuleFiring
from services.register.models.exports import MonthlyExport
from services.register.models.people import Assignment, SchoolClass, Student
from services.register.school.years import calendar_for
from shared.auth.principal import Principal
from shared.auth.roles import TEACHERS


@dataclasses.dataclass
class ClassToday:
    code: str
    #: The caller is this class's class teacher (класен ръководител).
    led: bool
    subjects: list[str]
    #: Lessons of today that already have marks in the register: (lesson, subject), in order.
    recorded: list[tuple[int, str]]
    #: Students past a rule's threshold this school year (class teacher only), in the class list's order.
    flagged: list[Flagged] = dataclasses.field(default_factory=list)


@dataclasses.dataclass(frozen=True)
class Flagged:
    """A student past a threshold: the latest rule that fired, named (the card lists them all), and how many more."""

    student: Student
    title: str
    article: str
    on: dt.date
    more: int


def teacher_home(session: Session, who: Principal, today: dt.date, pack: RulePack) -> dict:
    """The teacher's classes and whether today is a school day; for the class teacher, who needs attention."""
    if who.role not in TEACHERS:
        return {"classes": [], "school_day": False}
    classes = session.scalars(sa.select(SchoolClass).where(
        sa.or_(SchoolClass.code.in_(who.class_codes), SchoolClass.class_teacher_id == who.id))
        .order_by(SchoolClass.grade, SchoolClass.code)).all()
    codes = [c.code for c in classes]
    subjects: dict[str, list[str]] = {}
    for code, subject in session.execute(sa.select(Assignment.class_code, Assignment.subject).where(
            Assignment.teacher_id == who.id, Assignment.class_code.in_(codes)).order_by(Assignment.subject)).all():
        subjects.setdefault(code, []).append(subject)
    recorded: dict[str, list[tuple[int, str]]] = {}
    for code, lesson, subject in session.execute(
            sa.select(Student.class_code, Absence.lesson, Absence.subject)
            .join(Student, Student.id == Absence.student_id)
            .where(Absence.date == today, Student.class_code.in_(codes)).distinct()
            .order_by(Student.class_code, Absence.lesson)).all():
        recorded.setdefault(code, []).append((lesson, subject))
    result = [ClassToday(c.code, c.class_teacher_id == who.id, subjects.get(c.code, []), recorded.get(c.code, []))
              for c in classes]
    calendar = calendar_for(session, today)
    _flag_past_thresholds(session, who, [r for r in result if r.led], pack, calendar.year_start if calendar else None)
    return {"classes": result, "school_day": bool(calendar and calendar.is_school_day(today))}


def _flag_past_thresholds(session: Session, who: Principal, led: list[ClassToday], pack: RulePack,
                          year_start: dt.date | None) -> None:
    """The led classes' students with a rule that fired since ``year_start`` (two queries).

    Each as one line a phone shows whole: the latest firing by its rule's title and article, and how
    many thresholds more; the student's card has them all. Earlier years' firings stay on the card.
    """
    if not led:
        return
    by_code = {c.code: c for c in led}
    students = {s.id: s for s in session.scalars(
        sa.select(Student).where(Student.class_code.in_(list(by_code)), Student.active.is_(True))
        .order_by(Student.last_name, Student.first_name))}
    titles = {rule.id: rule.title for rule in pack.rules}
    fired: dict[int, list] = {}
    for firing in firings(session, who, None, None, pack):  # in the order they fired
        if firing.student_id in students and (year_start is None or firing.counted_to >= year_start):
            fired.setdefault(firing.student_id, []).append(firing)
    for student_id, student in students.items():
        if found := fired.get(student_id):
            latest = found[-1]
            by_code[student.class_code].flagged.append(Flagged(
                student, titles.get(latest.rule_id, latest.rule_id), latest.article, latest.counted_to,
                len(found) - 1))


def office_home(session: Session, today: dt.date) -> dict | None:
    """The month the office hands in now and how far it is: not prepared, prepared, submitted (one query)."""
    month = previous_month(today)
    if month is None:
        return None
    versions = session.execute(sa.select(MonthlyExport.status, MonthlyExport.submitted_on).where(
        MonthlyExport.school_year == month.school_year, MonthlyExport.month == month.month)
        .order_by(MonthlyExport.id.desc())).all()
    submitted = next((v.submitted_on for v in versions if v.submitted_on), None)
    return {"label": month.label, "submit_by": month.submit_by, "prepared": bool(versions),
            "status": versions[0].status if versions else None, "submitted_on": submitted}


def director_home(session: Session, who: Principal) -> dict | None:
    """What waits for the director's decision (two queries, whatever the number of students).

    ``permissions``: the parents' applications for the director's prior permission (Чл. 61, ал. 1,
    т. 4) not yet granted or refused, oldest first, each with its student. ``reviews``: the students on
    the lists whose non-attendance without valid reasons passed two months (the review for
    deregistration, Чл. 25, ал. 4, т. 2, stored by the daily sweep as a firing), with the first day of
    the streak; a review stands until the director decides, as planning's duty does, or until the
    streak is broken (the student came back: ``deregistration_review_ends``).
    """
    if who.role != "director":
        return None
    permissions = session.execute(
        sa.select(DirectorPermission, Student).join(Student, Student.id == DirectorPermission.student_id)
        .where(DirectorPermission.status == "pending", Student.active.is_(True))
        .order_by(DirectorPermission.submitted_on, DirectorPermission.id)).all()
    reviews = session.execute(
        sa.select(Student, sa.func.min(RuleFiring.period).label("since"))
        .join(RuleFiring, RuleFiring.student_id == Student.id)
        .outerjoin(DeregistrationReviewEnd, DeregistrationReviewEnd.firing_id == RuleFiring.id)
        .where(RuleFiring.action == ActionKind.DEREGISTRATION_REVIEW.value, Student.active.is_(True),
               DeregistrationReviewEnd.firing_id.is_(None))
        .group_by(Student.id).order_by(Student.class_code, Student.last_name, Student.first_name)).all()
    return {"permissions": [(p, s) for p, s in permissions],
            "reviews": [(s, dt.date.fromisoformat(since)) for s, since in reviews]}
