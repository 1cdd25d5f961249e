"""HTTP API of the school and its school years (училището и учебните години; part of ``/api/register``)."""

from __future__ import annotations

from services.register.school import profile, years
from services.register.school.schemas import IdSchema, SchoolSchema, SchoolYearOutSchema, SchoolYearSchema
from shared.auth.flask_auth import current_principal, require_roles
from shared.auth.roles import OFFICE
from shared.web.arguments import Blueprint
from shared.web.context import current_runtime

school_bp = Blueprint("school", __name__, description="Училището и учебните години")


@school_bp.route("/school", methods=["PUT"])
@require_roles(*OFFICE)
@school_bp.arguments(SchoolSchema)
@school_bp.response(200, SchoolSchema)
def put_school(data):
    """Данни за училището (бланка, код по НЕИСПУО)."""
    return profile.save_school(current_runtime(), current_principal(), data)


@school_bp.route("/school-years", methods=["POST"])
@require_roles(*OFFICE)
@school_bp.arguments(SchoolYearSchema)
@school_bp.response(201, IdSchema)
def post_school_year(data):
    """Учебна година: срокове, ваканции и неучебни дни по заповедта на министъра (Чл. 113)."""
    return {"id": years.create_school_year(current_runtime(), current_principal(), data)}


@school_bp.route("/school-years", methods=["GET"])
@school_bp.response(200, SchoolYearOutSchema(many=True))
def list_school_years():
    """Въведените учебни години."""
    with current_runtime().db.sessions() as s:
        return years.school_years(s)
