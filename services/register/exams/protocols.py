"""The exam's protocol (протокол от изпит), asked of documents when the last result is entered: the
commission, each student's grade and what it means (Чл. 126, ал. 1; Чл. 137; Чл. 143)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.register.assessment.rules.grades import GradeValue
from services.register.exams.rules.exams import ExamKind
from services.register.models.exams import Exam, ExamCandidate
from services.register.models.people import User
from shared.runtime import ServiceRuntime

#: The documents template of each kind's protocol.
TEMPLATES = {ExamKind.TERM_GRADE: "term_exam_protocol", ExamKind.CORRECTION: "correction_exam_protocol"}
ABSENT = "не се явил"


def staff_names(session: Session, ids: list[int]) -> dict[int, str]:
    return {row.id: row.name for row in session.execute(sa.select(User.id, User.name).where(User.id.in_(ids)))}


def grade_shown(candidate: ExamCandidate) -> str:
    if candidate.absent:
        return ABSENT
    return GradeValue(candidate.value).display if candidate.value is not None else ""


def context(session: Session, exam: Exam, candidates: list[ExamCandidate], names: dict[int, str]) -> dict[str, Any]:
    """What the protocol prints; the letterhead is added by documents."""
    people = staff_names(session, [exam.chair_id, *exam.member_ids])
    data: dict[str, Any] = {
        "school_year": exam.school_year, "subject": exam.subject, "class_name": exam.class_code,
        "exam_date": exam.date.isoformat(),
        "commission": {"chair": people.get(exam.chair_id, str(exam.chair_id)),
                       "members": [people.get(m, str(m)) for m in exam.member_ids]},
        "results": [{"name": names[c.student_id], "grade": grade_shown(c), "outcome": c.outcome_text}
                    for c in sorted(candidates, key=lambda c: names[c.student_id])],
    }
    if exam.kind == ExamKind.TERM_GRADE:
        data.update(term=exam.term, pc_decision=exam.pc_decision or None)
    else:
        data["session"] = exam.session
    return data


def request_protocol(rt: ServiceRuntime, session: Session, exam: Exam, candidates: list[ExamCandidate],
                     names: dict[int, str]) -> str:
    """Publish ``documents.document_requested`` for the protocol, in the results' transaction (outbox)."""
    kind = ExamKind(exam.kind)
    return rt.publish(session, "documents.document_requested", {
        "template": TEMPLATES[kind], "context": context(session, exam, candidates, names),
        "reason": f"Протокол от {kind.name_bg} по {exam.subject}, {exam.class_code} клас, {exam.date:%d.%m.%Y}"})
