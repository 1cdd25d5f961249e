"""Scheduling an exam (насрочване на изпит): its date inside the windows of the rules, its commission
and the students who may sit it (Чл. 126, ал. 1; Чл. 137, ал. 1–2, 4, 6; Чл. 143, ал. 1, 4–8).

Each refusal is a 422 naming its field and article; nothing is stored unless all of it holds.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.register.assessment.grading import YearContext, messages, subject_assignments
from services.register.assessment.rules.grades import GradeValue
from services.register.assessment.term_results import term_exam_list
from services.register.exams import years
from services.register.exams.rules.exams import (
    CORRECTION_ARTICLE,
    TERM_EXAM_ARTICLE,
    ExamKind,
    Outcome,
    check_commission,
    check_correction_date,
    check_term_exam_date,
    session_of,
)
from services.register.models import TABLES
from services.register.models.assessment import ResultGrade
from services.register.models.exams import Exam, ExamCandidate
from services.register.models.people import SchoolClass, Student, User
from shared import audit
from shared.auth.principal import Principal
from shared.errors import InvalidInputError
from shared.runtime import ServiceRuntime

#: Roles of the people who may sit in a commission: the school's pedagogical staff and management.
COMMISSION_ROLES = ("director", "deputy_director", "class_teacher", "teacher", "psychologist")


def staff_ids(session: Session) -> set[int]:
    return set(session.scalars(sa.select(User.id).where(User.role.in_(COMMISSION_ROLES), User.active.is_(True))))


def _class_or_422(session: Session, code: str) -> SchoolClass:
    found = session.scalar(sa.select(SchoolClass).where(SchoolClass.code == code))
    if found is None:
        raise InvalidInputError({"class_code": f"Няма паралелка {code}."})
    return found


def _students(session: Session, class_code: str, ids: list[int]) -> list[Student]:
    if not ids or len(set(ids)) != len(ids):
        raise InvalidInputError({"student_ids": "Посочете поне един ученик, всеки веднъж."})
    rows = {s.id: s for s in session.scalars(sa.select(Student).where(Student.id.in_(ids)))}
    strangers = [i for i in ids if i not in rows or rows[i].class_code != class_code or not rows[i].active]
    if strangers:
        raise InvalidInputError({"student_ids": f"Не са ученици от паралелка {class_code}: "
                                                + ", ".join(map(str, strangers)) + "."})
    return [rows[i] for i in ids]


def _pending(session: Session, kind: ExamKind, subject: str, school_year: str, term: int | None) -> set[int]:
    """Students already waiting for an exam of this kind and subject (no result yet)."""
    query = (sa.select(ExamCandidate.student_id).join(Exam, Exam.id == ExamCandidate.exam_id).where(
        Exam.kind == kind.value, Exam.subject == subject, Exam.school_year == school_year,
        ExamCandidate.value.is_(None), ExamCandidate.absent.is_(False)))
    if term is not None:
        query = query.where(Exam.term == term)
    return set(session.scalars(query))


def _term_year(s: Session, rt: ServiceRuntime, data: dict[str, Any], grade: int) -> YearContext:
    if data.get("term") is None:
        raise InvalidInputError({"term": f"Посочете срока, за който е изпитът ({TERM_EXAM_ARTICLE})."})
    found = []
    for year in years.recent_years(s, data["date"]):
        window = years.term_window(year, grade, data["term"], rt.settings, pc_decision=bool(data["pc_decision"]))
        broken = check_term_exam_date(data["date"], window)
        if not broken:
            return year
        found.extend(broken)
    raise InvalidInputError({"date": messages(found) or "Няма въведена учебна година за тази дата."})


def _check_term_students(s: Session, students: list[Student], data: dict[str, Any], year: YearContext) -> None:
    """Only students who cannot get the term grade by current grades sit the exam (Чл. 137, ал. 1–2)."""
    listed = {row["student_id"] for row in term_exam_list(s, data["class_code"], data["term"],
                                                          year.for_class(s, data["class_code"]))
              if row["subject"] == data["subject"]}
    graded = set(s.scalars(sa.select(ResultGrade.student_id).where(
        ResultGrade.subject == data["subject"], ResultGrade.school_year == year.row.name,
        ResultGrade.period == str(data["term"]))))
    given_up = set(s.scalars(sa.select(ExamCandidate.student_id).join(Exam, Exam.id == ExamCandidate.exam_id).where(
        Exam.subject == data["subject"], Exam.term == data["term"], Exam.school_year == year.row.name,
        ExamCandidate.outcome == Outcome.ANNUAL_EXAM.value)))
    refused = [st.full_name for st in students if st.id not in listed or st.id in graded or st.id in given_up]
    if refused:
        raise InvalidInputError({"student_ids": (
            f"Изпит за срочна оценка по {data['subject']} полагат само учениците без срочна оценка, които нямат "
            f"минималния брой текущи оценки или са отсъствали над 25 % от часовете ({TERM_EXAM_ARTICLE}); "
            f"не отговарят: {', '.join(refused)}.")})


def _correction_year(s: Session, data: dict[str, Any], grade: int) -> tuple[YearContext, str]:
    found = []
    for year in years.recent_years(s, data["date"]):
        sessions = years.sessions_of(s, year, grade)
        broken = check_correction_date(data["date"], sessions)
        if not broken:
            return year, session_of(data["date"], sessions).name_bg
        found.extend(broken)
    raise InvalidInputError({"date": messages(found) or "Няма въведена учебна година за тази дата."})


def _check_correction_students(s: Session, students: list[Student], subject: str, year: YearContext) -> None:
    """A correction exam only for an annual „слаб (2)“ in the subject (Чл. 143, ал. 1)."""
    poor = set(s.scalars(sa.select(ResultGrade.student_id).where(
        ResultGrade.subject == subject, ResultGrade.school_year == year.row.name, ResultGrade.period == "annual",
        ResultGrade.value == int(GradeValue.POOR))))
    refused = [st.full_name for st in students if st.id not in poor]
    if refused:
        raise InvalidInputError({"student_ids": (
            f"Поправителен изпит по {subject} полагат само учениците с годишна оценка „слаб (2)“ за "
            f"{year.row.name} ({CORRECTION_ARTICLE}); не отговарят: {', '.join(refused)}.")})


def schedule_exam(rt: ServiceRuntime, who: Principal, data: dict[str, Any]) -> int:
    """Schedule an exam with its commission and students; returns its id."""
    kind = ExamKind(data["kind"])
    with rt.db.transaction() as s:
        school_class = _class_or_422(s, data["class_code"])
        if not subject_assignments(s, school_class.code, data["subject"]):
            raise InvalidInputError(
                {"subject": f"Предметът „{data['subject']}“ не се преподава в паралелка {school_class.code}."})
        staff = staff_ids(s)
        broken = check_commission(data["chair_id"], data["member_ids"], staff)
        if broken:
            raise InvalidInputError({"chair_id" if data["chair_id"] not in staff else "member_ids": messages(broken)})
        students = _students(s, school_class.code, data["student_ids"])
        session_name = ""
        if kind is ExamKind.TERM_GRADE:
            year = _term_year(s, rt, data, school_class.grade)
            _check_term_students(s, students, data, year)
        else:
            year, session_name = _correction_year(s, data, school_class.grade)
            _check_correction_students(s, students, data["subject"], year)
        waiting = _pending(s, kind, data["subject"], year.row.name, data.get("term") if kind is ExamKind.TERM_GRADE
                           else None) & {st.id for st in students}
        if waiting:
            raise InvalidInputError({"student_ids": "Вече е насрочен изпит без резултат по този предмет за: "
                                     + ", ".join(st.full_name for st in students if st.id in waiting) + "."})
        exam = Exam(kind=kind.value, school_year=year.row.name, class_code=school_class.code,
                    grade_level=school_class.grade, subject=data["subject"],
                    term=data.get("term") if kind is ExamKind.TERM_GRADE else None, session=session_name,
                    date=data["date"], chair_id=data["chair_id"], member_ids=list(data["member_ids"]),
                    pc_decision=data["pc_decision"], scheduled_by=who.id)
        s.add(exam)
        s.flush()
        s.add_all(ExamCandidate(exam_id=exam.id, student_id=st.id) for st in students)
        audit.record(s, TABLES, who, "exam.schedule", "exam", exam.id,
                     after={**data, "date": data["date"].isoformat(), "school_year": year.row.name})
        return exam.id
