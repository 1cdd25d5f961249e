"""Generating documents (генериране): request → queued row → render job → done, numbered, announced.

The register number of an order (and the outgoing number of a letter) is taken in the same
transaction that stores the rendered file, from a counter row locked for the transaction, so
numbers are unique and gap-free: a render that fails rolls its number back with it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.documents import replicas
from services.documents.models import Document, NumberSeries, OrderNumber, StudentCard
from services.documents.rendering import ContextError, RenderError, format_order_number, load_context
from services.documents.templates import TemplateSpec
from shared.platform_models import utcnow
from shared.runtime import ServiceRuntime


def school_year_of(day: dt.date) -> str:
    """The school year an order belongs to: September to August."""
    return f"{day.year}/{day.year + 1}" if day.month >= 9 else f"{day.year - 1}/{day.year}"


def _fields(spec: TemplateSpec) -> set[str]:
    return set(spec.schema_cls().fields)


def complete_context(session: Session, spec: TemplateSpec, context: dict[str, Any], today: dt.date) -> dict[str, Any]:
    """Fill what the office should not have to type: the letterhead, today's date; numbers come at render."""
    full = dict(context)
    names = _fields(spec)
    if "school" in names and "school" not in full:
        school = replicas.school(session)
        if school is None:
            raise ContextError({"school": ["Данните на училището не са въведени (PUT /api/register/school)."]})
        full["school"] = school
    if spec.is_order:
        full.setdefault("issued_on", today.isoformat())
    if "sent_on" in names:
        full.setdefault("sent_on", today.isoformat())
    return full


def _provisional(spec: TemplateSpec, context: dict[str, Any]) -> dict[str, Any]:
    """The context with placeholder numbers, to validate everything else before a number is taken."""
    trial = dict(context)
    if spec.is_order and "number" not in context:
        trial["number"] = format_order_number(1, dt.date.fromisoformat(str(context["issued_on"])))
    if "outgoing_number" in _fields(spec) and "outgoing_number" not in context:
        trial["outgoing_number"] = "1"
    return trial


def request(session: Session, rt: ServiceRuntime, template: str, context: dict[str, Any], *,
            source_key: str | None = None, student_id: int | None = None, requested_by: int | None = None,
            batch_id: int | None = None) -> tuple[int, bool]:
    """Queue a document; returns ``(id, created)``.  The same ``source_key`` never makes a second one.

    Raises ContextError naming every bad field (nothing is stored then) and UnknownTemplateError.
    """
    if source_key is not None:
        existing = session.scalar(sa.select(Document.id).where(Document.source_key == source_key))
        if existing is not None:
            return existing, False
    spec = rt.components.templates.current(session, template)
    full = complete_context(session, spec, context, rt.clock.today())
    load_context(spec.schema_cls, _provisional(spec, full))
    document = Document(template=template, context=full, status="queued", source_key=source_key,
                        student_id=student_id, requested_by=requested_by, batch_id=batch_id, created_at=utcnow())
    session.add(document)
    session.flush()
    rt.enqueue_job(session, "render", document.id)
    return document.id, True


def next_number(session: Session, series: str, school_year: str) -> int:
    """The next number of a series in a school year, under a row lock held until commit."""
    counter = session.scalar(sa.select(NumberSeries).where(
        NumberSeries.series == series, NumberSeries.school_year == school_year).with_for_update())
    if counter is None:
        # Two first orders of a year racing on PostgreSQL: one insert fails on the unique key and
        # its job is retried, finding the row then.
        counter = NumberSeries(series=series, school_year=school_year, last=0)
        session.add(counter)
        session.flush()
    counter.last += 1
    return counter.last


class _RenderFailedError(Exception):
    pass


def render(rt: ServiceRuntime, document_id: int) -> None:
    """The ``render`` job: number, render and store one document once; failures are recorded, not retried."""
    try:
        with rt.db.transaction() as s:
            document = s.get(Document, document_id)
            if document is None or document.status != "queued":
                return
            spec = rt.components.templates.current(s, document.template)
            context = dict(document.context)
            try:
                if spec.is_order and "number" not in context:
                    issued = dt.date.fromisoformat(str(context["issued_on"]))
                    seq = next_number(s, "orders", school_year_of(issued))
                    context["number"] = format_order_number(seq, issued)
                    s.add(OrderNumber(school_year=school_year_of(issued), seq=seq, issued_on=issued,
                                      document_id=document.id, template=document.template))
                elif "outgoing_number" in _fields(spec) and "outgoing_number" not in context:
                    sent = dt.date.fromisoformat(str(context["sent_on"]))
                    context["outgoing_number"] = f"{next_number(s, 'letters', school_year_of(sent))}/{sent:%d.%m.%Y}"
                content = rt.components.renderer.render(spec, context)
            except (ContextError, RenderError) as exc:
                raise _RenderFailedError(_describe(exc)) from exc
            document.content = content
            document.context = context
            document.number = context.get("number") if spec.is_order else context.get("outgoing_number")
            document.template_version = spec.version
            document.status = "done"
            document.done_at = utcnow()
            _follow_up(s, rt, document)
            rt.publish(s, "documents.document_ready", {
                "document_id": document.id, "template": document.template, "number": document.number,
                "source_event_id": document.source_key, "student_id": document.student_id})
    except _RenderFailedError as failure:
        with rt.db.transaction() as s:
            document = s.get(Document, document_id)
            document.status, document.error = "failed", str(failure)


def _follow_up(session: Session, rt: ServiceRuntime, order: Document) -> None:
    """After a sanction order is numbered, the letter to the parents that cites it (Чл. 58, ал. 3)."""
    if not (order.source_key or "").startswith("sanction:") or not order.template.startswith("sanction_order_"):
        return
    kind = order.template.removeprefix("sanction_order_")
    context = order.context
    student = context.get("student", {})
    letter = {
        "order": {"number": order.number, "issued_on": context["issued_on"]},
        # Drawn up with the order: the letter is due within 3 days of it (Чл. 58, ал. 3).
        "sent_on": context["issued_on"],
        "student": {"name": student.get("name", ""), "class_name": student.get("class_name", "")},
        **{k: context[k] for k in ("school_year", "motives", "effective_from", "class_teacher", "ruo")
           if k in context},
    }
    card = session.get(StudentCard, order.student_id) if order.student_id else None
    if card is not None:
        letter["parent"] = replicas.addressee(card)
    key = order.source_key.replace(order.template, f"sanction_letter_{kind}")
    try:
        request(session, rt, f"sanction_letter_{kind}", letter, source_key=key, student_id=order.student_id)
    except ContextError as exc:
        session.add(Document(template=f"sanction_letter_{kind}", context=letter, status="failed", source_key=key,
                             student_id=order.student_id, error=_describe(exc), created_at=utcnow()))


def _describe(exc: Exception) -> str:
    if isinstance(exc, ContextError):
        return "; ".join(f"{field}: {', '.join(map(str, msgs)) if isinstance(msgs, list) else msgs}"
                         for field, msgs in exc.errors.items())
    return str(exc)
