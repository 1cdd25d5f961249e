"""Procedural deadlines from the other services (процедурни срокове, spec §12).

Keys are the producer's: ``sanction:<id>:<step>`` for the steps of a sanction procedure
(Чл. 52–60), ``D05:<class>:<date>`` for finalising a day's absences, ``D06:<yyyy-mm>`` for the
monthly absence report, and so on.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.planning.models import TABLES, Procedure
from shared import audit
from shared.auth.principal import SYSTEM
from shared.messages import Envelope

#: Чл. 97, т. 9: absences are finalised in the register within one week (catalogue item D05).
ABSENCE_FINALISE_DAYS = 7
#: The source of procedures created by this service's own deadline catalogue (duties.py).
CATALOGUE = "catalogue"

#: Titles of the sanction steps (Чл. 52–60), for a next step announced only by its name.
SANCTION_STEPS = {
    "proposal": "Предложение за налагане на санкция",
    "parent_notified": "Уведомяване на родителя за откриване на процедурата",
    "hearing": "Изслушване на ученика",
    "decision": "Решение за налагане на санкцията",
    "order": "Заповед на директора",
    "letter": "Писмо до родителите по образец",
    "ruo_informed": "Уведомяване на началника на РУО",
    "in_force": "Влизане в сила и отразяване в документацията",
    "erased": "Заличаване на санкцията",
}
#: Who completes each step (Чл. 56–60): the class teacher proposes and records, the director decides.
SANCTION_STEP_ROLES = {"proposal": ["class_teacher"], "in_force": ["class_teacher"], "erased": ["class_teacher"]}


def find_procedure(session: Session, source: str, key: str) -> Procedure | None:
    """The procedure with this key from this source, or the catalogue's row for the same duty."""
    rows = session.scalars(sa.select(Procedure).where(Procedure.key == key,
                                                      Procedure.source.in_((source, CATALOGUE)))).all()
    return next((r for r in rows if r.source == source), rows[0] if rows else None)


def upsert_procedure(session: Session, *, source: str, key: str, title: str, due: dt.date,
                     responsible_roles: list[str], article: str, student_id: int | None = None,
                     class_code: str | None = None, details: dict | None = None) -> Procedure:
    row = find_procedure(session, source, key)
    if row is None:
        row = Procedure(source=source, key=key, status="open", details={})
        session.add(row)
    row.source = source
    row.title = title[:500]
    if row.due != due:
        row.overdue_since = None
    row.due = due
    row.responsible_roles = list(responsible_roles)
    row.article = article
    row.student_id = student_id
    row.class_code = class_code
    row.details = dict(details or {})
    session.flush()
    audit.record(session, TABLES, SYSTEM, "procedure.set", "procedure", row.id,
                 after={"source": source, "key": key, "due": due.isoformat(), "article": article})
    return row


def close_procedure(session: Session, source: str, key: str, done_on: dt.date) -> Procedure | None:
    row = find_procedure(session, source, key)
    if row is not None and row.status != "done":
        _close(session, row, done_on)
    return row


def _close(session: Session, row: Procedure, done_on: dt.date) -> None:
    before = {"status": row.status}
    row.status, row.done_on = "done", done_on
    audit.record(session, TABLES, SYSTEM, "procedure.close", "procedure", row.id, before=before,
                 after={"status": "done", "done_on": done_on.isoformat()})


def on_deadline_set(session: Session, payload: dict, _envelope: Envelope) -> None:
    details = payload["details"]
    upsert_procedure(session, source=payload["source"], key=payload["key"], title=payload["title"],
                     due=payload["due"], responsible_roles=payload["responsible_roles"],
                     article=payload["article"], student_id=payload["student_id"],
                     class_code=details.get("class_code"), details=details)


def on_deadline_closed(session: Session, payload: dict, _envelope: Envelope) -> None:
    close_procedure(session, payload["source"], payload["key"], payload["done_on"])


def sanction_key(sanction_id: int, step: str) -> str:
    return f"sanction:{sanction_id}:{step}"


def on_sanction_step_done(session: Session, payload: dict, _envelope: Envelope) -> None:
    """The step's procedure is done; the next step, if the register names one, is opened with its deadline."""
    sanction_id = payload["sanction_id"]
    close_procedure(session, "register", sanction_key(sanction_id, payload["step"]), payload["done_on"])
    # a producer may have keyed the step differently: close whatever names this sanction and step
    for row in session.scalars(sa.select(Procedure).where(Procedure.student_id == payload["student_id"],
                                                          Procedure.status == "open")):
        if (row.details or {}).get("sanction_id") == sanction_id and row.details.get("step") == payload["step"]:
            _close(session, row, payload["done_on"])
    next_step, next_due = payload["next_step"], payload["next_due"]
    if not next_step or next_due is None:
        return
    key = sanction_key(sanction_id, next_step)
    existing = find_procedure(session, "register", key)
    if existing is not None and existing.status == "done":
        return
    title = f"{SANCTION_STEPS.get(next_step, next_step)}: {payload['student_name']}, {payload['class_code']} клас"
    upsert_procedure(session, source="register", key=key, title=title, due=next_due,
                     responsible_roles=SANCTION_STEP_ROLES.get(next_step, ["director"]),
                     article=payload["details"].get("next_article") or payload["article"],
                     student_id=payload["student_id"], class_code=payload["class_code"],
                     details={"sanction_id": sanction_id, "step": next_step, "type": payload["type"]})


def on_absence_recorded(session: Session, payload: dict, _envelope: Envelope) -> None:
    """One duty per class and day: the class teacher finalises that day's absences within a week."""
    day: dt.date = payload["date"]
    key = f"D05:{payload['class_code']}:{day.isoformat()}"
    if find_procedure(session, "register", key) is not None:
        return
    upsert_procedure(
        session, source="register", key=key,
        title=f"Оформяне на отсъствията на {payload['class_code']} клас от {day:%d.%m.%Y} в дневника",
        due=day + dt.timedelta(days=ABSENCE_FINALISE_DAYS), responsible_roles=["class_teacher"],
        article="Чл. 97, т. 9", class_code=payload["class_code"],
    )
