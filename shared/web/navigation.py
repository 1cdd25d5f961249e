"""The menu a signed-in person sees, by role.

The menu spans every service (each renders its own pages, under its own prefix), so it is
declared once here; a feature that adds a page adds its entry.
"""

from __future__ import annotations

import dataclasses

from shared.auth.principal import Principal
from shared.auth.roles import MANAGEMENT, OFFICE, ROLES


@dataclasses.dataclass(frozen=True)
class MenuEntry:
    title: str
    href: str
    roles: tuple[str, ...] = ROLES


#: In the order shown. Only pages that exist are listed.
MENU: tuple[MenuEntry, ...] = (
    MenuEntry("Начало", "/"),
    MenuEntry("Известия", "/notifications/inbox"),
    # The documents' pages: a class teacher sees their class's letters, the office everything.
    MenuEntry("Документи", "/documents/", (*OFFICE, "class_teacher")),
    MenuEntry("Заповеди", "/documents/orders", OFFICE),
    MenuEntry("Печат", "/documents/print-sets", OFFICE),
    MenuEntry("Шаблони", "/documents/templates", (*OFFICE, "it_admin")),
    MenuEntry("Внасяне на ученици", "/register/import", OFFICE),
    MenuEntry("Месечни справки", "/register/exports", OFFICE),
    MenuEntry("Годишен план", "/planning/plans", MANAGEMENT),
    MenuEntry("Санкции", "/register/sanctions", (*MANAGEMENT, "class_teacher")),
    MenuEntry("Просрочени срокове", "/planning/overdue", OFFICE),
    MenuEntry("Потребители", "/register/users", ("it_admin", "director")),
    MenuEntry("Система", "/admin/system", ("it_admin",)),
    MenuEntry("Разписание", "/register/timetable", OFFICE),
    MenuEntry("Невписани часове", "/register/lessons/unrecorded", MANAGEMENT),
    MenuEntry("Изпити", "/register/exams", OFFICE),
)


def navigation_for(user: Principal | None) -> list[MenuEntry]:
    if user is None:
        return []
    return [entry for entry in MENU if user.role in entry.roles]
