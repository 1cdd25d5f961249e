"""Requesting documents (заявка за документ): the context checked and completed, a queued row, a render job.

What happens next, numbering and rendering, is the ``render`` job in ``tasks.py``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.documents import replicas
from services.documents.catalogue import DocumentKind, TemplateSpec
from services.documents.models import Document, OrderNumber
from services.documents.rendering import ContextError, carries_date, format_order_number, load_context
from shared.errors import ConflictError
from shared.platform_models import utcnow
from shared.runtime import ServiceRuntime


def school_year_of(day: dt.date) -> str:
    """The school year an order belongs to: September to August."""
    return f"{day.year}/{day.year + 1}" if day.month >= 9 else f"{day.year - 1}/{day.year}"


def field_names(spec: TemplateSpec) -> set[str]:
    """The top-level fields of the template's context."""
    return set(spec.schema_cls().fields)


def numbers_certificate(spec: TemplateSpec) -> bool:
    """A certificate (удостоверение) takes its number from the school's series of certificates."""
    return spec.kind is DocumentKind.CERTIFICATE and "number" in field_names(spec)


def complete_context(session: Session, spec: TemplateSpec, context: dict[str, Any], today: dt.date) -> dict[str, Any]:
    """Fill what the office should not have to type: the letterhead, today's date; numbers come at render."""
    full = dict(context)
    names = field_names(spec)
    if "school" in names and "school" not in full:
        school = replicas.school(session)
        if school is None:
            raise ContextError({"school": ["Данните на училището не са въведени (PUT /api/register/school)."]})
        full["school"] = school
    if spec.is_order or numbers_certificate(spec):
        full.setdefault("issued_on", today.isoformat())
    if "sent_on" in names:
        full.setdefault("sent_on", today.isoformat())
    return full


def _provisional(spec: TemplateSpec, context: dict[str, Any]) -> dict[str, Any]:
    """The context with placeholder numbers, to validate everything else before a number is taken."""
    trial = dict(context)
    if spec.is_order and "number" not in context:
        trial["number"] = format_order_number(1, dt.date.fromisoformat(str(context["issued_on"])))
    if numbers_certificate(spec) and "number" not in context:
        trial["number"] = "1"
    if "outgoing_number" in field_names(spec) and "outgoing_number" not in context:
        trial["outgoing_number"] = "1"
    return trial


def _dated_twice(spec: TemplateSpec, context: dict[str, Any]) -> dict[str, list[str]]:
    """Numbers the office typed with a date that the template prints beside them anyway.

    A letter prints ``Изх. № {outgoing_number}/{sent_on} г.`` and a certificate
    ``№ {number}/{issued_on} г.``: their numbers are sequences only, so the date appears once.
    """
    printed_beside = {"outgoing_number": "sent_on"}
    if numbers_certificate(spec):
        printed_beside["number"] = "issued_on"
    return {name: [f"Номерът се въвежда без дата: датата се взема от „{day}“ и се отпечатва веднъж "
                   "(например „318“, не „318/02.10.2023“)."]
            for name, day in printed_beside.items() if carries_date(str(context.get(name) or ""))}


def request(session: Session, rt: ServiceRuntime, template: str, context: dict[str, Any], *,
            source_key: str | None = None, student_id: int | None = None, requested_by: int | None = None,
            batch_id: int | None = None, render: bool = True) -> tuple[int, bool]:
    """Queue a document; returns ``(id, created)``.  The same ``source_key`` never makes a second one.

    ``render=False`` leaves it queued without its render job: a sweep sends it when it is due.

    Raises ContextError naming every bad field (nothing is stored then) and UnknownTemplateError.
    """
    if source_key is not None:
        existing = session.scalar(sa.select(Document.id).where(Document.source_key == source_key))
        if existing is not None:
            return existing, False
    spec = rt.components.templates.current(session, template)
    document = _checked(session, rt, spec, context, source_key=source_key, student_id=student_id,
                        requested_by=requested_by, batch_id=batch_id)
    session.add(document)
    session.flush()
    _queued(session, rt, spec, document, render=render)
    return document.id, True


def request_batch(session: Session, rt: ServiceRuntime, template: str, contexts: list[dict[str, Any]], *,
                  requested_by: int, batch_id: int) -> dict[int, ContextError]:
    """Queue a batch's documents (a class's letters): what is wrong with each context, by its index, else {}.

    The template is read once and the documents inserted together: 200 letters cost a handful of
    statements instead of two each (the start-of-lesson rush, ``bench/bench_rush.py``). Nothing is
    added when any context is wrong; UnknownTemplateError as :func:`request`, ConflictError naming the
    context whose typed order number is taken.
    """
    spec = rt.components.templates.current(session, template)
    documents, wrong = [], {}
    for index, context in enumerate(contexts):
        try:
            documents.append(_checked(session, rt, spec, context, requested_by=requested_by, batch_id=batch_id))
        except ContextError as exc:
            wrong[index] = exc
    if wrong:
        return wrong
    session.add_all(documents)
    session.flush()
    for index, document in enumerate(documents):
        try:
            _queued(session, rt, spec, document, render=True)
        except NumberTakenError as exc:
            raise ConflictError(exc.message, f"contexts.{index}.number") from None
    return {}


def _checked(session: Session, rt: ServiceRuntime, spec: TemplateSpec, context: dict[str, Any],
             **columns: Any) -> Document:
    """The document to queue, its context completed and checked (ContextError naming every bad field)."""
    full = complete_context(session, spec, context, rt.clock.today())
    if twice := _dated_twice(spec, full):
        raise ContextError(twice)
    load_context(spec.schema_cls, _provisional(spec, full))
    return Document(template=spec.key, context=full, status="queued", created_at=utcnow(), **columns)


def _queued(session: Session, rt: ServiceRuntime, spec: TemplateSpec, document: Document, *, render: bool) -> None:
    """After the insert: an order's typed number entered in the register, the render job sent."""
    if spec.is_order and "number" in document.context:
        _enter_given_number(session, document, str(document.context["number"]),
                            dt.date.fromisoformat(str(document.context["issued_on"])))
    if render:
        rt.enqueue_job(session, "render", document.id)


class NumberTakenError(ConflictError):
    """The order number the caller typed is already in the register of orders (регистър на заповедите)."""

    def __init__(self, number: str, school_year: str) -> None:
        super().__init__(f"Заповед с № {number} вече е вписана в регистъра на заповедите за учебната "
                         f"{school_year} г.; изберете друг номер или оставете полето празно.", "number")


def _enter_given_number(session: Session, document: Document, number: str, issued: dt.date) -> None:
    """Enter the caller's own order number in the register now, in the request's transaction.

    The register's unique key (school year, sequence) decides between requests racing with the same
    number: on PostgreSQL the second insert waits for the first to commit and then fails, on SQLite
    the writers take turns (``BEGIN IMMEDIATE``) and the later one finds the row. One request gets
    the number, the others a 409 naming the field; nothing of theirs is stored.
    """
    year = school_year_of(issued)
    seq = int(number.partition("/")[0])
    taken = session.scalar(sa.select(OrderNumber.id).where(OrderNumber.school_year == year, OrderNumber.seq == seq))
    if taken is not None:
        raise NumberTakenError(number, year)
    session.add(OrderNumber(school_year=year, seq=seq, issued_on=issued, document_id=document.id,
                            template=document.template))
    try:
        session.flush()
    except sa.exc.IntegrityError:
        raise NumberTakenError(number, year) from None


def describe(exc: Exception) -> str:
    """Why a context cannot fill its template, in one line for the document's ``error``."""
    if isinstance(exc, ContextError):
        return "; ".join(f"{field}: {', '.join(map(str, msgs)) if isinstance(msgs, list) else msgs}"
                         for field, msgs in exc.errors.items())
    return str(exc)
