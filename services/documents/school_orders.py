"""Orders and letters drawn up where their event happens (заповеди по събития): a day's timetable
deviation (Чл. 114) from its changes as they are recorded, the parents' PE notice (Чл. 27, ал. 5)
after the PE exemption order.

Each is keyed by what caused it (``source_key``), so a redelivered event makes nothing twice.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.documents import generation, replicas, waiting_orders
from services.documents.models import Document, StudentCard
from shared.messages import Envelope
from shared.runtime import ServiceRuntime

#: The register does not keep the council's minutes: the order names the decision for the office to complete.
COUNCIL_DECISION = "решение на педагогическия съвет, протокол № ......... от ............... г."
PE_EXEMPTION_ORDER = "pe_exemption_order"
PE_EXEMPTION_LETTER = "pe_exemption_letter"
PERSONAL_DATA_CONSENT = "personal_data_consent_declaration"
ATTENDANCE_DAYS_ORDER = "attendance_days_order"
ATTENDANCE_DAYS_LETTER = "attendance_days_letter"
#: Where the declarant's name is not known yet: the parent writes it in by hand.
BLANK_NAME = "........................................................"

#: ``request(session, template, context, *, source_key, student_id)``: queue or record a failed document.
Request = Callable[..., None]


def deviation_row(change: dict) -> dict:
    """One changed lesson as the order's table prints it."""
    if change["cancelled"]:
        what = "часът не се провежда"
    else:
        what = " – ".join(part for part in (change["subject"], change["teacher"]) if part)
    return {"class_name": change["class_code"], "lesson": change["lesson"], "change": what,
            "ground": change["ground"], "circumstances": change["circumstances"]}


def make_timetable_handler(rt: ServiceRuntime) -> Callable[[Session, dict, Envelope], None]:
    def on_timetable_changed(session: Session, payload: dict, _envelope: Envelope) -> None:
        """The day's deviation order (Чл. 114, ал. 1–2), with the circumstances as the office entered them."""
        day = payload["date"].isoformat()
        waiting_orders.gather(session, rt, waiting_orders.DEVIATION, day, {"date": day},
                              [deviation_row(change) for change in payload["changes"]])

    return on_timetable_changed


def _term(payload: dict) -> dict:
    return {"school_year": payload["school_year"], "term": payload["term"],
            "term_start": payload["term_start"].isoformat()}


def make_term_timetables_handler(rt: ServiceRuntime) -> Callable[[Session, dict, Envelope], None]:
    def on_term_timetables(session: Session, payload: dict, _envelope: Envelope) -> None:
        """The term's timetable approval (Чл. 113, ал. 3), every class's timetable in force."""
        rows = [{"class_name": row["class_code"], "weekly_lessons": row["weekly_lessons"],
                 "valid_from": row["valid_from"].isoformat()} for row in payload["classes"]]
        context = {**_term(payload), "council_decision": COUNCIL_DECISION}
        waiting_orders.gather(session, rt, waiting_orders.TIMETABLE_APPROVAL,
                              f"{payload['school_year']}:{payload['term']}", context, rows)

    return on_term_timetables


def make_term_class_works_handler(rt: ServiceRuntime) -> Callable[[Session, dict, Envelope], None]:
    def on_term_class_works(session: Session, payload: dict, _envelope: Envelope) -> None:
        """The term's schedule of class and test papers for approval (Чл. 136, ал. 2)."""
        rows = [{"class_name": row["class_code"], "subject": row["subject"], "kind": row["kind"],
                 "date": row["date"].isoformat()} for row in payload["works"]]
        waiting_orders.gather(session, rt, waiting_orders.CLASS_WORKS,
                              f"{payload['school_year']}:{payload['term']}", _term(payload), rows)

    return on_term_class_works


def _card_of(session: Session, name: str, class_code: str) -> StudentCard | None:
    return session.scalar(sa.select(StudentCard).where(
        StudentCard.name == name, StudentCard.class_code == class_code).order_by(StudentCard.id))


def attendance_days_letter(session: Session, order: Document, request: Request) -> None:
    """After the order declaring non-school attendance days, the notice to the head of РУО (Чл. 116, ал. 4)."""
    if order.template != ATTENDANCE_DAYS_ORDER:
        return
    context = order.context
    letter = {"order": {"number": order.number, "issued_on": context["issued_on"]},
              **{key: context[key] for key in ("ruo", "school_year", "council_decision", "days")}}
    request(session, ATTENDANCE_DAYS_LETTER, letter, source_key=f"attendance_days:{order.id}", student_id=None)


def follow_ups(session: Session, order: Document, request: Request) -> None:
    """The letters a numbered order is followed by: to the parents (Чл. 27, ал. 5), to РУО (Чл. 116, ал. 4)."""
    pe_exemption_letters(session, order, request)
    attendance_days_letter(session, order, request)


def pe_exemption_letters(session: Session, order: Document, request: Request) -> None:
    """After the PE exemption order is numbered, one notice to each student's parents (Чл. 27, ал. 5)."""
    if order.template != PE_EXEMPTION_ORDER:
        return
    context = order.context
    for index, row in enumerate(context.get("students", []), start=1):
        card = _card_of(session, row["name"], row["class_name"])
        class_teacher = replicas.staff_name(session, "class_teacher", row["class_name"])
        letter = {
            "student": {"name": row["name"], "class_name": row["class_name"]},
            "order": {"number": order.number, "issued_on": context["issued_on"]},
            "school_year": context["school_year"], "medical_document": row["medical_document"],
            "exempt_from": row["exempt_from"], "exempt_to": row["exempt_to"], "activity": context["activity"],
            "class_teacher": class_teacher or "Класният ръководител",
            **({"parent": replicas.addressee(card)} if card is not None else {}),
        }
        request(session, PE_EXEMPTION_LETTER, letter, source_key=f"pe_exemption:{order.id}:{index}",
                student_id=card.id if card is not None else None)


def make_student_handler(rt: ServiceRuntime, request: Request) -> Callable[[Session, dict, Envelope], None]:
    def on_student_saved(session: Session, payload: dict, envelope: Envelope) -> None:
        """Keep the student's card; on enrolment, the parents' personal-data consent (Чл. 152–153)."""
        new = session.get(StudentCard, payload["student_id"]) is None
        replicas.on_student_saved(session, payload, envelope)
        if not (new and payload["active"] and rt.settings.consent_documents_on_enrolment):
            return
        session.flush()
        card = session.get(StudentCard, payload["student_id"])
        today = rt.clock.today()
        context = {"parent_name": " и ".join(g["name"] for g in card.guardians) or BLANK_NAME,
                   "student": {"name": card.name, "class_name": card.class_code},
                   "school_year": generation.school_year_of(today), "enrolled_on": today.isoformat()}
        request(session, PERSONAL_DATA_CONSENT, context, source_key=f"personal_data_consent:{card.id}",
                student_id=card.id)

    return on_student_saved
