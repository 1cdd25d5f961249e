"""HTTP API of tracking (contract: ``/api/planning``): overdue items and the director's dashboard."""

from __future__ import annotations

from collections import Counter

from services.planning.access import no_parents
from services.planning.tracking import overdue
from services.planning.tracking.items import activity_item, current_activities, display_status
from services.planning.tracking.schemas import DashboardQuerySchema, OverdueItemSchema
from shared.auth.flask_auth import current_principal
from shared.web.arguments import Blueprint
from shared.web.context import current_runtime

overdue_bp = Blueprint("overdue", __name__, description="Просрочени дейности и процедури, табло")


@overdue_bp.route("/overdue", methods=["GET"])
@overdue_bp.response(200, OverdueItemSchema(many=True))
def list_overdue():
    """Всичко просрочено: дейности от годишния план и процедури, най-старото първо.

    Ръководството вижда всичко; останалите — това, за което отговарят.
    """
    who = current_principal()
    no_parents(who)
    rt = current_runtime()
    with rt.db.sessions() as s:
        return overdue.overdue(s, who, rt.clock.today(), rt.settings.reminder_days_before)


@overdue_bp.route("/dashboard", methods=["GET"])
@overdue_bp.arguments(DashboardQuerySchema, location="query")
@overdue_bp.response(200)
def dashboard(query):
    """Табло: дейностите по статус, приоритет и отговорник; процедурите по състояние; какво наближава."""
    who = current_principal()
    no_parents(who)
    rt = current_runtime()
    today, days = rt.clock.today(), rt.settings.reminder_days_before
    with rt.db.sessions() as s:
        visible = overdue.visible_items(s, who)
        keys = {(item.kind, item.id) for item in visible}
        activities = [row for row in current_activities(s, query["plan_id"]) if ("activity", row.id) in keys]
        by_status = Counter(display_status(row, today) for row in activities)
        by_priority: dict[str, Counter] = {}
        by_role: dict[str, Counter] = {}
        for row in activities:
            status = display_status(row, today)
            by_priority.setdefault(row.priority, Counter())[status] += 1
            for title in activity_item(row).titles or ("не е посочен",):
                by_role.setdefault(title, Counter())[status] += 1
        procedures = Counter(item.state(today, days) for item in visible if item.kind == "procedure")
        soon = sorted((item for item in visible if item.state(today, days) in ("due_soon", "due_today")),
                      key=lambda item: (item.due, item.kind, item.id))
    return {
        "today": today.isoformat(),
        "activities": {"total": len(activities), "by_status": dict(by_status),
                       "by_priority": {k: dict(v) for k, v in by_priority.items()},
                       "by_responsible": {k: dict(v) for k, v in sorted(by_role.items())}},
        "procedures": dict(procedures),
        "overdue": sum(1 for item in visible if item.state(today, days) == "overdue"),
        "due_soon": [{"kind": item.kind, "id": item.id, "title": item.title, "due": item.due.isoformat(),
                      "responsible": list(item.roles), "days_left": (item.due - today).days,
                      "article": item.article} for item in soon],
    }
