"""Orders and letters drawn up where their event happens (заповеди по събития): a day's timetable
deviation (Чл. 114) from its changes as they are recorded, the parents' PE notice (Чл. 27, ал. 5)
after the PE exemption order.

Each is keyed by what caused it (``source_key``), so a redelivered event makes nothing twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.documents import generation, replicas
from services.documents.models import Document, StudentCard
from services.documents.rendering import ContextError
from shared.messages import Envelope
from shared.platform_models import utcnow
from shared.runtime import ServiceRuntime

DEVIATION_ORDER = "timetable_deviation_order"
DEVIATION_KEY = "timetable_deviation"
PE_EXEMPTION_ORDER = "pe_exemption_order"
PE_EXEMPTION_LETTER = "pe_exemption_letter"
PERSONAL_DATA_CONSENT = "personal_data_consent_declaration"
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


def _deviation_orders(session: Session, day: str) -> list[Document]:
    prefix = f"{DEVIATION_KEY}:{day}"
    return list(session.scalars(sa.select(Document).where(sa.or_(
        Document.source_key == prefix, Document.source_key.startswith(f"{prefix}:"))).order_by(Document.id)))


def make_timetable_handler(rt: ServiceRuntime) -> Callable[[Session, dict, Envelope], None]:
    def on_timetable_changed(session: Session, payload: dict, _envelope: Envelope) -> None:
        """The day's deviation order (Чл. 114, ал. 1–2), with the circumstances as the office entered them.

        The event carries every change of the day. The order waits, queued, until
        :func:`draw_up_deviation_orders` numbers it, and each change recorded meanwhile joins it; a
        change recorded after it was numbered makes a further order with only what the earlier ones
        do not say, so no lesson is ordered twice and a redelivered event adds nothing.
        """
        day = payload["date"].isoformat()
        earlier = _deviation_orders(session, day)
        covered = [row for document in earlier if document.status != "queued"
                   for row in (document.context or {}).get("changes", [])]
        rows = [row for row in map(deviation_row, payload["changes"]) if row not in covered]
        waiting = next((document for document in earlier if document.status == "queued"), None)
        if waiting is not None:
            if rows:
                waiting.context = {**waiting.context, "changes": rows}
            return
        if not rows:
            return
        key = f"{DEVIATION_KEY}:{day}" + (f":{len(earlier) + 1}" if earlier else "")
        try:
            generation.request(session, rt, DEVIATION_ORDER, {"date": day, "changes": rows}, source_key=key,
                               render=False)
        except ContextError as exc:
            session.add(Document(template=DEVIATION_ORDER, context={"date": day, "changes": rows}, status="failed",
                                 source_key=key, error=generation.describe(exc), created_at=utcnow()))

    return on_timetable_changed


def draw_up_deviation_orders(rt: ServiceRuntime, now: dt.datetime | None = None) -> int:
    """The sweep: number each waiting deviation order from ``deviation_order_time`` of the day before.

    Dated the day it is numbered. Safe to run twice: a render job finds an order already done and
    leaves it. Returns the orders sent to be numbered.
    """
    local = (now or rt.clock.now()).astimezone(ZoneInfo(rt.settings.timezone))
    due = local.date() + dt.timedelta(days=1 if local.time() >= dt.time.fromisoformat(
        rt.settings.deviation_order_time) else 0)
    sent = 0
    with rt.db.transaction() as s:
        for document in s.scalars(sa.select(Document).where(
                Document.template == DEVIATION_ORDER, Document.status == "queued",
                Document.source_key.startswith(f"{DEVIATION_KEY}:"))):
            if dt.date.fromisoformat(document.context["date"]) > due:
                continue
            document.context = {**document.context, "issued_on": local.date().isoformat()}
            rt.enqueue_job(s, "render", document.id)
            sent += 1
    return sent


def _card_of(session: Session, name: str, class_code: str) -> StudentCard | None:
    return session.scalar(sa.select(StudentCard).where(
        StudentCard.name == name, StudentCard.class_code == class_code).order_by(StudentCard.id))


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
