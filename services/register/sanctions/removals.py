"""Removals from a lesson or from school (отстраняване, Правилник Чл. 52, ал. 2–3), with the parent informed."""

from __future__ import annotations

from typing import Any

from services.register.models import TABLES
from services.register.models.sanctions import Removal
from services.register.people.students import student_or_422
from shared import audit
from shared.auth.principal import Principal
from shared.errors import InvalidInputError, NotAllowedError
from shared.runtime import ServiceRuntime


def record_removal(rt: ServiceRuntime, who: Principal, student_id: int, data: dict[str, Any]) -> int:
    """Removal from a lesson by its teacher (Чл. 52, ал. 2) or from school with the parent told first (ал. 3)."""
    lesson = data["kind"] == "lesson"
    article = "Чл. 52, ал. 2" if lesson else "Чл. 52, ал. 3"
    if lesson and data.get("lesson") is None:
        raise InvalidInputError({"lesson": "Посочете учебния час, от който ученикът е отстранен (Чл. 52, ал. 2)."})
    if not lesson and not (data.get("parent_informed") and data.get("psychologist_informed")):
        raise InvalidInputError(
            {"parent_informed": "Преди отстраняването от училище се уведомяват родителят и училищният "
                                 "психолог (Чл. 52, ал. 3)."})
    with rt.db.transaction() as s:
        student = student_or_422(s, student_id)
        if not who.is_management and not (lesson and who.role in ("teacher", "class_teacher")
                                          and who.teaches_class(student.class_code)):
            raise NotAllowedError(
                "От час отстранява учителят на паралелката, от училище – ръководството (Чл. 52, ал. 2–3).")
        row = Removal(student_id=student.id, kind=data["kind"], date=data["date"], lesson=data.get("lesson"),
                      subject=data.get("subject", ""), reason=data["reason"],
                      parent_informed=data.get("parent_informed", False),
                      psychologist_informed=data.get("psychologist_informed", False), recorded_by=who.id)
        s.add(row)
        s.flush()
        rt.publish(s, "register.student_removed", {
            "removal_id": row.id, "student_id": student.id, "student_name": student.full_name,
            "class_code": student.class_code, "kind": row.kind, "date": row.date.isoformat(),
            "lesson": row.lesson, "subject": row.subject, "reason": row.reason, "article": article,
            "parent_informed": row.parent_informed, "psychologist_informed": row.psychologist_informed})
        audit.record(s, TABLES, who, "removal.create", "removal", row.id,
                     after={**data, "date": data["date"].isoformat()})
        return row.id
