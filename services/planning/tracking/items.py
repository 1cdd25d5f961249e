"""Tracked items (следени срокове): plan activities and procedures read as the same ``Item``.

What an item's state is and whose it is are the pure rules in ``rules/states.py``.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.planning.models import TABLES, Activity, Plan, Procedure
from services.planning.tracking.rules.states import CLOSED, NEEDS_DATE_KINDS, Item, is_mine
from shared.auth.principal import Principal


def activity_title(row: Activity) -> str:
    first_line = row.text.split("\n", 1)[0]
    return f"{row.priority}/{row.number} {first_line}"[:500]


def activity_item(row: Activity) -> Item:
    return Item(kind="activity", id=row.id, title=activity_title(row), due=row.due,
                roles=tuple(row.responsible_roles or ()), titles=tuple(p["title"] for p in row.responsible or ()),
                article="", class_code=None, user_ids=tuple(row.assignee_ids or ()), closed=row.status in CLOSED,
                needs_date=row.due is None and row.deadline_kind in NEEDS_DATE_KINDS
                and not row.undated_accepted, plan_id=row.plan_id)


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


def procedure_item(row: Procedure) -> Item:
    return Item(kind="procedure", id=row.id, title=row.title, due=row.due, roles=tuple(row.responsible_roles or ()),
                titles=(), article=row.article or "", class_code=row.class_code, user_ids=(),
                closed=row.status in CLOSED, needs_date=False, sanction_id=_sanction_id(row))


def _sanction_id(row: Procedure) -> int | None:
    """A step of a sanction procedure (Чл. 52–60) names its sanction in the details the register sent."""
    value = (row.details or {}).get("sanction_id")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def current_activities(session: Session, plan_id: int | None = None):
    """Activities of the current import of every plan (or of one)."""
    query = sa.select(Activity).join(Plan, Plan.id == Activity.plan_id).where(Activity.removed.is_(False))
    if plan_id is not None:
        query = query.where(Activity.plan_id == plan_id)
    return session.scalars(query.order_by(Activity.plan_id, Activity.ordinal)).all()


def all_items(session: Session, *, open_only: bool = False) -> list[Item]:
    """Every tracked item; ``open_only`` leaves out done and cancelled ones in the query (procedures pile up)."""
    activities = current_activities(session)
    procedures = sa.select(Procedure).order_by(Procedure.due)
    if open_only:
        activities = [row for row in activities if row.status not in CLOSED]
        procedures = procedures.where(Procedure.status.not_in(CLOSED))
    items = [activity_item(row) for row in activities]
    items += [procedure_item(row) for row in session.scalars(procedures)]
    return items


def closed_counts(session: Session) -> dict[str, int]:
    """Done or cancelled items by kind, counted in the database."""
    activities = sa.select(sa.func.count()).select_from(Activity).where(
        Activity.removed.is_(False), Activity.status.in_(CLOSED))
    procedures = sa.select(sa.func.count()).select_from(Procedure).where(Procedure.status.in_(CLOSED))
    return {"activity": session.scalar(activities) or 0, "procedure": session.scalar(procedures) or 0}


def responsible_users(session: Session, item: Item) -> list[int]:
    """The school's users an item's reminder goes to (from the identity.user_saved replica)."""
    if item.user_ids:
        return sorted(item.user_ids)
    principal_table = TABLES.principal
    rows = session.scalars(sa.select(principal_table).where(principal_table.active.is_(True))).all()
    found = []
    for row in rows:
        who = Principal(id=row.id, name=row.name, role=row.role, class_codes=tuple(row.class_codes or ()))
        if is_mine(item, who):
            found.append(row.id)
    return sorted(found)
