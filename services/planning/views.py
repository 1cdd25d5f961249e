"""How activities look in answers and who may see or change them (shared by the API modules)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from services.planning.models import Activity, Goal
from services.planning.tracking import CLOSED, activity_item, is_mine
from shared.auth.principal import Principal
from shared.auth.roles import MANAGEMENT
from shared.errors import NotAllowedError, NotFoundError

#: Who imports the plan and asks for its report: the school's management (the plan is theirs, Чл. 10).
PLAN_MANAGERS = MANAGEMENT
#: Roles that see the whole school's items in the lists (others see their own).
SEE_ALL = (*MANAGEMENT, "it_admin")



def no_parents(who: Principal) -> None:
    if who.role == "parent":
        raise NotAllowedError("Плановете и сроковете на училището са достъпни само за служителите.")


def display_status(row: Activity, today: dt.date) -> str:
    """The stored status, or the derived "overdue" / "needs_date" of an open activity."""
    if row.status in CLOSED:
        return row.status
    item = activity_item(row)
    if row.due is not None and row.due < today:
        return "overdue"
    if item.needs_date and row.status == "planned":
        return "needs_date"
    return row.status


def activity_view(row: Activity, today: dt.date, goal: Goal | None = None) -> dict:
    item = activity_item(row)
    return {
        "id": row.id, "priority": row.priority, "number": row.number, "text": row.text,
        "deadline_text": row.deadline_text, "due": row.due, "unit": row.unit,
        "current": row.current if row.current is not None else row.baseline, "target": row.target,
        "responsible": list(row.responsible_roles or ()), "status": display_status(row, today),
        "key": row.key, "plan_id": row.plan_id, "goal": goal.text if goal else "", "level": row.level,
        "parent_id": row.parent_id, "number_raw": row.number_raw, "text_raw": row.text_raw,
        "deadline_raw": row.deadline_raw, "deadline_kind": row.deadline_kind, "start": row.start,
        "milestones": row.milestones, "needs_date": item.needs_date, "unit_raw": row.unit_raw,
        "baseline": row.baseline, "baseline_raw": row.baseline_raw, "target_raw": row.target_raw,
        "indicators": row.indicators, "responsible_raw": row.responsible_raw,
        "responsible_titles": list(item.titles), "assignee_ids": list(row.assignee_ids or ()),
        "done_on": row.done_on, "overdue_since": row.overdue_since,
    }


def activity_or_404(session: Session, activity_id: int) -> Activity:
    row = session.get(Activity, activity_id)
    if row is None or row.removed:
        raise NotFoundError("Няма такава дейност.")
    return row


def may_change(row: Activity, who: Principal) -> bool:
    """The responsible people or the management (Чл. 10, ал. 7: the director manages the plan's execution)."""
    return who.is_management or is_mine(activity_item(row), who)
