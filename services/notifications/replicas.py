"""Replicas of register's data that notifications needs: the guardians (получатели) of each student."""

from __future__ import annotations

from sqlalchemy.orm import Session

from services.notifications.models import Guardian
from shared.messages import Envelope


def on_student_saved(session: Session, payload: dict, _envelope: Envelope) -> None:
    """Upsert the student's guardians; a guardian no longer listed is kept but deactivated."""
    name = " ".join(p for p in (payload["first_name"], payload["middle_name"], payload["last_name"]) if p)
    listed = {g["guardian_id"] for g in payload["guardians"]}
    for existing in session.query(Guardian).filter(Guardian.student_id == payload["student_id"]):
        if existing.id not in listed:
            existing.active = False
    for g in payload["guardians"]:
        row = session.get(Guardian, g["guardian_id"]) or Guardian(id=g["guardian_id"])
        row.student_id = payload["student_id"]
        row.student_name = name
        row.class_code = payload["class_code"]
        row.name = g["name"]
        row.email = g["email"]
        row.phone = g["phone"]
        row.address = g.get("address")
        row.active = payload["active"]
        session.add(row)
