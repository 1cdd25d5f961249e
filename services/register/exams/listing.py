"""The exams of a school year as the office reads them: commission, students, results, protocol."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.register.exams.protocols import grade_shown, staff_names
from services.register.exams.rules.exams import ExamKind
from services.register.models.exams import Exam, ExamCandidate
from services.register.models.people import Student


def exam_data(exam: Exam, candidates: list[ExamCandidate], students: dict[int, str],
              people: dict[int, str]) -> dict[str, Any]:
    kind = ExamKind(exam.kind)
    return {
        "id": exam.id, "kind": kind.value, "kind_name": kind.name_bg, "article": kind.article,
        "school_year": exam.school_year, "class_code": exam.class_code, "subject": exam.subject,
        "term": exam.term, "session": exam.session, "date": exam.date.isoformat(),
        "pc_decision": exam.pc_decision, "status": exam.status,
        "chair": {"id": exam.chair_id, "name": people.get(exam.chair_id, "")},
        "members": [{"id": m, "name": people.get(m, "")} for m in exam.member_ids],
        "students": [{"student_id": c.student_id, "name": students.get(c.student_id, ""), "value": c.value,
                      "absent": c.absent, "result": grade_shown(c) or None, "outcome": c.outcome or None,
                      "outcome_text": c.outcome_text or None} for c in candidates],
        "protocol_document_id": exam.protocol_document_id,
        "protocol_requested": exam.protocol_message_id is not None,
    }


def exams_of_year(session: Session, school_year: str, *, student_id: int | None = None) -> list[dict[str, Any]]:
    """Every exam of the year by date, or only those a student sits."""
    query = sa.select(Exam).where(Exam.school_year == school_year).order_by(Exam.date, Exam.id)
    if student_id is not None:
        query = query.where(Exam.id.in_(sa.select(ExamCandidate.exam_id).where(ExamCandidate.student_id == student_id)))
    exams = list(session.scalars(query))
    if not exams:
        return []
    candidates: dict[int, list[ExamCandidate]] = {}
    for c in session.scalars(sa.select(ExamCandidate).where(ExamCandidate.exam_id.in_([e.id for e in exams]))
                             .order_by(ExamCandidate.id)):
        candidates.setdefault(c.exam_id, []).append(c)
    ids = {c.student_id for rows in candidates.values() for c in rows}
    students = {s.id: s.full_name for s in session.scalars(sa.select(Student).where(Student.id.in_(ids)))}
    people = staff_names(session, sorted({p for e in exams for p in (e.chair_id, *e.member_ids)}))
    return [exam_data(e, candidates.get(e.id, []), students, people) for e in exams]


def exam_one(session: Session, exam: Exam) -> dict[str, Any]:
    candidates = list(session.scalars(sa.select(ExamCandidate).where(ExamCandidate.exam_id == exam.id)
                                      .order_by(ExamCandidate.id)))
    students = {s.id: s.full_name for s in session.scalars(sa.select(Student).where(
        Student.id.in_([c.student_id for c in candidates])))}
    return exam_data(exam, candidates, students, staff_names(session, [exam.chair_id, *exam.member_ids]))


def outcomes_of(session: Session, school_year: str, student_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Each student's exam outcomes of the year, for the class's results (Чл. 137, ал. 4; Чл. 143, ал. 9)."""
    rows = session.execute(sa.select(ExamCandidate, Exam).join(Exam, Exam.id == ExamCandidate.exam_id).where(
        Exam.school_year == school_year, ExamCandidate.student_id.in_(student_ids), ExamCandidate.outcome != "")
        .order_by(Exam.date, Exam.id)).all()
    found: dict[int, list[dict[str, Any]]] = {}
    for candidate, exam in rows:
        found.setdefault(candidate.student_id, []).append({
            "exam_id": exam.id, "kind": exam.kind, "subject": exam.subject, "date": exam.date.isoformat(),
            "outcome": candidate.outcome, "text": candidate.outcome_text})
    return found
