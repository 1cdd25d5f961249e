"""The plan as the API and the plan's page read it: found by id, its priorities and goals, its activities.

``GET /plans/{id}``, ``GET /plans/{id}/activities`` and ``/planning/plans/{id}`` call these, so the
page lists exactly what the API lists (the same statuses, filters and scope).
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.planning.models import Activity, Goal, Plan, PriorityArea
from services.planning.plans.activities import activity_view
from services.planning.tracking.items import activity_item, current_activities
from services.planning.tracking.rules.states import is_mine
from shared.auth.principal import Principal
from shared.errors import NotFoundError


def plan_or_404(session: Session, plan_id: int) -> Plan:
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise NotFoundError("Няма такъв годишен план.")
    return plan


def plan_view(session: Session, plan: Plan, *, detailed: bool) -> dict:
    """The plan; ``detailed`` adds its priorities with their goals and measures."""
    count = session.scalar(sa.select(sa.func.count()).where(Activity.plan_id == plan.id, Activity.removed.is_(False)))
    view = {"id": plan.id, "school_year": plan.school_year, "declared_school_year": plan.declared_school_year,
            "source_filename": plan.source_filename, "imported_at": plan.imported_at, "imports": plan.imports,
            "activities": count, "warnings": plan.warnings, "priorities": []}
    if detailed:
        goals = session.scalars(sa.select(Goal).where(Goal.plan_id == plan.id).order_by(Goal.id)).all()
        for area in session.scalars(sa.select(PriorityArea).where(PriorityArea.plan_id == plan.id)
                                    .order_by(PriorityArea.ordinal)):
            view["priorities"].append({
                "numeral": area.numeral, "title": area.title, "title_raw": area.title_raw,
                "goals": [{"id": g.id, "number": g.number, "number_raw": g.number_raw, "text": g.text,
                           "text_raw": g.text_raw, "measures": g.measures}
                          for g in sorted((g for g in goals if g.priority_id == area.id), key=lambda g: g.ordinal)]})
    return view


def activity_views(session: Session, who: Principal, plan_id: int, today: dt.date, *, mine: bool = False,
                   status: str | None = None, priority: str | None = None) -> list[dict]:
    """The plan's current activities in the plan's order; ``mine``: only those the caller answers for."""
    plan_or_404(session, plan_id)
    goals = {g.id: g for g in session.scalars(sa.select(Goal).where(Goal.plan_id == plan_id))}
    views = []
    for row in current_activities(session, plan_id):
        if mine and not is_mine(activity_item(row), who):
            continue
        view = activity_view(row, today, goals.get(row.goal_id))
        if status and view["status"] != status:
            continue
        if priority and row.priority != priority:
            continue
        views.append(view)
    return views
