"""HTTP API of deregistration and the class register's letters (отписване; part of ``/api/register``)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from services.register.absences import deregistering
from services.register.absences.rules.deregistration import Ground
from shared.auth.flask_auth import current_principal, require_roles
from shared.web.arguments import Blueprint
from shared.web.context import current_runtime

dropout_bp = Blueprint("dropout", __name__, description="Отпадане и отписване на ученици (Чл. 25; Чл. 97, т. 17)")


class DeregistrationSchema(Schema):
    """The director's decision: the ground of Чл. 25, ал. 4 and the date."""

    ground = fields.String(required=True, validate=validate.OneOf([g.value for g in Ground]),
                           metadata={"description": "transfer (т. 1), nonattendance (т. 2), missed_sessions (т. 3), "
                                                    "family (т. 4)"})
    date = fields.Date(required=True)


class DeregisteredSchema(Schema):
    student_id = fields.Integer(required=True)
    ground = fields.String(required=True)
    article = fields.String(required=True)
    date = fields.Date(required=True)
    age = fields.Integer(required=True)
    compulsory_age = fields.Boolean(required=True)
    #: Whether documents draws up the notices to the municipality, the РУО and child protection (Чл. 25, ал. 5).
    authorities_notified = fields.Boolean(required=True)


class RegisterEntrySchema(Schema):
    id = fields.Integer(required=True)
    number = fields.String(required=True, metadata={"description": "номер в дневника на класа, напр. 10а-1/06.12.2026"})
    date = fields.Date(required=True)
    kind = fields.String(required=True)
    article = fields.String(required=True)
    text = fields.String(required=True)
    school_year = fields.String(required=True)


@dropout_bp.route("/students/<int:student_id>/deregistration", methods=["POST"])
@require_roles("director")
@dropout_bp.arguments(DeregistrationSchema)
@dropout_bp.response(201, DeregisteredSchema)
def post_deregistration(data, student_id: int):
    """Отписване на ученик със заповед на директора (Чл. 25, ал. 4); историята му остава в дневника."""
    return deregistering.deregister(current_runtime(), current_principal(), student_id, data)


@dropout_bp.route("/students/<int:student_id>/register-entries", methods=["GET"])
@dropout_bp.response(200, RegisterEntrySchema(many=True))
def list_register_entries(student_id: int):
    """Писмата до родителите, регистрирани в дневника на класа (Чл. 97, т. 17), с номер и дата."""
    return deregistering.entries(current_runtime(), current_principal(), student_id)
