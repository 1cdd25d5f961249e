"""HTTP API of scholarship holders and stops (стипендии, Чл. 26, ал. 1, т. 23; part of ``/api/register``).

Additive to the contract: the office records who holds a scholarship; the stops and the month each
scholarship resumes from are read with it.
"""

from __future__ import annotations

from services.register.absences import scholarships
from services.register.absences.schemas import ScholarshipEndSchema, ScholarshipOutSchema, ScholarshipSchema
from services.register.school.schemas import IdSchema
from shared.auth.flask_auth import current_principal, require_roles
from shared.auth.roles import OFFICE
from shared.web.arguments import Blueprint
from shared.web.context import current_runtime

scholarships_bp = Blueprint("scholarships", __name__,
                            description="Стипендианти; спиране и възобновяване на стипендията (Чл. 26, ал. 1, т. 23)")


@scholarships_bp.route("/students/<int:student_id>/scholarships", methods=["POST"])
@require_roles(*OFFICE)
@scholarships_bp.arguments(ScholarshipSchema)
@scholarships_bp.response(201, IdSchema)
def post_scholarship(data, student_id: int):
    """Записва стипендия на ученика (вид, от коя дата, до коя дата)."""
    data["from"] = data.pop("from_")
    return {"id": scholarships.record(current_runtime(), current_principal(), student_id, data)}


@scholarships_bp.route("/students/<int:student_id>/scholarships", methods=["GET"])
@scholarships_bp.response(200, ScholarshipOutSchema(many=True))
def list_scholarships(student_id: int):
    """Стипендиите на ученика със спиранията им и месеца, от който се възобновяват."""
    with current_runtime().db.sessions() as s:
        rows = scholarships.of_student(s, current_principal(), student_id)
    for row in rows:
        row["from_"] = row.pop("from")
    return rows


@scholarships_bp.route("/scholarships/<int:scholarship_id>/end", methods=["POST"])
@require_roles(*OFFICE)
@scholarships_bp.arguments(ScholarshipEndSchema)
@scholarships_bp.response(200, IdSchema)
def end_scholarship(data, scholarship_id: int):
    """Прекратява стипендията след посочената дата."""
    return {"id": scholarships.end(current_runtime(), current_principal(), scholarship_id, data["to"]).id}
