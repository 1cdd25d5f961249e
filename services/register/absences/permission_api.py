"""HTTP API of the director's prior permissions (Чл. 61, ал. 1, т. 4; part of ``/api/register``).

Additive to the contract: the parent applies before the absence (the office records an application
handed in on paper), the director grants or refuses; a grant excuses the days it covers.
"""

from __future__ import annotations

from services.register.absences import permissions
from services.register.absences.schemas import (
    DirectorPermissionOutSchema,
    DirectorPermissionQuerySchema,
    DirectorPermissionSchema,
    RefusalSchema,
)
from services.register.school.schemas import IdSchema
from shared.auth.flask_auth import current_principal, require_roles
from shared.auth.roles import OFFICE
from shared.web.arguments import Blueprint
from shared.web.context import current_runtime

permissions_bp = Blueprint("director_permissions", __name__,
                           description="Предварително разрешение на директора до 7 учебни дни (Чл. 61, ал. 1, т. 4)")


def _out(row) -> dict:
    data = permissions.as_dict(row)
    data["from_"] = data.pop("from")
    return data


@permissions_bp.route("/director-permissions", methods=["POST"])
@require_roles("parent", *OFFICE)
@permissions_bp.arguments(DirectorPermissionSchema)
@permissions_bp.response(201, IdSchema)
def post_permission(data):
    """Заявление до директора, подадено преди отсъствието, с подробно описани причини (Чл. 61, ал. 1, т. 4)."""
    data["from"] = data.pop("from_")
    return {"id": permissions.submit(current_runtime(), current_principal(), data)}


@permissions_bp.route("/director-permissions", methods=["GET"])
@permissions_bp.arguments(DirectorPermissionQuerySchema, location="query")
@permissions_bp.response(200, DirectorPermissionOutSchema(many=True))
def list_permissions(query):
    """Заявленията до директора, които потребителят може да види (родителят – на своето дете)."""
    with current_runtime().db.sessions() as s:
        rows = permissions.visible(s, current_principal(), query["student_id"], query["status"])
        return [_out(row) for row in rows]


@permissions_bp.route("/director-permissions/<int:permission_id>/grant", methods=["POST"])
@require_roles("director")
@permissions_bp.response(200, DirectorPermissionOutSchema)
def grant_permission(permission_id: int):
    """Разрешава преди първия ден на отсъствието; дните се извиняват сега и при въвеждането им."""
    row, _hours = permissions.grant(current_runtime(), current_principal(), permission_id)
    return _out(row)


@permissions_bp.route("/director-permissions/<int:permission_id>/refuse", methods=["POST"])
@require_roles("director")
@permissions_bp.arguments(RefusalSchema)
@permissions_bp.response(200, DirectorPermissionOutSchema)
def refuse_permission(data, permission_id: int):
    """Отказва с причина, която родителят вижда на картона."""
    return _out(permissions.refuse(current_runtime(), current_principal(), permission_id, data["reason"]))
