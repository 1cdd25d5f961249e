"""HTTP API of notifications (contract: ``/api/notifications``)."""

from __future__ import annotations

import sqlalchemy as sa

from services.notifications import inbox
from services.notifications.models import TABLES, Delivery, Guardian
from services.notifications.schemas import (
    DeliveryQuerySchema,
    DeliverySchema,
    InboxMessageSchema,
    PreferencesSchema,
)
from shared import audit
from shared.auth.flask_auth import current_principal
from shared.auth.roles import OFFICE
from shared.errors import InvalidInputError, NotAllowedError, NotFoundError
from shared.web.arguments import Blueprint
from shared.web.context import current_runtime

deliveries_bp = Blueprint("deliveries", __name__, description="Дневник на изпратените уведомления")
inbox_bp = Blueprint("inbox", __name__, description="Входяща кутия и предпочитания на родителите")

#: Roles that see every delivery (the office and management answer parents' questions).
STAFF_VIEW = (*OFFICE, "class_teacher", "it_admin", "psychologist")


@deliveries_bp.route("/deliveries", methods=["GET"])
@deliveries_bp.arguments(DeliveryQuerySchema, location="query")
@deliveries_bp.response(200, DeliverySchema(many=True))
def list_deliveries(query):
    """Уведомленията със състояние, канал, получател, правило и член от правилника."""
    who = current_principal()
    stmt = sa.select(Delivery).order_by(Delivery.id)
    if who.role == "parent":
        if query["student_id"] is not None and not who.is_guardian_of(query["student_id"]):
            raise NotAllowedError("Родителят вижда само уведомленията за своето дете.")
        # Only what went to the family; messages to staff about the child are not the parent's to see.
        stmt = stmt.where(Delivery.student_id.in_(list(who.student_ids or [])), Delivery.audience == "guardian")
    elif who.role not in STAFF_VIEW:
        raise NotAllowedError()
    if query["student_id"] is not None:
        stmt = stmt.where(Delivery.student_id == query["student_id"])
    if query["rule_id"]:
        stmt = stmt.where(Delivery.rule_id == query["rule_id"])
    with current_runtime().db.sessions() as s:
        if who.role == "class_teacher":
            stmt = _class_teachers_own(s, who, query["student_id"], stmt)
        return s.scalars(stmt).all()


def _class_teachers_own(session, who, student_id: int | None, stmt: sa.Select) -> sa.Select:
    """A class teacher keeps the copies of their own class's letters (Чл. 97, т. 14), not other classes'.

    The classes' students are known here from the guardians' replica: a student is in the class
    their guardians' rows name.
    """
    own = sa.select(Guardian.student_id).where(Guardian.class_code.in_(list(who.class_codes)))
    if student_id is not None and session.scalar(own.where(Guardian.student_id == student_id).limit(1)) is None:
        raise NotAllowedError("Класният ръководител вижда само уведомленията за учениците от своята паралелка.")
    return stmt.where(Delivery.student_id.in_(own))


@inbox_bp.route("/inbox", methods=["GET"])
@inbox_bp.response(200, InboxMessageSchema(many=True))
def my_inbox():
    """Съобщенията във входящата кутия на влезлия потребител."""
    with current_runtime().db.sessions() as s:
        return inbox.messages(s, current_principal())


@inbox_bp.route("/inbox/<int:delivery_id>/read", methods=["POST"])
@inbox_bp.response(200, InboxMessageSchema)
def mark_read(delivery_id: int):
    """Отбелязва съобщението като прочетено (обратна разписка)."""
    with current_runtime().db.transaction() as s:
        return inbox.mark_read(s, current_principal(), delivery_id)


@inbox_bp.route("/guardians/<int:guardian_id>/preferences", methods=["PUT"])
@inbox_bp.arguments(PreferencesSchema)
@inbox_bp.response(200, PreferencesSchema)
def set_preferences(data, guardian_id: int):
    """Канали за уведомяване на родител и отказ от незадължителните уведомления."""
    who = current_principal()
    rt = current_runtime()
    unknown = [name for name in data["channels"]
               if name not in rt.components.channels and name not in rt.plugins.names("channels")]
    if unknown:
        raise InvalidInputError({"channels": f"Непознат или ненастроен канал: {', '.join(unknown)}."})
    with rt.db.transaction() as s:
        guardian = s.get(Guardian, guardian_id)
        if guardian is None:
            raise NotFoundError("Няма такъв родител.")
        if who.role not in OFFICE and not who.is_guardian_of(guardian.student_id):
            raise NotAllowedError("Предпочитанията се променят от родителя или от канцеларията.")
        before = {"channels": guardian.channels, "opted_out": guardian.opted_out, "digest": guardian.digest}
        guardian.channels = list(data["channels"])
        guardian.opted_out = data["opted_out"]
        guardian.digest = data["digest"]
        audit.record(s, TABLES, who, "guardian.preferences", "guardian", guardian_id, before=before, after=data)
    return data
