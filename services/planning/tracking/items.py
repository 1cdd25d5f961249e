"""Tracked items (следени срокове): plan activities and procedures seen the same way.

An item is open until done or cancelled; an open item with a date is "due soon" within
``reminder_days_before`` days of it, "due today" on it and "overdue" after it; an open activity
whose deadline is a relative or legal reference and has no entered date "needs a date".
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.planning.models import TABLES, Activity, Plan, Procedure
from shared.auth.principal import Principal

#: Statuses that close an item.
CLOSED = frozenset({"done", "cancelled"})
#: Deadline kinds a person has to turn into a date (spec annual-plan.md §4).
NEEDS_DATE_KINDS = frozenset({"relative", "legal_ref", "unknown"})
#: Roles whose holders also do what the plan asks of "учители" (a class teacher teaches too).
ALSO_ACTS_AS = {"class_teacher": ("teacher",)}


@dataclasses.dataclass(frozen=True)
class Item:
    kind: str  # "activity" | "procedure"
    id: int
    title: str
    due: dt.date | None
    roles: tuple[str, ...]
    titles: tuple[str, ...]
    article: str
    class_code: str | None
    user_ids: tuple[int, ...]
    closed: bool
    needs_date: bool

    def state(self, today: dt.date, days_before: int) -> str:
        """open | due_soon | due_today | overdue | done | needs_date | no_deadline."""
        if self.closed:
            return "done"
        if self.due is None:
            return "needs_date" if self.needs_date else "no_deadline"
        if self.due < today:
            return "overdue"
        if self.due == today:
            return "due_today"
        if (self.due - today).days <= days_before:
            return "due_soon"
        return "open"


def activity_title(row: Activity) -> str:
    first_line = row.text.split("\n", 1)[0]
    return f"{row.priority}/{row.number} {first_line}"[:500]


def activity_item(row: Activity) -> Item:
    return Item(kind="activity", id=row.id, title=activity_title(row), due=row.due,
                roles=tuple(row.responsible_roles or ()), titles=tuple(p["title"] for p in row.responsible or ()),
                article="", class_code=None, user_ids=tuple(row.assignee_ids or ()), closed=row.status in CLOSED,
                needs_date=row.due is None and row.deadline_kind in NEEDS_DATE_KINDS)


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
                closed=row.status in CLOSED, needs_date=False)


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


def acts_as(principal: Principal) -> set[str]:
    return {principal.role, *ALSO_ACTS_AS.get(principal.role, ())}


def is_mine(item: Item, principal: Principal) -> bool:
    """Named for it by the management, or (nobody named) holding one of its roles, in its class."""
    if item.user_ids:
        return principal.id in item.user_ids
    if not acts_as(principal) & set(item.roles):
        return False
    return item.class_code is None or principal.teaches_class(item.class_code)


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


def overdue_view(item: Item, today: dt.date) -> dict:
    """The contract's overdue row (plus the article and the Bulgarian titles)."""
    return {"kind": item.kind, "id": item.id, "title": item.title, "due": item.due, "responsible": list(item.roles),
            "days_overdue": (today - item.due).days, "article": item.article,
            "responsible_titles": list(item.titles)}
