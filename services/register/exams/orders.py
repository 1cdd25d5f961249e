"""The orders of the year's end, drawn up by a sweep on the last day of classes of each group of classes
(XII ends earlier, Чл. 143, ал. 5): the correction sessions (O18, Чл. 143, ал. 4–8) and the summer
additional tuition of the students with an annual „слаб (2)“ (O19, Чл. 143, ал. 10).

Each order is asked of documents once per kind, school year and group (:class:`ExamOrderRequest`), so
the sweep is safe to run twice. It asks only within :data:`LATE_DAYS` of the classes' end: a school
that starts using the system in October is not sent last June's orders. The summer tuition order
waits for the first annual „слаб“ of the group; the register keeps every student in the daily form,
so no self-study student is listed (they are excepted by ал. 10).

**Annual „слаб“ formed after the order** (a term-grade exam up to two weeks after the term, Чл. 137,
ал. 4; a grade entered late) must be in the summer tuition too. A signed and numbered order is not
rewritten: as a school office does, the director issues a supplement („допълнение“) to it under a
new number, citing the order's number and listing only the students added, with the subjects not yet
listed (``summer_tuition_supplement_order``). Every order of the group keeps whom it lists
(``ExamOrderRequest.listed``: student and subject), so each addition is listed exactly once, and the
sweep asks a supplement for whatever is new while the tuition lasts (to the day before the next
school year). A supplement waits for documents to answer with the order's number, which it cites.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.register.assessment.grading import YearContext
from services.register.assessment.rules.grades import GradeValue
from services.register.exams import years
from services.register.models.assessment import ResultGrade
from services.register.models.exams import Exam, ExamCandidate, ExamOrderRequest
from services.register.models.people import SchoolClass, Student
from services.register.school.years import calendar_of, year_containing
from shared.runtime import ServiceRuntime

#: Days after the classes' end during which a missing order is still asked for (the first session's two weeks).
LATE_DAYS = 14
SESSIONS_ORDER = "correction_sessions_order"
TUITION_ORDER = "summer_tuition_order"
TUITION_SUPPLEMENT = "summer_tuition_supplement_order"
#: The director's duty in planning: every student with an annual „слаб“ of the group gets a correction
#: exam (date and commission) before the first session starts, "по ред, определен със заповед на
#: директора" (Чл. 143, ал. 4–5); closed by the sweep once each of them has one.
EXAMS_DUTY = "correction_exams_duty"
DUTY_ARTICLE = "Чл. 143, ал. 4–5"
_ROMAN = {8: "VIII", 9: "IX", 10: "X", 11: "XI", 12: "XII"}


def _label(grades: list[int]) -> str:
    first, last = _ROMAN.get(min(grades), str(min(grades))), _ROMAN.get(max(grades), str(max(grades)))
    return first if first == last else f"{first}–{last}"


def groups(session: Session, year: YearContext) -> dict[dt.date, list[int]]:
    """The school's grades grouped by their last day of classes."""
    found: dict[dt.date, list[int]] = defaultdict(list)
    for grade in sorted(set(session.scalars(sa.select(SchoolClass.grade)))):
        found[year.calendar.classes_end_of(grade)].append(grade)
    return dict(found)


def _asked(session: Session, kind: str, school_year: str, scope: str) -> bool:
    return session.scalar(sa.select(ExamOrderRequest.id).where(
        ExamOrderRequest.kind == kind, ExamOrderRequest.school_year == school_year,
        ExamOrderRequest.scope == scope)) is not None


def _ask(rt: ServiceRuntime, session: Session, kind: str, school_year: str, scope: str, context: dict,
         reason: str, listed: list | None = None) -> None:
    message_id = rt.publish(session, "documents.document_requested",
                            {"template": kind, "context": context, "reason": reason})
    session.add(ExamOrderRequest(kind=kind, school_year=school_year, scope=scope, message_id=message_id,
                                 requested_on=rt.clock.today(), listed=listed))


def _poor_rows(session: Session, school_year: str, grades: list[int]) -> list[tuple[int, str, str]]:
    """``(student, subject, class)`` of every annual „слаб“ of the group, by class and subject."""
    return [tuple(row) for row in session.execute(
        sa.select(ResultGrade.student_id, ResultGrade.subject, ResultGrade.class_code).where(
            ResultGrade.school_year == school_year, ResultGrade.period == "annual",
            ResultGrade.value == int(GradeValue.POOR), ResultGrade.grade_level.in_(grades)).order_by(
            ResultGrade.class_code, ResultGrade.subject))]


def listed(session: Session, school_year: str, scope: str) -> set[tuple[int, str]]:
    """``(student, subject)`` pairs the group's summer tuition order and its supplements list.

    An order asked before the orders kept their lists (``listed`` empty) listed every annual „слаб“
    formed by the day it was asked.
    """
    found: set[tuple[int, str]] = set()
    for row in session.scalars(sa.select(ExamOrderRequest).where(
            ExamOrderRequest.kind.in_((TUITION_ORDER, TUITION_SUPPLEMENT)), ExamOrderRequest.school_year == school_year,
            sa.or_(ExamOrderRequest.scope == scope, ExamOrderRequest.scope.startswith(f"{scope}+")))):
        if row.listed is not None:
            found.update((int(sid), subject) for sid, subject in row.listed)
        else:
            found.update((sid, subject) for sid, subject in session.execute(
                sa.select(ResultGrade.student_id, ResultGrade.subject).where(
                    ResultGrade.school_year == school_year, ResultGrade.period == "annual",
                    ResultGrade.value == int(GradeValue.POOR), ResultGrade.formed_on <= row.requested_on)))
    return found


def _tuition_students(session: Session, rows: list[tuple[int, str, str]]) -> list[dict]:
    subjects: dict[int, list[str]] = defaultdict(list)
    classes = {}
    for student_id, subject, class_code in rows:
        subjects[student_id].append(subject)
        classes[student_id] = class_code
    names = {s.id: s.full_name for s in session.scalars(sa.select(Student).where(Student.id.in_(list(subjects))))}
    return sorted(({"name": names[i], "class_name": classes[i], "subjects": ", ".join(subjects[i])}
                   for i in subjects), key=lambda r: (r["class_name"], r["name"]))


def _tuition_orders(rt: ServiceRuntime, session: Session, row, scope: str, label: str, classes_end: dt.date,
                    grades: list[int], *, may_ask_first: bool) -> int:
    """Ask the group's O19 once there is an annual „слаб“, then a supplement for those added after it."""
    today = rt.clock.today()
    tuition_end = years.next_year_start(session, row) - dt.timedelta(days=1)
    rows = _poor_rows(session, row.name, grades)
    # Locked: two passes at once wait for each other, so the second sees the first's supplement.
    first = session.scalar(sa.select(ExamOrderRequest).where(
        ExamOrderRequest.kind == TUITION_ORDER, ExamOrderRequest.school_year == row.name,
        ExamOrderRequest.scope == scope).with_for_update())
    if first is None:
        if not rows or not may_ask_first:
            return 0
        _ask(rt, session, TUITION_ORDER, row.name, scope, {
            "school_year": row.name, "students": _tuition_students(session, rows),
            "start_on": (classes_end + dt.timedelta(days=1)).isoformat(), "end_on": tuition_end.isoformat()},
             f"Лятно допълнително обучение за {label} клас, {row.name} (Чл. 143, ал. 10)",
             listed=[[sid, subject] for sid, subject, _code in rows])
        return 1
    if first.number is None or not classes_end <= today <= tuition_end:
        return 0
    already = listed(session, row.name, scope)
    added = [r for r in rows if (r[0], r[1]) not in already]
    if not added:
        return 0
    supplements = session.scalar(sa.select(sa.func.count()).select_from(ExamOrderRequest).where(
        ExamOrderRequest.kind == TUITION_SUPPLEMENT, ExamOrderRequest.school_year == row.name,
        ExamOrderRequest.scope.startswith(f"{scope}+")))
    _ask(rt, session, TUITION_SUPPLEMENT, row.name, f"{scope}+{supplements + 1}", {
        "school_year": row.name, "students": _tuition_students(session, added), "supplements": first.number,
        "start_on": max(today, classes_end + dt.timedelta(days=1)).isoformat(), "end_on": tuition_end.isoformat()},
         f"Допълнение на заповед № {first.number} за лятното допълнително обучение за {label} клас, {row.name} "
         f"(Чл. 143, ал. 10)", listed=[[sid, subject] for sid, subject, _code in added])
    return 1


def _poor_students(session: Session, school_year: str, grades: list[int]) -> set[int]:
    return set(session.scalars(sa.select(ResultGrade.student_id).where(
        ResultGrade.school_year == school_year, ResultGrade.period == "annual",
        ResultGrade.value == int(GradeValue.POOR), ResultGrade.grade_level.in_(grades))))


def _duty_key(school_year: str, scope: str) -> str:
    return f"{EXAMS_DUTY}:{school_year}:{scope}"


def _correction_duty(rt: ServiceRuntime, session: Session, school_year: str, scope: str, label: str,
                     grades: list[int], sessions, *, may_set: bool = True) -> int:
    """Set the director's duty once there are students to examine; close it once each has an exam."""
    poor = _poor_students(session, school_year, grades)
    duty = session.scalar(sa.select(ExamOrderRequest).where(
        ExamOrderRequest.kind == EXAMS_DUTY, ExamOrderRequest.school_year == school_year,
        ExamOrderRequest.scope == scope))
    if duty is None and poor and may_set:
        first = sessions[0]
        message_id = rt.publish(session, "procedure.deadline_set", {
            "source": "register", "key": _duty_key(school_year, scope),
            "title": f"Поправителни изпити на {label} клас: насрочете изпитите и комисиите за "
                     f"{first.name_bg.lower()} (от {first.start:%d.%m.%Y} до {first.end:%d.%m.%Y})",
            "due": (first.start - dt.timedelta(days=1)).isoformat(), "responsible_roles": ["director"],
            "article": DUTY_ARTICLE, "details": {"school_year": school_year, "grades": grades}})
        session.add(ExamOrderRequest(kind=EXAMS_DUTY, school_year=school_year, scope=scope, message_id=message_id,
                                     requested_on=rt.clock.today()))
        return 1
    if duty is None or duty.closed_on is not None:
        return 0
    examined = set(session.scalars(sa.select(ExamCandidate.student_id).join(Exam, Exam.id == ExamCandidate.exam_id)
                                   .where(Exam.kind == "correction", Exam.school_year == school_year)))
    if poor - examined:
        return 0
    duty.closed_on = rt.clock.today()
    rt.publish(session, "procedure.deadline_closed", {"source": "register", "key": _duty_key(school_year, scope),
                                                      "done_on": duty.closed_on.isoformat()})
    return 1


def ask_year_end_orders(rt: ServiceRuntime) -> int:
    """Sweep: ask documents for the O18 and O19 orders of each group whose classes have ended; returns how many."""
    today = rt.clock.today()
    asked = 0
    with rt.db.transaction() as s:
        row = year_containing(s, today)
        if row is None:
            return 0
        year = YearContext(row, calendar_of(row))
        for classes_end, grades in groups(s, year).items():
            scope, label = "-".join(map(str, grades)), _label(grades)
            sessions = years.sessions_of(s, year, max(grades))
            if not classes_end <= today <= classes_end + dt.timedelta(days=LATE_DAYS):
                asked += _correction_duty(rt, s, row.name, scope, label, grades, sessions, may_set=False)
                if classes_end <= today:  # the supplements, while the summer tuition lasts
                    asked += _tuition_orders(rt, s, row, scope, label, classes_end, grades, may_ask_first=False)
                continue
            if not _asked(s, SESSIONS_ORDER, row.name, scope):
                _ask(rt, s, SESSIONS_ORDER, row.name, scope, {
                    "school_year": row.name, "classes": label, "classes_end": classes_end.isoformat(),
                    "sessions": [{"name": w.name_bg, "start_on": w.start.isoformat(), "end_on": w.end.isoformat(),
                                  "article": w.article} for w in sessions]},
                     f"Поправителни сесии за {label} клас, {row.name} (Чл. 143, ал. 4–8)")
                asked += 1
            asked += _correction_duty(rt, s, row.name, scope, label, grades, sessions)
            asked += _tuition_orders(rt, s, row, scope, label, classes_end, grades, may_ask_first=True)
    return asked
