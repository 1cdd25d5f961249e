"""Orders that wait to be numbered (заповеди в очакване): built up from events, numbered when due.

A day's timetable deviation order (Чл. 114), a term's timetable approval (Чл. 113, ал. 3) and its
schedule of class and test papers (Чл. 136, ал. 2) cover what the register announces one save at a
time. Each event carries the whole day or term; the order waits, queued without its render job,
and takes in every row announced until :func:`draw_up` numbers it when it is due. A row announced
after that makes a further order with only what the earlier ones do not say, so nothing is ordered
twice and a redelivered event adds nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.documents import generation
from services.documents.models import Document
from services.documents.rendering import ContextError
from shared.platform_models import utcnow
from shared.runtime import ServiceRuntime
from shared.settings import Settings


@dataclasses.dataclass(frozen=True)
class WaitingKind:
    """One kind of waiting order: its template, key prefix, growing list and when it is due."""

    template: str
    key: str
    rows: str
    #: The school's local time from which the order is numbered, from the settings and its context.
    due: Callable[[Settings, dict], dt.datetime]


def _day_before_at(settings: Settings, context: dict) -> dt.datetime:
    day = dt.date.fromisoformat(context["date"]) - dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time.fromisoformat(settings.deviation_order_time))


def _before_term(settings: Settings, context: dict) -> dt.datetime:
    start = dt.date.fromisoformat(context["term_start"])
    return dt.datetime.combine(start - dt.timedelta(days=settings.timetable_order_days_before_term), dt.time())


def _into_term(settings: Settings, context: dict) -> dt.datetime:
    start = dt.date.fromisoformat(context["term_start"])
    return dt.datetime.combine(start + dt.timedelta(days=settings.class_works_order_days), dt.time())


DEVIATION = WaitingKind("timetable_deviation_order", "timetable_deviation", "changes", _day_before_at)
TIMETABLE_APPROVAL = WaitingKind("timetable_approval_order", "timetable_approval", "classes", _before_term)
CLASS_WORKS = WaitingKind("class_works_schedule_order", "class_works_schedule", "works", _into_term)
KINDS = (DEVIATION, TIMETABLE_APPROVAL, CLASS_WORKS)


def gather(session: Session, rt: ServiceRuntime, kind: WaitingKind, scope: str, context: dict,
           rows: list[dict]) -> None:
    """Take the announced ``rows`` (all of the day's or term's) into the waiting order of ``scope``."""
    prefix = f"{kind.key}:{scope}"
    # Locked, and read as committed once free: a render of the waiting order (which holds its row) or
    # the sweep dating it ends first, so rows go into an order still waiting or into a further one,
    # never written over an order just drawn up (PostgreSQL; SQLite has one writer at a time anyway).
    earlier = list(session.scalars(sa.select(Document).where(sa.or_(
        Document.source_key == prefix, Document.source_key.startswith(f"{prefix}:"))).order_by(Document.id)
        .with_for_update()))
    covered = [row for document in earlier if document.status != "queued"
               for row in (document.context or {}).get(kind.rows, [])]
    new = [row for row in rows if row not in covered]
    waiting = next((document for document in earlier if document.status == "queued"), None)
    if waiting is not None:
        if new:
            waiting.context = {**waiting.context, kind.rows: new}
        return
    if not new:
        return
    key = prefix + (f":{len(earlier) + 1}" if earlier else "")
    full = {**context, kind.rows: new}
    try:
        generation.request(session, rt, kind.template, full, source_key=key, render=False)
    except ContextError as exc:
        session.add(Document(template=kind.template, context=full, status="failed", source_key=key,
                             error=generation.describe(exc), created_at=utcnow()))


def draw_up(rt: ServiceRuntime, now: dt.datetime | None = None) -> int:
    """The sweep: send each waiting order that is due to be numbered, dated the day it is.

    Safe to run twice: a render job finds an order already done and leaves it. Returns the orders sent.
    """
    local = (now or rt.clock.now()).astimezone(ZoneInfo(rt.settings.timezone)).replace(tzinfo=None)
    sent = 0
    with rt.db.transaction() as s:
        for kind in KINDS:
            for document in s.scalars(sa.select(Document).where(
                    Document.template == kind.template, Document.status == "queued",
                    Document.source_key.startswith(f"{kind.key}:")).with_for_update()):
                if local < kind.due(rt.settings, document.context):
                    continue
                document.context = {**document.context, "issued_on": local.date().isoformat()}
                rt.enqueue_job(s, "render", document.id)
                sent += 1
    return sent
