"""HTTP API of grades, term and annual results, regimes and class works (оценки; part of ``/api/register``)."""

from __future__ import annotations

from services.register.assessment import class_works, entering, grading, term_results, year_results
from services.register.assessment.rules.grades import GradeValue
from services.register.assessment.schemas import (
    AnnualGradeSchema,
    ClassWorkSchema,
    GradeCreatedSchema,
    GradeSchema,
    PeExemptionSchema,
    RegimeOutSchema,
    RegimeSchema,
    ResultGradeSchema,
    TermGradeSchema,
    TermQuerySchema,
)
from services.register.models.assessment import ResultGrade
from services.register.people.access import check_may_see_class, check_may_see_student
from services.register.school.schemas import IdSchema
from shared.auth.flask_auth import current_principal, require_roles
from shared.auth.roles import MANAGEMENT, OFFICE
from shared.web.arguments import Blueprint
from shared.web.context import current_runtime

grades_bp = Blueprint("grades", __name__, description="Оценки, срочни и годишни резултати (Чл. 124–144)")


def _result(row: ResultGrade) -> dict:
    name = GradeValue(row.value).name_bg if row.value is not None else row.record
    return {"id": row.id, "student_id": row.student_id, "subject": row.subject, "period": row.period,
            "value": row.value, "name": name, "formed_on": row.formed_on}


@grades_bp.route("/grades", methods=["POST"])
@grades_bp.arguments(GradeSchema)
@grades_bp.response(201, GradeCreatedSchema)
def post_grade(data):
    """Текуща оценка – само от учителя по предмета в паралелката, в сроковете на Чл. 139; контролната
    или класната работа влиза в графика в границите на Чл. 136, ал. 1, иначе нищо не се записва."""
    row = entering.enter_grade(current_runtime(), current_principal(), data)
    return {"id": row.id, "value": row.value, "name": GradeValue(row.value).name_bg, "kind": row.kind,
            "date": row.date}


@grades_bp.route("/students/<int:student_id>/grades", methods=["GET"])
@grades_bp.arguments(TermQuerySchema, location="query")
def student_grades(query, student_id: int):
    """Текущи, срочна и годишна оценка по всеки предмет и може ли да се оформи срочна (Чл. 129, 137)."""
    rt = current_runtime()
    with rt.db.sessions() as s:
        student = check_may_see_student(s, current_principal(), student_id, refuse_it_admin=True)
        year, term = grading.year_and_term(s, rt.clock.today(), query["term"])
        return term_results.student_grades(s, student, term, year,
                                           absence_alone=rt.settings.term_grade_absence_alone)


@grades_bp.route("/students/<int:student_id>/assessment-regime", methods=["PUT"])
@require_roles(*OFFICE)
@grades_bp.arguments(RegimeSchema)
@grades_bp.response(200, RegimeOutSchema)
def put_regime(data, student_id: int):
    """Режим на оценяване по годината на приемане (Чл. 129, ал. 1 – ЗНП; ал. 2 – ЗПУО)."""
    return grading.set_regime(current_runtime(), current_principal(), student_id, data)


@grades_bp.route("/term-grades", methods=["POST"])
@grades_bp.arguments(TermGradeSchema)
@grades_bp.response(201, ResultGradeSchema)
def post_term_grade(data):
    """Срочна оценка – в периода по Чл. 137, ал. 5, при минималния брой текущи оценки и до 25 % отсъствия."""
    return _result(term_results.form_term_grade(current_runtime(), current_principal(), data))


@grades_bp.route("/annual-grades", methods=["POST"])
@grades_bp.arguments(AnnualGradeSchema)
@grades_bp.response(201, ResultGradeSchema)
def post_annual_grade(data):
    """Годишна оценка от учителя, като отчита срочните (Чл. 138)."""
    return _result(term_results.form_annual(current_runtime(), current_principal(), data))


@grades_bp.route("/students/<int:student_id>/final-grades", methods=["GET"])
def final_grades(student_id: int):
    """Окончателни оценки – средно аритметично на годишните, с точност до 0,01 (Чл. 141)."""
    with current_runtime().db.sessions() as s:
        student = check_may_see_student(s, current_principal(), student_id, refuse_it_admin=True)
        return year_results.final_grades(s, student)


@grades_bp.route("/pe-exemptions", methods=["POST"])
@require_roles(*MANAGEMENT)
@grades_bp.arguments(PeExemptionSchema)
@grades_bp.response(201, IdSchema)
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
        check_may_see_class(s, current_principal(), code)
        return class_works.class_works(s, code)


@grades_bp.route("/classes/<code>/results", methods=["GET"])
def class_results(code: str):
    """Годишни оценки, завършване на класа (Чл. 142) и поправителни изпити със сесиите (Чл. 143)."""
    rt = current_runtime()
    with rt.db.sessions() as s:
        check_may_see_class(s, current_principal(), code)
        year, _term = grading.year_and_term(s, rt.clock.today(), None)
        return year_results.class_results(s, code, year)


@grades_bp.route("/classes/<code>/term-exams", methods=["GET"])
@grades_bp.arguments(TermQuerySchema, location="query")
def term_exams(query, code: str):
    """Учениците, които полагат изпит за срочна оценка (Чл. 137, ал. 1–2)."""
    rt = current_runtime()
    with rt.db.sessions() as s:
        check_may_see_class(s, current_principal(), code)
        year, term = grading.year_and_term(s, rt.clock.today(), query["term"])
        return term_results.term_exam_list(s, code, term, year,
                                           absence_alone=rt.settings.term_grade_absence_alone)
