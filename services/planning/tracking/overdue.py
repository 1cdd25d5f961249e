"""What is overdue (просрочено) for whom: the items a person sees and those past their due date.

One place for the API's list, its dashboard and the home page's card, so they cannot disagree.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from services.planning.access import SEE_ALL
from services.planning.tracking.items import all_items
from services.planning.tracking.rules.states import Item, is_mine, overdue_view
from shared.auth.principal import Principal


def visible_items(session: Session, who: Principal, *, open_only: bool = False) -> list[Item]:
    """The management sees the whole school's items; everyone else those they are responsible for."""
    items = all_items(session, open_only=open_only)
    if who.role in SEE_ALL:
        return items
    return [item for item in items if is_mine(item, who)]


def overdue(session: Session, who: Principal, today: dt.date, reminder_days_before: int) -> list[dict]:
    """The overdue items the caller sees as the contract's rows, the oldest first."""
    items = [item for item in visible_items(session, who, open_only=True)
             if item.state(today, reminder_days_before) == "overdue"]
    items.sort(key=lambda item: (item.due, item.kind, item.id))
    return [overdue_view(item, today) for item in items]
