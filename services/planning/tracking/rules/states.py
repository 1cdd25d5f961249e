"""A tracked item's state (състояние на срока) against today, and whose item it is.

An item is open until done or cancelled; an open item with a date is "due soon" within
``reminder_days_before`` days of it, "due today" on it and "overdue" after it; an open activity
whose deadline is a relative or legal reference and has no entered date "needs a date".
"""

from __future__ import annotations

import dataclasses
import datetime as dt

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
    #: where the item is worked on: an activity's plan, a sanction procedure's step (its register record)
    plan_id: int | None = None
    sanction_id: int | None = None

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


def acts_as(principal: Principal) -> set[str]:
    return {principal.role, *ALSO_ACTS_AS.get(principal.role, ())}


def is_mine(item: Item, principal: Principal) -> bool:
    """Named for it by the management, or (nobody named) holding one of its roles, in its class."""
    if item.user_ids:
        return principal.id in item.user_ids
    if not acts_as(principal) & set(item.roles):
        return False
    return item.class_code is None or principal.teaches_class(item.class_code)


def overdue_view(item: Item, today: dt.date) -> dict:
    """The contract's overdue row (plus the article and the Bulgarian titles)."""
    return {"kind": item.kind, "id": item.id, "title": item.title, "due": item.due, "responsible": list(item.roles),
            "days_overdue": (today - item.due).days, "article": item.article,
            "responsible_titles": list(item.titles), "plan_id": item.plan_id, "sanction_id": item.sanction_id}
