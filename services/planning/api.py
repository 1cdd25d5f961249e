"""HTTP API of planning (contract: ``/api/planning``)."""

from __future__ import annotations

from flask import current_app
from flask_smorest import Blueprint

from services.planning import procedures
from services.planning.schemas import OverdueItemSchema
from shared.auth.flask_auth import current_principal
from shared.web.errors import forbidden

overdue_bp = Blueprint("overdue", __name__, description="Просрочени дейности и процедури")


def create_blueprints(_runtime) -> list[Blueprint]:
    return [overdue_bp]


@overdue_bp.route("/overdue", methods=["GET"])
@overdue_bp.response(200, OverdueItemSchema(many=True))
def list_overdue():
    """Всичко просрочено: дейности от годишния план и процедури."""
    who = current_principal()
    if who.role == "parent":
        forbidden()
    rt = current_app.extensions["school_runtime"]
    today = rt.clock.today()
    with rt.db.sessions() as s:
        rows = procedures.overdue(s, today)
    items = [{"kind": "procedure", "id": p.id, "title": p.title, "due": p.due, "responsible": p.responsible_roles,
              "days_overdue": (today - p.due).days, "article": p.article} for p in rows]
    if not who.is_management and who.role != "it_admin":
        items = [i for i in items if who.role in i["responsible"]]
    return items
