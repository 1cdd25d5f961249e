"""HTTP API of notifications (contract: ``/api/notifications``)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app
from flask_smorest import Blueprint

from services.notifications.models import Delivery
from services.notifications.schemas import DeliveryQuerySchema, DeliverySchema
from shared.auth.flask_auth import current_principal
from shared.web.errors import forbidden

deliveries_bp = Blueprint("deliveries", __name__, description="Дневник на изпратените уведомления")

#: Roles that see every delivery (the office and management answer parents' questions).
STAFF_VIEW = ("director", "deputy_director", "secretary", "class_teacher", "it_admin", "psychologist")


def create_blueprints(_runtime) -> list[Blueprint]:
    return [deliveries_bp]


@deliveries_bp.route("/deliveries", methods=["GET"])
@deliveries_bp.arguments(DeliveryQuerySchema, location="query")
@deliveries_bp.response(200, DeliverySchema(many=True))
def list_deliveries(query):
    """Уведомленията със състояние, канал, получател, правило и член от правилника."""
    who = current_principal()
    if who.role == "parent":
        if query["student_id"] is None or not who.is_guardian_of(query["student_id"]):
            forbidden("Родителят вижда само уведомленията за своето дете.")
    elif who.role not in STAFF_VIEW:
        forbidden()
    rt = current_app.extensions["school_runtime"]
    stmt = sa.select(Delivery).order_by(Delivery.id)
    if query["student_id"] is not None:
        stmt = stmt.where(Delivery.student_id == query["student_id"])
    if query["rule_id"]:
        stmt = stmt.where(Delivery.rule_id == query["rule_id"])
    with rt.db.sessions() as s:
        return s.scalars(stmt).all()
