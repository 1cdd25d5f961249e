"""HTTP API of exams (изпити; part of ``/api/register``): scheduled by the office, results by the commission."""

from __future__ import annotations

from services.register.assessment.grading import year_of
from services.register.exams import listing, results, scheduling
from services.register.exams.schemas import ExamOutSchema, ExamSchema, ResultsSchema, YearQuerySchema
from shared.auth.flask_auth import current_principal, require_roles
from shared.auth.roles import OFFICE, TEACHERS
from shared.web.arguments import Blueprint
from shared.web.context import current_runtime

exams_bp = Blueprint("exams", __name__, description="Изпити за срочна оценка и поправителни изпити (Чл. 137, 143)")

#: Who may sit in a commission and so enter its results (Чл. 126, ал. 1); the office enters them too.
RESULT_ROLES = (*OFFICE, *TEACHERS, "psychologist")


@exams_bp.route("/exams", methods=["POST"])
@require_roles(*OFFICE)
@exams_bp.arguments(ExamSchema)
@exams_bp.response(201, ExamOutSchema)
def post_exam(data):
    """Насрочва изпит с комисия и ученици – в сроковете на Чл. 137, ал. 4 и 6 или в поправителна сесия (Чл. 143)."""
    rt = current_runtime()
    exam_id = scheduling.schedule_exam(rt, current_principal(), data)
    with rt.db.sessions() as s:
        return listing.exam_one(s, results.exam_or_404(s, exam_id))


@exams_bp.route("/exams", methods=["GET"])
@require_roles(*OFFICE)
@exams_bp.arguments(YearQuerySchema, location="query")
@exams_bp.response(200, ExamOutSchema(many=True))
def list_exams(query):
    """Изпитите на учебната година с комисиите, резултатите и протоколите."""
    rt = current_runtime()
    with rt.db.sessions() as s:
        school_year = query["school_year"] or year_of(s, rt.clock.today(), "school_year").row.name
        return listing.exams_of_year(s, school_year)


@exams_bp.route("/exams/<int:exam_id>", methods=["GET"])
@require_roles(*OFFICE)
@exams_bp.response(200, ExamOutSchema)
def get_exam(exam_id: int):
    """Един изпит с комисията, учениците и резултатите."""
    with current_runtime().db.sessions() as s:
        return listing.exam_one(s, results.exam_or_404(s, exam_id))


@exams_bp.route("/exams/<int:exam_id>/results", methods=["POST"])
@require_roles(*RESULT_ROLES)
@exams_bp.arguments(ResultsSchema)
@exams_bp.response(200, ExamOutSchema)
def post_results(data, exam_id: int):
    """Резултатите, вписани от комисията: оценката става срочна (Чл. 137) или годишна (Чл. 143, ал. 1)."""
    rt = current_runtime()
    results.enter_results(rt, current_principal(), exam_id, data)
    with rt.db.sessions() as s:
        return listing.exam_one(s, results.exam_or_404(s, exam_id))
