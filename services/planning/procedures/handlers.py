"""Handlers of the register's events that set, close and open procedural deadlines (spec §12)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.planning.models import AbsencesFinalised, Procedure
from services.planning.procedures.store import close_procedure, close_row, find_procedure, upsert_procedure
from shared.messages import Envelope

#: Чл. 97, т. 9: absences are finalised in the register within one week (catalogue item D05).
ABSENCE_FINALISE_DAYS = 7
#: Titles of the sanction steps (Чл. 52–60), for a next step announced only by its name.
SANCTION_STEPS = {
    "proposal": "Предложение за налагане на санкция",
    "parent_notified": "Уведомяване на родителя за откриване на процедурата",
    "hearing": "Изслушване на ученика",
    "decision": "Решение за налагане на санкцията",
    "order": "Заповед на директора",
    "letter": "Писмо до родителите по образец",
    "ruo_informed": "Уведомяване на началника на РУО",
    "appeal": "Обжалване на заповедта по АПК",
    "in_force": "Влизане в сила и отразяване в документацията",
    "erasure_proposal": "Предложение за предсрочно заличаване",
    "erasure_order": "Заповед за предсрочно заличаване",
    "erased": "Заличаване на санкцията",
}
#: Who completes each step (Чл. 56–60): the class teacher proposes and records, the director decides.
SANCTION_STEP_ROLES = {"proposal": ["class_teacher"], "in_force": ["class_teacher"], "erased": ["class_teacher"]}


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
            close_row(session, row, payload["done_on"])
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
    finalised = session.get(AbsencesFinalised, payload["class_code"])
    if finalised is not None and day <= finalised.through:
        return
    upsert_procedure(
        session, source="register", key=key,
        title=f"Оформяне на отсъствията на {payload['class_code']} клас от {day:%d.%m.%Y} в дневника",
        due=day + dt.timedelta(days=ABSENCE_FINALISE_DAYS), responsible_roles=["class_teacher"],
        article="Чл. 97, т. 9", class_code=payload["class_code"],
    )


def on_absences_finalised(session: Session, payload: dict, _envelope: Envelope) -> None:
    """„Оформи седмицата“ (Чл. 97, т. 9): the class's open D05 duties up to ``through`` are done.

    Closing an already closed duty does nothing, and a later day's duty stays open, so the event
    handled twice, or an earlier finalisation arriving after a later one, changes nothing more.
    """
    code, through = payload["class_code"], payload["through"]
    finalised = session.get(AbsencesFinalised, code)
    if finalised is None:
        session.add(AbsencesFinalised(class_code=code, through=through))
    elif finalised.through < through:
        finalised.through = through
    prefix = f"D05:{code}:"
    for row in session.scalars(sa.select(Procedure).where(
            Procedure.class_code == code, Procedure.status != "done", Procedure.key.startswith(prefix))):
        try:
            day = dt.date.fromisoformat(row.key.removeprefix(prefix))
        except ValueError:
            continue
        if day <= through:
            close_row(session, row, payload["finalised_on"])
