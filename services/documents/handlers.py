"""Documents drawn up because something happened elsewhere: each event at most one document."""

from __future__ import annotations

import datetime as dt
import functools
import logging

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.documents import benefit_lists, dropout, generation, replicas, school_orders, tasks
from services.documents.catalogue.families import benefit
from services.documents.catalogue.families.sanctions_procedure import CHILD_PROTECTION
from services.documents.models import Document, StudentCard
from services.documents.printing import sets
from services.documents.rendering import ContextError
from shared.messages import Envelope
from shared.platform_models import utcnow
from shared.runtime import ServiceRuntime

log = logging.getLogger(__name__)

#: Rungs of the parent-letter ladder (Чл. 97, т. 8) that the register's rule pack fires.
LADDER_RULE = "parent_notification_ladder"
#: The rule pack's list to ЗАС (Чл. 97, т. 15): its firing for a month asks for the parents' notice (L7).
BENEFIT_RULE = "child_benefit_list"
#: Rungs whose letter needs nothing the office must add; at 30 the meeting with the institutions
#: is set by the class teacher first (Чл. 97, т. 8, „г“), so that letter is drawn up on request.
AUTOMATIC_RUNGS = (3, 8, 20)
#: The notice to child protection (L3), only for the types the register's policy names (Чл. 57, ал. 1).
CHILD_PROTECTION_NOTICE = "sanction_child_protection_notice"
#: Documents each sanction step produces; the facts only the register knows (motives, hearing,
#: proposal reference) come in the event's ``details.document_context``.
SANCTION_DOCUMENTS = {
    "proposal": ("sanction_procedure_notice", CHILD_PROTECTION_NOTICE),
    "hearing": ("sanction_hearing_protocol",),
    "order": ("sanction_order_{type}",),
    "erasure_order": ("sanction_erasure_order",),
}
#: O2, the early erasure order, which cites the number of the order that imposed the sanction (Чл. 60, ал. 1).
ERASURE_ORDER = "sanction_erasure_order"


def only_fields(spec_fields: set[str], context: dict) -> dict:
    """Drop what a template does not ask for: event-driven contexts carry facts for several documents."""
    return {key: value for key, value in context.items() if key in spec_fields}


def _letter_base(session: Session, card: StudentCard) -> dict:
    class_teacher = replicas.staff_name(session, "class_teacher", card.class_code) or "Класният ръководител"
    return {"parent": replicas.addressee(card), "student": {"name": card.name, "class_name": card.class_code},
            "class_teacher": class_teacher}


def _request_or_record_failure(session: Session, template: str, context: dict, *, rt: ServiceRuntime,
                               source_key: str, student_id: int | None, render: bool = True) -> None:
    """Queue the document; if the data cannot fill it, keep a failed row so the office sees why.

    ``render=False`` leaves it queued without its render job, waiting for what it cites."""
    try:
        generation.request(session, rt, template, context, source_key=source_key, student_id=student_id,
                           render=render)
    except ContextError as exc:
        log.warning("документ %s за %s не може да се състави: %s", template, source_key, list(exc.errors))
        failed = Document(template=template, context=context, status="failed", source_key=source_key,
                          student_id=student_id, error=generation.describe(exc), created_at=utcnow())
        session.add(failed)
        tasks.announce_failure(session, rt, failed)


def _town(session: Session) -> str:
    school = replicas.school(session) or {}
    return str(school.get("town") or "").removeprefix("гр. ").strip()


def _sanction_extras(session: Session, payload: dict, template: str, context: dict) -> dict:
    """What documents knows itself: the recipient of L3, the number of the order an erasure undoes."""
    if template == CHILD_PROTECTION_NOTICE:
        town = _town(session)
        return {"recipient": f"{CHILD_PROTECTION} – {town}" if town else CHILD_PROTECTION,
                "reasons": payload["reason"]}
    if template == ERASURE_ORDER:
        # The register of orders gives the imposing order's number. One still queued gets it when it is
        # rendered: the erasure order waits for it (see ``tasks.release_erasure_order``). One never drawn up
        # here, or that failed, has none: the erasure order says so in words (Чл. 60, ал. 1).
        order = imposing_order(session, payload["sanction_id"], payload["type"])
        number = order.number if order is not None and order.number else None
        return {"imposed_by": {"number": number, "issued_on": context.get("imposed_on") or ""}}
    return {}


def imposing_order(session: Session, sanction_id: int, kind: str) -> Document | None:
    """The sanction's imposing order in the register of documents, if it was drawn up here.

    Locked until commit: its render (which numbers it and then releases a waiting erasure order) and
    the erasure step's handler cannot pass each other, so an erasure order never waits for nothing."""
    return session.scalar(sa.select(Document).where(
        Document.source_key == f"sanction:{sanction_id}:sanction_order_{kind}").with_for_update())


def _imposing_order_queued(session: Session, payload: dict) -> bool:
    order = session.scalar(sa.select(Document.status).where(
        Document.source_key == f"sanction:{payload['sanction_id']}:sanction_order_{payload['type']}"))
    return order == "queued"


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

    def on_rule_fired(session: Session, payload: dict, envelope: Envelope) -> None:
        if payload["rule_id"] == BENEFIT_RULE:
            benefit_notice(session, payload, envelope)
            return
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

    def benefit_notice(session: Session, payload: dict, _envelope: Envelope) -> None:
        """The parents' prior notice before the ЗАС list (L7, Чл. 97, т. 15), once per student and month.

        Numbered as an outgoing letter when rendered; its ``documents.document_ready`` carries the
        number to the register (which cites it on the list) and the letter to notifications (which
        sends it to the parents).
        """
        card = session.get(StudentCard, payload["student_id"])
        if card is None:
            return
        month = dt.date.fromisoformat(f"{payload['period']}-01")
        # By the 5th of the next month (Чл. 97, т. 15), or the day the school's rule pack gives.
        due = benefit.list_due(month, payload["details"].get("due_day_of_next_month") or benefit.LIST_DUE_DAY)
        context = {**_letter_base(session, card), "month": month.isoformat(), "count": max(1, int(payload["count"])),
                   "criterion": payload["details"].get("criterion") or f"повече от {payload['threshold']:g}",
                   "list_due": due.isoformat()}
        _request_or_record_failure(session, benefit.NOTICE, context, rt=rt, student_id=card.id,
                                   source_key=f"benefit_notice:{card.id}:{payload['period']}")

    def on_sanction_step_done(session: Session, payload: dict, _envelope: Envelope) -> None:
        """The director's order when the order step is done, and the letter to the parents after it (Чл. 58)."""
        templates = SANCTION_DOCUMENTS.get(payload["step"], ())
        card = session.get(StudentCard, payload["student_id"])
        for template in templates:
            if template == CHILD_PROTECTION_NOTICE and not payload["details"].get("child_protection_notice"):
                continue
            key = template.format(type=payload["type"])
            context = {
                "class_teacher": replicas.staff_name(session, "class_teacher", payload["class_code"])
                or "Класният ръководител",
                "psychologist": replicas.staff_name(session, "psychologist") or "Училищният психолог",
                "proposed_on": payload["proposed_on"].isoformat(),
                **({"parent": replicas.addressee(card)} if card is not None else {}),
                **payload["details"].get("document_context", {}),
            }
            if payload["step"] in ("order", "erasure_order"):
                context.setdefault("issued_on", payload["done_on"].isoformat())
            context.update(_sanction_extras(session, payload, template, context))
            spec_fields = set(rt.components.templates.shipped(key).schema_cls().fields)
            waits = template == ERASURE_ORDER and _imposing_order_queued(session, payload)
            _request_or_record_failure(session, key, only_fields(spec_fields, context), rt=rt,
                                       student_id=payload["student_id"],
                                       source_key=f"sanction:{payload['sanction_id']}:{key}", render=not waits)

    def on_student_removed(session: Session, payload: dict, _envelope: Envelope) -> None:
        """The advance notice of a removal from school to the parent and the psychologist (L16, Чл. 52, ал. 3)."""
        card = session.get(StudentCard, payload["student_id"])
        if payload["kind"] != "school" or card is None:
            return
        context = {**_letter_base(session, card), "removal_on": payload["date"].isoformat(),
                   "sent_on": payload["date"].isoformat(), "reason": payload["reason"],
                   "psychologist": replicas.staff_name(session, "psychologist") or "училищният психолог"}
        spec_fields = set(rt.components.templates.shipped("removal_notice").schema_cls().fields)
        _request_or_record_failure(session, "removal_notice", only_fields(spec_fields, context), rt=rt,
                                   source_key=f"removal_notice:{payload['removal_id']}",
                                   student_id=payload["student_id"])

    def on_document_requested(session: Session, payload: dict, envelope: Envelope) -> None:
        """Another service's document; a letter ``on_paper`` waits for the day's print set."""
        key = f"requested:{envelope.id}"
        _request_or_record_failure(session, payload["template"], payload["context"], rt=rt,
                                   source_key=key, student_id=payload["student_id"])
        if payload["on_paper"]:
            sets.mark_paper(session, session.scalar(sa.select(Document.id).where(Document.source_key == key)))

    return {
        "register.school_saved": replicas.on_school_saved,
        "register.student_saved": school_orders.make_student_handler(
            rt, functools.partial(_request_or_record_failure, rt=rt)),
        "register.absence_recorded": on_absence_recorded,
        "register.rule_fired": on_rule_fired,
        "register.sanction_step_done": on_sanction_step_done,
        "register.student_removed": on_student_removed,
        "documents.document_requested": on_document_requested,
        "register.dropout_report_due": dropout.make_report_handler(
            functools.partial(_request_or_record_failure, rt=rt), _letter_base),
        "register.student_deregistered": dropout.make_notice_handler(
            functools.partial(_request_or_record_failure, rt=rt)),
        "register.monthly_exports_ready": benefit_lists.make_handler(
            functools.partial(_request_or_record_failure, rt=rt), rt.clock.today),
        "register.timetable_changed": school_orders.make_timetable_handler(rt),
        "register.term_timetables": school_orders.make_term_timetables_handler(rt),
        "register.term_class_works": school_orders.make_term_class_works_handler(rt),
    }
