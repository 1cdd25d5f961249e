"""Documents drawn up because something happened elsewhere: each event at most one document."""

from __future__ import annotations

import functools
import logging

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.documents import benefit_lists, generation, replicas, tasks
from services.documents.models import Document, StudentCard
from services.documents.printing import sets
from services.documents.rendering import ContextError
from shared.messages import Envelope
from shared.platform_models import utcnow
from shared.runtime import ServiceRuntime

log = logging.getLogger(__name__)

#: Rungs of the parent-letter ladder (Чл. 97, т. 8) that the register's rule pack fires.
LADDER_RULE = "parent_notification_ladder"
#: Rungs whose letter needs nothing the office must add; at 30 the meeting with the institutions
#: is set by the class teacher first (Чл. 97, т. 8, „г“), so that letter is drawn up on request.
AUTOMATIC_RUNGS = (3, 8, 20)
#: Documents each sanction step produces; the facts only the register knows (motives, hearing,
#: proposal reference) come in the event's ``details.document_context``.
SANCTION_DOCUMENTS = {
    "proposal": ("sanction_procedure_notice",),
    "order": ("sanction_order_{type}",),
}


def only_fields(spec_fields: set[str], context: dict) -> dict:
    """Drop what a template does not ask for: event-driven contexts carry facts for several documents."""
    return {key: value for key, value in context.items() if key in spec_fields}


def _letter_base(session: Session, card: StudentCard) -> dict:
    class_teacher = replicas.staff_name(session, "class_teacher", card.class_code) or "Класният ръководител"
    return {"parent": replicas.addressee(card), "student": {"name": card.name, "class_name": card.class_code},
            "class_teacher": class_teacher}


def _request_or_record_failure(session: Session, template: str, context: dict, *, rt: ServiceRuntime,
                               source_key: str, student_id: int | None) -> None:
    """Queue the document; if the data cannot fill it, keep a failed row so the office sees why."""
    try:
        generation.request(session, rt, template, context, source_key=source_key, student_id=student_id)
    except ContextError as exc:
        log.warning("документ %s за %s не може да се състави: %s", template, source_key, list(exc.errors))
        failed = Document(template=template, context=context, status="failed", source_key=source_key,
                          student_id=student_id, error=generation.describe(exc), created_at=utcnow())
        session.add(failed)
        tasks.announce_failure(session, rt, failed)


def make_handlers(rt: ServiceRuntime) -> dict:
    def on_absence_recorded(session: Session, payload: dict, _envelope: Envelope) -> None:
        """Count the lesson's marks; with ``absence_notice_documents``, one notice per student and day."""
        day = payload["date"]
        replicas.count_absences(session, day, payload["marks"])
        if not rt.settings.absence_notice_documents:
            return
        year = generation.school_year_of(day)
        year_start = day.replace(year=int(year[:4]), month=9, day=1)
        for student_id in dict.fromkeys(mark["student_id"] for mark in payload["marks"]):
            card = session.get(StudentCard, student_id)
            if card is None:
                continue
            today = replicas.tally(session, card.id, day, day)
            to_date = replicas.tally(session, card.id, year_start, day)
            context = {**_letter_base(session, card), "period_from": day.isoformat(), "period_to": day.isoformat(),
                       "excused": today["excused"], "unexcused": today["unexcused"], "late": today["late"],
                       "unexcused_year": to_date["unexcused"]}
            _request_or_record_failure(session, "absence_notice", context, rt=rt,
                                       source_key=f"absence_notice:{card.id}:{day.isoformat()}", student_id=card.id)

    def on_rule_fired(session: Session, payload: dict, _envelope: Envelope) -> None:
        if payload["rule_id"] != LADDER_RULE or int(payload["threshold"]) not in AUTOMATIC_RUNGS:
            return
        card = session.get(StudentCard, payload["student_id"])
        if card is None:
            return
        rung = int(payload["threshold"])
        details = payload["details"]
        context = {**_letter_base(session, card), "rung": rung, "count": int(payload["count"]),
                   "period_from": details.get("period_from") or f"{payload['period'][:4]}-09-15",
                   "period_to": details.get("period_to") or rt.clock.today().isoformat()}
        if rung in (8, 20):
            context["psychologist"] = replicas.staff_name(session, "psychologist") or "училищният психолог"
        key = f"absence_letter:{payload['student_id']}:{rung}:{payload['period']}"
        _request_or_record_failure(session, "absence_letter", context, rt=rt, source_key=key,
                                   student_id=payload["student_id"])

    def on_sanction_step_done(session: Session, payload: dict, _envelope: Envelope) -> None:
        """The director's order when the order step is done, and the letter to the parents after it (Чл. 58)."""
        templates = SANCTION_DOCUMENTS.get(payload["step"], ())
        card = session.get(StudentCard, payload["student_id"])
        for template in templates:
            key = template.format(type=payload["type"])
            context = {
                "class_teacher": replicas.staff_name(session, "class_teacher", payload["class_code"])
                or "Класният ръководител",
                "psychologist": replicas.staff_name(session, "psychologist") or "Училищният психолог",
                "proposed_on": payload["proposed_on"].isoformat(),
                **({"parent": replicas.addressee(card)} if card is not None else {}),
                **payload["details"].get("document_context", {}),
            }
            if payload["step"] == "order":
                context.setdefault("issued_on", payload["done_on"].isoformat())
            spec_fields = set(rt.components.templates.shipped(key).schema_cls().fields)
            _request_or_record_failure(session, key, only_fields(spec_fields, context), rt=rt,
                                       student_id=payload["student_id"],
                                       source_key=f"sanction:{payload['sanction_id']}:{key}")

    def on_document_requested(session: Session, payload: dict, envelope: Envelope) -> None:
        """Another service's document; a letter ``on_paper`` waits for the day's print set."""
        key = f"requested:{envelope.id}"
        _request_or_record_failure(session, payload["template"], payload["context"], rt=rt,
                                   source_key=key, student_id=payload["student_id"])
        if payload["on_paper"]:
            sets.mark_paper(session, session.scalar(sa.select(Document.id).where(Document.source_key == key)))

    return {
        "register.school_saved": replicas.on_school_saved,
        "register.student_saved": replicas.on_student_saved,
        "register.absence_recorded": on_absence_recorded,
        "register.rule_fired": on_rule_fired,
        "register.sanction_step_done": on_sanction_step_done,
        "documents.document_requested": on_document_requested,
        "register.monthly_exports_ready": benefit_lists.make_handler(
            functools.partial(_request_or_record_failure, rt=rt), rt.clock.today),
    }
