"""Procedural deadlines from the other services (процедурни срокове, spec §12)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.planning.models import Procedure
from shared.messages import Envelope

#: Чл. 97, т. 9: absences are finalised in the register within one week (catalogue item D05).
ABSENCE_FINALISE_DAYS = 7


def upsert_procedure(session: Session, *, source: str, key: str, title: str, due: dt.date,
                     responsible_roles: list[str], article: str, student_id: int | None = None) -> Procedure:
    row = session.scalar(sa.select(Procedure).where(Procedure.source == source, Procedure.key == key))
    if row is None:
        row = Procedure(source=source, key=key, status="open")
        session.add(row)
    row.title = title
    row.due = due
    row.responsible_roles = list(responsible_roles)
    row.article = article
    row.student_id = student_id
    return row


def on_deadline_set(session: Session, payload: dict, _envelope: Envelope) -> None:
    upsert_procedure(session, source=payload["source"], key=payload["key"], title=payload["title"],
                     due=payload["due"], responsible_roles=payload["responsible_roles"],
                     article=payload["article"], student_id=payload["student_id"])


def on_deadline_closed(session: Session, payload: dict, _envelope: Envelope) -> None:
    row = session.scalar(sa.select(Procedure).where(
        Procedure.source == payload["source"], Procedure.key == payload["key"]))
    if row is not None and row.status != "done":
        row.status = "done"
        row.done_on = payload["done_on"]


def on_absence_recorded(session: Session, payload: dict, _envelope: Envelope) -> None:
    """One duty per class and day: the class teacher finalises that day's absences within a week."""
    day: dt.date = payload["date"]
    key = f"D05:{payload['class_code']}:{day.isoformat()}"
    if session.scalar(sa.select(Procedure.id).where(Procedure.source == "register", Procedure.key == key)):
        return
    upsert_procedure(
        session, source="register", key=key,
        title=f"Оформяне на отсъствията на {payload['class_code']} клас от {day:%d.%m.%Y} в дневника",
        due=day + dt.timedelta(days=ABSENCE_FINALISE_DAYS), responsible_roles=["class_teacher"],
        article="Чл. 97, т. 9",
    )


def overdue(session: Session, today: dt.date) -> list[Procedure]:
    return list(session.scalars(
        sa.select(Procedure).where(Procedure.status != "done", Procedure.due < today).order_by(Procedure.due)
    ))
