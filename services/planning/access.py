"""Who may see and change planning's plans and tracked items: the staff; the management everything."""

from __future__ import annotations

from services.planning.models import Activity
from services.planning.tracking.items import activity_item
from services.planning.tracking.rules.states import is_mine
from shared.auth.principal import Principal
from shared.auth.roles import MANAGEMENT
from shared.errors import NotAllowedError

#: Who imports the plan and asks for its report: the school's management (the plan is theirs, Чл. 10).
PLAN_MANAGERS = MANAGEMENT
#: Roles that see the whole school's items in the lists (others see their own).
SEE_ALL = (*MANAGEMENT, "it_admin")


def no_parents(who: Principal) -> None:
    if who.role == "parent":
        raise NotAllowedError("Плановете и сроковете на училището са достъпни само за служителите.")


def may_change(row: Activity, who: Principal) -> bool:
    """The responsible people or the management (Чл. 10, ал. 7: the director manages the plan's execution)."""
    return who.is_management or is_mine(activity_item(row), who)
