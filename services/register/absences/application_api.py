"""HTTP API of the parents' applications to excuse (заявления, Чл. 61, ал. 1, т. 3; part of ``/api/register``).

Additive to the contract: the parent submits, the class teacher accepts (the excuse is made as by
``POST /excuses``) or refuses with a reason.
"""

from __future__ import annotations

from services.register.absences import applications
from services.register.absences.schemas import (
    ExcuseApplicationOutSchema,
    ExcuseApplicationQuerySchema,
    ExcuseApplicationSchema,
    RefusalSchema,
)
from services.register.school.schemas import IdSchema
from shared.auth.flask_auth import current_principal, require_roles
from shared.web.arguments import Blueprint
from shared.web.context import current_runtime

applications_bp = Blueprint("excuse_applications", __name__,
                            description="Заявления на родителите за извиняване до 3 учебни дни (Чл. 61, ал. 1, т. 3)")


def _out(row) -> dict:
    data = applications.as_dict(row)
    data["from_"] = data.pop("from")
    return data


@applications_bp.route("/excuse-applications", methods=["POST"])
@require_roles("parent")
@applications_bp.arguments(ExcuseApplicationSchema)
@applications_bp.response(201, IdSchema)
def post_application(data):
    """Заявление от родителя: проверява се годишният лимит и учебните дни; чака решение на класния ръководител."""
    data["from"] = data.pop("from_")
    return {"id": applications.submit(current_runtime(), current_principal(), data)}


@applications_bp.route("/excuse-applications", methods=["GET"])
@applications_bp.arguments(ExcuseApplicationQuerySchema, location="query")
@applications_bp.response(200, ExcuseApplicationOutSchema(many=True))
def list_applications(query):
    """Заявленията за извиняване, които потребителят може да види (родителят – на своето дете)."""
    with current_runtime().db.sessions() as s:
        rows = applications.visible(s, current_principal(), query["student_id"], query["status"])
        return [_out(row) for row in rows]


@applications_bp.route("/excuse-applications/<int:application_id>/accept", methods=["POST"])
@require_roles("class_teacher")
@applications_bp.response(200, ExcuseApplicationOutSchema)
def accept_application(application_id: int):
    """Приема заявлението: извинява отсъствията като ``POST /excuses`` с причина „parent“ (Чл. 97, т. 14)."""
    row, _hours = applications.accept(current_runtime(), current_principal(), application_id)
    return _out(row)


@applications_bp.route("/excuse-applications/<int:application_id>/refuse", methods=["POST"])
@require_roles("class_teacher")
@applications_bp.arguments(RefusalSchema)
@applications_bp.response(200, ExcuseApplicationOutSchema)
def refuse_application(data, application_id: int):
    """Отказва заявлението с причина, която родителят вижда на картона."""
    return _out(applications.refuse(current_runtime(), current_principal(), application_id, data["reason"]))
