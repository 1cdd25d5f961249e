"""HTTP API of grades, results, sanction procedures and removals (part of ``/api/register``)."""

from __future__ import annotations

import sqlalchemy as sa
from flask_smorest import Blueprint
from sqlalchemy.orm import Session

from services.register import class_works, grading, sanctioning, year_results
from services.register.assessment.grades import GradeValue
from services.register.models import SchoolClass, Student
from services.register.models_assessment import ResultGrade, SanctionRecord
from services.register.schemas import IdSchema
from services.register.schemas_assessment import (
    AnnualGradeSchema,
    ClassWorkSchema,
    GradeCreatedSchema,
    GradeSchema,
    PeExemptionSchema,
    RegimeOutSchema,
    RegimeSchema,
    RemovalSchema,
    ResultGradeSchema,
    SanctionOutSchema,
    SanctionQuerySchema,
    SanctionSchema,
    StepSchema,
    SuggestionSchema,
    TermGradeSchema,
    TermQuerySchema,
)
from shared.auth.flask_auth import current_principal, require_roles
from shared.auth.principal import Principal
from shared.auth.roles import MANAGEMENT, OFFICE
from shared.errors import NotAllowedError, NotFoundError
from shared.web.context import current_runtime

#: Who reads a whole class's results and schedules besides its teachers.
CLASS_READERS = (*MANAGEMENT, "secretary", "psychologist")

grades_bp = Blueprint("grades", __name__, description="Оценки, срочни и годишни резултати (Чл. 124–144)")
sanctions_bp = Blueprint("sanctions", __name__, description="Санкции и мерки (Чл. 52–60)")




def _see_student(session: Session, student_id: int) -> Student:
    """A parent sees only their child; a teacher only the classes they teach; the office everything."""
    student = session.get(Student, student_id)
    if student is None:
        raise NotFoundError("Няма такъв ученик.")
    who = current_principal()
    if who.role == "parent" and not who.is_guardian_of(student_id):
        raise NotAllowedError("Родителят вижда само данните на своето дете.")
    if who.role in ("teacher", "class_teacher") and not who.teaches_class(student.class_code):
        raise NotAllowedError("Учителят вижда само учениците от паралелките, в които преподава.")
    if who.role == "it_admin":
        raise NotAllowedError("Ролята няма достъп до данните на учениците.")
    return student


def _see_class(session: Session, who: Principal, class_code: str) -> None:
    if not session.scalar(sa.select(SchoolClass.id).where(SchoolClass.code == class_code)):
        raise NotFoundError(f"Няма паралелка {class_code}.")
    if who.role in CLASS_READERS:
        return
    if who.role in ("teacher", "class_teacher") and who.teaches_class(class_code):
        return
    raise NotAllowedError("Резултатите на паралелката виждат ръководството и учителите ѝ.")


def _year_and_term(session: Session, today, term: int | None) -> tuple[grading.YearContext, int]:
    year = grading.year_of(session, today, "term")
    if term is None:
        current = year.calendar.term_of(today)
        term = current.number if current else (2 if today > year.calendar.terms[1].start else 1)
    return year, term


def _result(row: ResultGrade) -> dict:
    name = GradeValue(row.value).name_bg if row.value is not None else row.record
    return {"id": row.id, "student_id": row.student_id, "subject": row.subject, "period": row.period,
            "value": row.value, "name": name, "formed_on": row.formed_on}


@grades_bp.route("/grades", methods=["POST"])
@grades_bp.arguments(GradeSchema)
@grades_bp.response(201, GradeCreatedSchema)
def post_grade(data):
    """Текуща оценка – само от учителя по предмета в паралелката, в сроковете на Чл. 139."""
    row = grading.enter_grade(current_runtime(), current_principal(), data)
    return {"id": row.id, "value": row.value, "name": GradeValue(row.value).name_bg, "kind": row.kind,
            "date": row.date}


@grades_bp.route("/students/<int:student_id>/grades", methods=["GET"])
@grades_bp.arguments(TermQuerySchema, location="query")
def student_grades(query, student_id: int):
    """Текущи, срочна и годишна оценка по всеки предмет и може ли да се оформи срочна (Чл. 129, 137)."""
    rt = current_runtime()
    with rt.db.sessions() as s:
        student = _see_student(s, student_id)
        year, term = _year_and_term(s, rt.clock.today(), query["term"])
        return grading.student_grades(s, student, term, year)


@grades_bp.route("/students/<int:student_id>/assessment-regime", methods=["PUT"])
@grades_bp.arguments(RegimeSchema)
@grades_bp.response(200, RegimeOutSchema)
@require_roles(*OFFICE)
def put_regime(data, student_id: int):
    """Режим на оценяване по годината на приемане (Чл. 129, ал. 1 – ЗНП; ал. 2 – ЗПУО)."""
    return grading.set_regime(current_runtime(), current_principal(), student_id, data)


@grades_bp.route("/term-grades", methods=["POST"])
@grades_bp.arguments(TermGradeSchema)
@grades_bp.response(201, ResultGradeSchema)
def post_term_grade(data):
    """Срочна оценка – в периода по Чл. 137, ал. 5, при минималния брой текущи оценки и до 25 % отсъствия."""
    return _result(grading.form_term_grade(current_runtime(), current_principal(), data))


@grades_bp.route("/annual-grades", methods=["POST"])
@grades_bp.arguments(AnnualGradeSchema)
@grades_bp.response(201, ResultGradeSchema)
def post_annual_grade(data):
    """Годишна оценка от учителя, като отчита срочните (Чл. 138)."""
    return _result(grading.form_annual(current_runtime(), current_principal(), data))


@grades_bp.route("/students/<int:student_id>/final-grades", methods=["GET"])
def final_grades(student_id: int):
    """Окончателни оценки – средно аритметично на годишните, с точност до 0,01 (Чл. 141)."""
    with current_runtime().db.sessions() as s:
        return year_results.final_grades(s, _see_student(s, student_id))


@grades_bp.route("/pe-exemptions", methods=["POST"])
@grades_bp.arguments(PeExemptionSchema)
@grades_bp.response(201, IdSchema)
@require_roles(*MANAGEMENT)
def post_pe_exemption(data):
    """Заповед за освобождаване от физическо възпитание и спорт за период (Чл. 27)."""
    return {"id": grading.record_pe_exemption(current_runtime(), current_principal(), data)}


@grades_bp.route("/class-works", methods=["POST"])
@grades_bp.arguments(ClassWorkSchema)
@grades_bp.response(201, IdSchema)
def post_class_work(data):
    """Контролна или класна работа в графика – с ограниченията на Чл. 136, ал. 1."""
    return {"id": class_works.schedule_class_work(current_runtime(), current_principal(), data)}


@grades_bp.route("/classes/<code>/class-works", methods=["GET"])
def list_class_works(code: str):
    """Графикът на контролните и класните работи на паралелката (Чл. 136, ал. 2)."""
    with current_runtime().db.sessions() as s:
        _see_class(s, current_principal(), code)
        return class_works.class_works(s, code)


@grades_bp.route("/classes/<code>/results", methods=["GET"])
def class_results(code: str):
    """Годишни оценки, завършване на класа (Чл. 142) и поправителни изпити със сесиите (Чл. 143)."""
    rt = current_runtime()
    with rt.db.sessions() as s:
        _see_class(s, current_principal(), code)
        year, _term = _year_and_term(s, rt.clock.today(), None)
        return year_results.class_results(s, code, year)


@grades_bp.route("/classes/<code>/term-exams", methods=["GET"])
@grades_bp.arguments(TermQuerySchema, location="query")
def term_exams(query, code: str):
    """Учениците, които полагат изпит за срочна оценка (Чл. 137, ал. 1–2)."""
    rt = current_runtime()
    with rt.db.sessions() as s:
        _see_class(s, current_principal(), code)
        year, term = _year_and_term(s, rt.clock.today(), query["term"])
        return grading.term_exam_list(s, code, term, year)


@sanctions_bp.route("/sanctions", methods=["POST"])
@sanctions_bp.arguments(SanctionSchema)
@sanctions_bp.response(201, IdSchema)
def post_sanction(data):
    """Открива процедура: забележка по предложение на класния ръководител, другите – на ПС (Чл. 56)."""
    return {"id": sanctioning.open_sanction(current_runtime(), current_principal(), data)}


@sanctions_bp.route("/sanctions", methods=["GET"])
@sanctions_bp.arguments(SanctionQuerySchema, location="query")
@sanctions_bp.response(200, SanctionOutSchema(many=True))
def list_sanctions(query):
    """Процедурите за налагане на санкции, по ученик."""
    rt = current_runtime()
    who = current_principal()
    with rt.db.sessions() as s:
        stmt = sa.select(SanctionRecord).order_by(SanctionRecord.id)
        if query["student_id"] is not None:
            _see_student(s, query["student_id"])
            stmt = stmt.where(SanctionRecord.student_id == query["student_id"])
        elif who.role not in CLASS_READERS:
            raise NotAllowedError("Посочете ученик (student_id).")
        return [sanctioning.sanction_view(s, row, rt.clock.today()) for row in s.scalars(stmt)]


@sanctions_bp.route("/sanctions/<int:sanction_id>", methods=["GET"])
@sanctions_bp.response(200, SanctionOutSchema)
def get_sanction(sanction_id: int):
    """Процедурата със стъпките ѝ, сроковете и членовете от правилника."""
    rt = current_runtime()
    with rt.db.sessions() as s:
        row = sanctioning.load_row(s, sanction_id)
        _see_student(s, row.student_id)
        return sanctioning.sanction_view(s, row, rt.clock.today())


@sanctions_bp.route("/sanctions/<int:sanction_id>/steps/<name>", methods=["POST"])
@sanctions_bp.arguments(StepSchema)
@sanctions_bp.response(200, SanctionOutSchema)
def post_step(data, sanction_id: int, name: str):
    """Отбелязва стъпка от процедурата – поред и от отговорния за нея (Чл. 56–60)."""
    rt = current_runtime()
    sanctioning.complete_step(rt, current_principal(), sanction_id, name, data)
    with rt.db.sessions() as s:
        return sanctioning.sanction_view(s, sanctioning.load_row(s, sanction_id), rt.clock.today())


@sanctions_bp.route("/students/<int:student_id>/sanction-suggestion", methods=["GET"])
@sanctions_bp.response(200, SuggestionSchema)
def sanction_suggestion(student_id: int):
    """Коя санкция сочат неизвинените отсъствия за учебната година (Чл. 52, ал. 1; закъснение = 0,5)."""
    rt = current_runtime()
    with rt.db.sessions() as s:
        student = _see_student(s, student_id)
        if current_principal().role == "parent":
            raise NotAllowedError("Предложенията за санкции са за училищния персонал.")
        return sanctioning.suggestion(s, student, rt.clock.today(), rt.settings.late_half_hours)


@sanctions_bp.route("/students/<int:student_id>/removals", methods=["POST"])
@sanctions_bp.arguments(RemovalSchema)
@sanctions_bp.response(201, IdSchema)
def post_removal(data, student_id: int):
    """Отстраняване от час (Чл. 52, ал. 2) или от училище (ал. 3), с уведомен родител."""
    return {"id": sanctioning.record_removal(current_runtime(), current_principal(), student_id, data)}
