"""The ``render`` job (съставяне): number, render and store one queued document, then announce it.

The register number of an order (the outgoing number of a letter, a certificate's number) is
taken in the same transaction that stores the rendered file (``numbering.py``: unique, gap-free, in
the order asked). What is stored of the rendered file (its checksum, the file only for orders) is
``storage.py``'s rule.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import time

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.documents import generation, letter_copies, numbering, replicas, school_orders, storage
from services.documents.models import Document, OrderNumber, StudentCard
from services.documents.rendering import (
    ContextError,
    RenderError,
    carries_date,
    format_order_number,
    format_register_number,
)
from shared.platform_models import utcnow
from shared.runtime import ServiceRuntime

log = logging.getLogger(__name__)

#: Letters notifications sends on to the parents once drawn up: the notice before the ЗАС list (L7,
#: Чл. 97, т. 15). The event carries the rendered context, so the paper copy keeps the letter's number.
SENT_ON = ("child_benefit_notice",)


#: How many times a render lets an earlier document of its series be numbered first, 20 ms apart; then
#: it takes the next number anyway (the earlier one may be held by something other than its render).
TURNS = 50


class _RenderFailedError(Exception):
    pass


class _EarlierFirstError(Exception):
    """An earlier document of the series is being rendered: it takes the counter first."""


def render(rt: ServiceRuntime, document_id: int, *, reopen: bool = False) -> None:
    """The ``render`` job: number, render and store one document once.

    A failure of the data or the template (ContextError, RenderError) is recorded at once, not retried.
    Any other error is retried by Dramatiq (an outage without using up the retries, ``DurableRetries``);
    when the retries are spent, :func:`give_up` records the document as failed and the job stays a
    dead letter. ``reopen``: that dead letter sent again by the administrator, so a document failed
    is queued again and rendered (announced ready, or failed once more).
    """
    if reopen:
        _reopen(rt, document_id)
    for _turn in range(TURNS):
        try:
            _render(rt, document_id, in_line=True)
            return
        except _EarlierFirstError:
            time.sleep(0.02)  # rolled back: the earlier render gets the counter, this one waits behind it
    _render(rt, document_id, in_line=False)


def _reopen(rt: ServiceRuntime, document_id: int) -> None:
    """A failed document back to „съставя се“, in a transaction of its own: a crash after it leaves the
    job to be delivered again, and it then finds the document queued, as any render does."""
    with rt.db.transaction() as s:
        document = s.get(Document, document_id, with_for_update=True)
        if document is not None and document.status == "failed":
            log.info("document %s (%s) queued again: its render was sent again", document.id, document.template)
            document.status, document.error = "queued", None


def _render(rt: ServiceRuntime, document_id: int, *, in_line: bool) -> None:
    try:
        with rt.db.transaction() as s:
            # Locked until commit: a second delivery of this job, or give_up, waits and then finds it
            # no longer queued, so a document is announced once, ready or failed.
            document = s.get(Document, document_id, with_for_update=True)
            if document is None or document.status != "queued":
                return
            spec = rt.components.templates.current(s, document.template)
            context = dict(document.context)
            series = numbering.needs_number(spec, context)
            if series is not None:
                day = _numbered_on(series, context)
                year = generation.school_year_of(day)
                # The counter first, then who is ahead: a render of an earlier document that reaches
                # the counter now waits for this transaction, which steps aside for it.
                counter = numbering.counter_row(s, series, year)
                if in_line and numbering.earlier_in_line(s, rt.components.templates, document, series):
                    raise _EarlierFirstError
            try:
                if series == "orders":
                    seq = numbering.next_order_number(s, counter)
                    context["number"] = format_order_number(seq, day)
                    s.add(OrderNumber(school_year=year, seq=seq, issued_on=day, document_id=document.id,
                                      template=document.template))
                elif series == "certificates":
                    counter.last += 1
                    context["number"] = str(counter.last)
                elif series == "letters":
                    twin = letter_copies.numbered_twin(s, document, context)
                    if twin is not None:  # a paper copy and its letter: one number, one date
                        context["outgoing_number"], context["sent_on"] = twin["outgoing_number"], twin["sent_on"]
                    else:
                        counter.last += 1
                        # Only the sequence: the letter prints it beside the date it was sent, once.
                        context["outgoing_number"] = str(counter.last)
                content = rt.components.renderer.render(spec, context)
            except (ContextError, RenderError) as exc:
                raise _RenderFailedError(generation.describe(exc)) from exc
            storage.store(s, document, spec, content)
            document.context = context
            document.number = _register_number(spec, context)
            document.template_version = spec.version
            document.status = "done"
            document.done_at = utcnow()
            _follow_up(s, rt, document)
            release_erasure_order(s, rt, document)
            school_orders.follow_ups(s, document, functools.partial(_request_or_failed, rt=rt))
            rt.publish(s, "documents.document_ready", {
                "document_id": document.id, "template": document.template, "number": document.number,
                "source_event_id": document.source_key, "student_id": document.student_id,
                "letter": context if document.template in SENT_ON else None})
    except _RenderFailedError as failure:
        with rt.db.transaction() as s:
            document = s.get(Document, document_id, with_for_update=True)
            if document.status == "queued":  # a second delivery failing alike records nothing twice
                _record_failure(s, rt, document, str(failure))


def _numbered_on(series: str, context: dict) -> dt.date:
    """The date whose school year the number belongs to: a letter's sending, else the issue."""
    return dt.date.fromisoformat(str(context["sent_on" if series == "letters" else "issued_on"]))


def unexpected_failure(title: str, version: int | None, attempts: int) -> str:
    """What the office reads about a render that failed for a reason nobody foresaw.

    No exception text: it is English, may quote the document's data, and says nothing the secretary
    can act on; the traceback stays with the dead letter („Неуспели съобщения“ on /admin/system)."""
    which = f"„{title}“" + (f" (версия {version})" if version else "")
    return (f"Неочаквана грешка при съставянето по шаблона {which}; опитано {attempts} пъти. Поискайте "
            "документа отново; ако грешката се повтори, проверете последната качена версия на шаблона "
            "(или възстановете предишната) и съобщете на администратора: подробностите са в „Неуспели "
            "съобщения“ на страницата „Състояние на системата“.")


def give_up(rt: ServiceRuntime, document_id: int, attempts: int) -> None:
    """The ``render`` job failed on every try with an unexpected error: the document fails, for good.

    Called through Dramatiq's ``on_retry_exhausted`` once the render's retries are spent (outages are
    not counted: ``shared/messaging/retries.py``), so the office sees „неуспешен“ with a reason
    instead of „съставя се“ for ever, and whoever asked (a paper letter, planning's report) stops
    waiting. The render message itself stays a dead letter, with its traceback, for the administrator.
    """
    with rt.db.transaction() as s:
        document = s.get(Document, document_id, with_for_update=True)
        if document is None or document.status != "queued":
            return  # rendered after all (a later delivery of the job), or already recorded
        try:
            spec = rt.components.templates.current(s, document.template)
            title, version = spec.title, spec.version
        except KeyError:  # the template's plugin is gone
            title, version = document.template, None
        log.warning("document %s (%s) given up after %s failed renders", document.id, document.template, attempts)
        _record_failure(s, rt, document, unexpected_failure(title, version, attempts))


def _record_failure(session: Session, rt: ServiceRuntime, document: Document, reason: str) -> None:
    document.status, document.error = "failed", reason
    announce_failure(session, rt, document)
    release_erasure_order(session, rt, document)  # it will have no number: the erasure order says so


def announce_failure(session: Session, rt: ServiceRuntime, document: Document) -> None:
    """``documents.document_failed``: whoever asked for the document (planning's report, a paper letter)
    stops waiting and says why; sent in the transaction that records the failure (the outbox)."""
    session.flush()  # a new failed row gets its id
    rt.publish(session, "documents.document_failed", {
        "document_id": document.id, "template": document.template, "source_event_id": document.source_key,
        "student_id": document.student_id, "reason": document.error or "Документът не може да бъде съставен."})


def _register_number(spec, context: dict) -> str | None:
    """The number the document is found by, as the register writes it (``318/02.10.2023``)."""
    if spec.is_order:
        return context.get("number")
    if generation.numbers_certificate(spec):
        return format_register_number(context["number"], dt.date.fromisoformat(str(context["issued_on"])))
    outgoing = context.get("outgoing_number")
    if outgoing is None or carries_date(str(outgoing)):
        return outgoing  # a letter numbered before the number was printed once: kept as it was
    return format_register_number(outgoing, dt.date.fromisoformat(str(context["sent_on"])))


def _follow_up(session: Session, rt: ServiceRuntime, order: Document) -> None:
    """After a sanction order is numbered, the letter to the parents that cites it, and for a transfer the
    letter to the head of РУО with the order (Чл. 58, ал. 3)."""
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
    follow_ups = [(f"sanction_letter_{kind}", letter)]
    if kind == "transfer":
        # The transfer order also goes to the head of РУО, within the same 3 days (Чл. 58, ал. 3; L5).
        ruo = {key: value for key, value in letter.items() if key in ("order", "sent_on", "school_year", "motives")}
        follow_ups.append(("sanction_ruo_letter", {**ruo, "student": letter["student"],
                                                   "recipient": f"Началника на {context.get('ruo') or 'РУО'}"}))
    for template, follow_up in follow_ups:
        key = order.source_key.replace(order.template, template)
        _request_or_failed(session, template, follow_up, rt=rt, source_key=key, student_id=order.student_id)


def release_erasure_order(session: Session, rt: ServiceRuntime, order: Document) -> None:
    """An early erasure order (O2, Чл. 60, ал. 1) waiting for this imposing order: cite its number, render it.

    The erasure step's event may come before the imposing order is numbered; the erasure order then
    waits queued without its render job (``handlers.on_sanction_step_done``) until this order's render
    ends, numbered or failed (then it has no number, and the erasure order says so in words)."""
    if not (order.source_key or "").startswith("sanction:") or not order.template.startswith("sanction_order_"):
        return
    key = order.source_key.replace(order.template, "sanction_erasure_order")
    waiting = session.scalar(sa.select(Document).where(Document.source_key == key, Document.status == "queued"))
    if waiting is None:
        return
    context = dict(waiting.context)
    context["imposed_by"] = {**context.get("imposed_by", {}), "number": order.number}
    waiting.context = context
    rt.enqueue_job(session, "render", waiting.id)


def _request_or_failed(session: Session, template: str, context: dict, *, rt: ServiceRuntime, source_key: str,
                       student_id: int | None, failure: str | None = None) -> None:
    """Queue a follow-up document; one the data cannot fill (or ``failure`` says why not) stays as a failed
    row naming why."""
    if failure is None:
        try:
            generation.request(session, rt, template, context, source_key=source_key, student_id=student_id)
            return
        except ContextError as exc:
            failure = generation.describe(exc)
    if session.scalar(sa.select(Document.id).where(Document.source_key == source_key)) is not None:
        return  # recorded already: the same key never makes a second document
    failed = Document(template=template, context=context, status="failed", source_key=source_key,
                      student_id=student_id, error=failure, created_at=utcnow())
    session.add(failed)
    announce_failure(session, rt, failed)
