"""Classes and teaching assignments (паралелки и разпределение на часовете)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from services.register.models import TABLES
from services.register.models.people import Assignment, SchoolClass
from shared import audit
from shared.auth.principal import Principal
from shared.errors import ConflictError, InvalidInputError
from shared.runtime import ServiceRuntime


def create_class(rt: ServiceRuntime, who: Principal, data: dict[str, Any]) -> int:
    with rt.db.transaction() as s:
        if s.scalar(sa.select(SchoolClass.id).where(SchoolClass.code == data["code"])):
            raise ConflictError(f"Паралелка {data['code']} вече съществува.", "code")
        row = SchoolClass(**data)
        s.add(row)
        s.flush()
        audit.record(s, TABLES, who, "class.create", "class", row.id, after=data)
        return row.id


def create_assignment(rt: ServiceRuntime, who: Principal, data: dict[str, Any]) -> int:
    with rt.db.transaction() as s:
        if not s.scalar(sa.select(SchoolClass.id).where(SchoolClass.code == data["class_code"])):
            raise InvalidInputError({"class_code": f"Няма паралелка {data['class_code']}."})
        duplicate = s.scalar(sa.select(Assignment.id).where(
            Assignment.class_code == data["class_code"], Assignment.subject == data["subject"],
            Assignment.teacher_id == data["teacher_id"]))
        if duplicate:
            raise ConflictError("Това разпределение вече съществува.")
        row = Assignment(**data)
        s.add(row)
        s.flush()
        audit.record(s, TABLES, who, "assignment.create", "assignment", row.id, after=data)
        return row.id
