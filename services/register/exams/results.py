"""Results of an exam (резултати от изпит), entered by its commission, and what they make of the student's
grades: the term grade (Чл. 137), the annual grade after a correction exam (Чл. 143, ал. 1) or the
next session or repeating the class (Чл. 143, ал. 9). When every student has a result, the protocol
(протокол) is asked of documents, where the exam happened.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.register.assessment.grading import YearContext
from services.register.assessment.rules.grades import GradeValue
from services.register.exams import protocols, years
from services.register.exams.rules.exams import ExamKind, Outcome, correction_outcome, term_exam_outcome
from services.register.models import TABLES
from services.register.models.assessment import ResultGrade
from services.register.models.exams import Exam, ExamCandidate
from services.register.models.people import Student
from services.register.models.school import SchoolYear
from services.register.school.years import calendar_of
from shared import audit
from shared.auth.principal import Principal
from shared.auth.roles import OFFICE
from shared.errors import ConflictError, InvalidInputError, NotAllowedError, NotFoundError
from shared.runtime import ServiceRuntime

#: ``ResultGrade.record`` of an annual grade changed by a correction exam (Чл. 143, ал. 1).
CORRECTED_RECORD = "поправителен изпит"
#: ``ResultGrade.record`` of a term grade given by an exam (Чл. 137, ал. 1–2).
EXAM_RECORD = "изпит"


def exam_or_404(session: Session, exam_id: int) -> Exam:
    exam = session.get(Exam, exam_id) if 0 < exam_id < 2**31 else None
    if exam is None:
        raise NotFoundError("Няма такъв изпит.")
    return exam


def _year(session: Session, exam: Exam) -> YearContext:
    row = session.scalar(sa.select(SchoolYear).where(SchoolYear.name == exam.school_year))
    return YearContext(row, calendar_of(row))


def _missed_before(session: Session, exam: Exam, student_id: int) -> bool:
    return bool(session.scalar(sa.select(sa.func.count()).select_from(ExamCandidate).join(
        Exam, Exam.id == ExamCandidate.exam_id).where(
        Exam.kind == exam.kind, Exam.subject == exam.subject, Exam.term == exam.term,
        Exam.school_year == exam.school_year, Exam.id != exam.id, ExamCandidate.student_id == student_id,
        ExamCandidate.absent.is_(True))))


def _result_row(session: Session, exam: Exam, student_id: int, period: str) -> ResultGrade | None:
    return session.scalar(sa.select(ResultGrade).where(
        ResultGrade.student_id == student_id, ResultGrade.subject == exam.subject,
        ResultGrade.school_year == exam.school_year, ResultGrade.period == period))


def _term_grade(s: Session, rt: ServiceRuntime, who: Principal, exam: Exam, student_id: int,
                value: GradeValue | None, today: dt.date) -> tuple[Outcome, str]:
    year = _year(s, exam)
    window = years.term_window(year, exam.grade_level, exam.term, rt.settings, pc_decision=False)
    outcome = term_exam_outcome(value, missed_before=_missed_before(s, exam, student_id), term=exam.term,
                                second_date_by=window.end)
    if value is not None:
        if _result_row(s, exam, student_id, str(exam.term)) is not None:
            raise ConflictError(f"Срочната оценка по {exam.subject} вече е оформена.", "results")
        row = ResultGrade(student_id=student_id, class_code=exam.class_code, grade_level=exam.grade_level,
                          subject=exam.subject, school_year=exam.school_year, period=str(exam.term),
                          value=int(value), record=EXAM_RECORD, formed_on=today, teacher_id=who.id)
        s.add(row)
        s.flush()
        audit.record(s, TABLES, who, f"result_grade.{exam.term}", "result_grade", row.id,
                     after={"student_id": student_id, "subject": exam.subject, "value": row.value, "exam_id": exam.id})
    return outcome


def _correction(s: Session, who: Principal, exam: Exam, student_id: int, value: GradeValue | None,
                today: dt.date) -> tuple[Outcome, str]:
    sessions = years.sessions_of(s, _year(s, exam), exam.grade_level)
    window = next(w for w in sessions if w.name_bg == exam.session)
    outcome = correction_outcome(value, window, sessions)
    if outcome[0] is Outcome.ANNUAL_GRADE:
        row = _result_row(s, exam, student_id, "annual")
        before = {"value": row.value, "record": row.record}
        row.value, row.record, row.formed_on, row.teacher_id = int(value), CORRECTED_RECORD, today, who.id
        audit.record(s, TABLES, who, "result_grade.annual.corrected", "result_grade", row.id, before=before,
                     after={"value": row.value, "record": row.record, "exam_id": exam.id})
    return outcome


def _check_may_enter(who: Principal, exam: Exam) -> None:
    if who.role in OFFICE or who.id == exam.chair_id or who.id in exam.member_ids:
        return
    raise NotAllowedError("Резултатите от изпита вписва комисията (Чл. 126, ал. 1) или канцеларията.")


def enter_results(rt: ServiceRuntime, who: Principal, exam_id: int, data: dict[str, Any]) -> Exam:
    """Grades (or „не се явил“) of the exam's students; each once. The last one completes the exam."""
    today = rt.clock.today()
    with rt.db.transaction() as s:
        exam = exam_or_404(s, exam_id)
        _check_may_enter(who, exam)
        if today < exam.date:
            raise InvalidInputError({"results": f"Резултатите се вписват след изпита ({exam.date:%d.%m.%Y})."})
        candidates = {c.student_id: c for c in s.scalars(sa.select(ExamCandidate).where(
            ExamCandidate.exam_id == exam.id))}
        entries = data["results"]
        ids = [e["student_id"] for e in entries]
        errors: dict[str, Any] = {}
        for i, entry in enumerate(entries):
            candidate = candidates.get(entry["student_id"])
            if candidate is None or ids.count(entry["student_id"]) > 1:
                errors[f"results.{i}.student_id"] = ("Ученикът не е сред явяващите се на изпита "
                                                     "(или е посочен два пъти).")
            elif candidate.value is not None or candidate.absent:
                errors[f"results.{i}.student_id"] = "Резултатът на ученика вече е вписан."
            elif (entry.get("value") is None) == (not entry["absent"]):
                errors[f"results.{i}.value"] = "Посочете оценка от 2 до 6 или „не се явил“, не и двете."
        if errors:
            raise InvalidInputError(errors)
        for entry in entries:
            candidate = candidates[entry["student_id"]]
            value = GradeValue(entry["value"]) if entry.get("value") is not None else None
            if exam.kind == ExamKind.TERM_GRADE:
                outcome, text = _term_grade(s, rt, who, exam, candidate.student_id, value, today)
            else:
                outcome, text = _correction(s, who, exam, candidate.student_id, value, today)
            candidate.value, candidate.absent = (int(value) if value else None), value is None
            candidate.outcome, candidate.outcome_text = outcome.value, text
        audit.record(s, TABLES, who, "exam.results", "exam", exam.id, after={"results": entries})
        if all(c.value is not None or c.absent for c in candidates.values()):
            exam.status, exam.held_on = "held", exam.date
            names = {st.id: st.full_name for st in s.scalars(sa.select(Student).where(
                Student.id.in_(list(candidates))))}
            exam.protocol_message_id = protocols.request_protocol(rt, s, exam, list(candidates.values()), names)
        s.flush()
        s.expunge(exam)
        return exam
