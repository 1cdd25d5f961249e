"""Who is calling (потребител) and what their role and scope allow."""

from __future__ import annotations

import dataclasses

ROLES: tuple[str, ...] = (
    "director", "deputy_director", "class_teacher", "teacher", "secretary", "psychologist", "parent",
    "it_admin",
)

#: Roles that see and manage the whole school (the rulebook's management, Чл. 6.1 of the spec).
MANAGEMENT: frozenset[str] = frozenset({"director", "deputy_director"})


@dataclasses.dataclass(frozen=True)
class Principal:
    id: int
    name: str
    role: str
    class_codes: tuple[str, ...] = ()
    student_ids: tuple[int, ...] = ()

    @property
    def is_management(self) -> bool:
        return self.role in MANAGEMENT

    def teaches_class(self, class_code: str) -> bool:
        return class_code in self.class_codes

    def is_guardian_of(self, student_id: int) -> bool:
        return self.role == "parent" and student_id in self.student_ids

    def as_audit(self) -> dict:
        return {"id": self.id, "role": self.role}


#: The identity of the system itself (event handlers, scheduler), for the audit log.
SYSTEM = Principal(id=0, name="система", role="system")
