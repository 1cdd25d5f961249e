"""Who is calling (потребител) and what their role and scope allow."""

from __future__ import annotations

import dataclasses

from shared.auth.roles import MANAGEMENT


@dataclasses.dataclass(frozen=True)
class Principal:
    id: int
    name: str
    role: str
    class_codes: tuple[str, ...] = ()
    student_ids: tuple[int, ...] = ()
    #: Signed in with a one-time password not yet changed: only signing in/out and the change are allowed.
    must_change_password: bool = False

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
