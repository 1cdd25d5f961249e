"""The school's number series (регистри): orders, certificates, outgoing letters, in the order asked.

A number is taken in the transaction that stores the rendered file, from the series' counter row
locked until commit, so numbers are unique and gap-free (a failed render rolls its number back).
Renders run side by side, so two documents asked for one after the other could reach the counter in
the other order; the later one therefore lets an earlier document of its series that is being
rendered at that moment, or was asked for a moment ago, go first (:func:`earlier_in_line`), and the
register reads in the order the office asked: certificate 1 is the one asked for first.
"""

from __future__ import annotations

import datetime as dt
import functools

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.documents import generation
from services.documents.catalogue import TemplateSpec
from services.documents.models import Document, NumberSeries, OrderNumber
from services.documents.registry import TemplateRegistry
from shared.db import dialect_insert
from shared.platform_models import as_utc, utcnow

#: Seconds after it was asked for that a queued document not yet being rendered still goes first.
JUST_ASKED_S = 5

#: The context field each series fills, by series: a number typed by the office is kept as it is.
NUMBER_FIELD = {"orders": "number", "certificates": "number", "letters": "outgoing_number"}


def series_of(spec: TemplateSpec) -> str | None:
    """The series a template's documents are numbered in, if any."""
    if spec.is_order:
        return "orders"
    if generation.numbers_certificate(spec):
        return "certificates"
    if "outgoing_number" in generation.field_names(spec):
        return "letters"
    return None


def needs_number(spec: TemplateSpec, context: dict) -> str | None:
    """The series this document takes its number from, or None (not numbered, or numbered by hand)."""
    series = series_of(spec)
    return series if series is not None and NUMBER_FIELD[series] not in context else None


@functools.lru_cache(maxsize=8)
def _templates_of(templates: TemplateRegistry, series: str) -> tuple[str, ...]:
    # A school's upload changes a template's file, never its fields or kind: the shipped spec decides.
    return tuple(key for key in templates.template_keys() if series_of(templates.shipped(key)) == series)


def earlier_in_line(session: Session, templates: TemplateRegistry, document: Document, series: str) -> bool:
    """Whether a document of the series asked for before this one is being rendered right now.

    Called with the series' counter locked: such a render is waiting for the counter (or about to),
    and should have the earlier number.  Rows locked by another transaction are what ``SKIP LOCKED``
    leaves out; SQLite has one writer at a time and no row locks, so there the question never arises.
    """
    if session.get_bind().dialect.name == "sqlite":
        return False
    earlier = dict(session.execute(sa.select(Document.id, Document.created_at).where(
        Document.status == "queued", Document.id < document.id,
        Document.template.in_(_templates_of(templates, series)))).all())
    if not earlier:
        return False
    free = set(session.scalars(sa.select(Document.id).where(Document.id.in_(earlier)).with_for_update(
        skip_locked=True, read=True)))
    # Being rendered (locked), or asked for a moment ago and about to be: its job may not have been
    # picked yet (a worker's threads take messages in any order).  Older free ones are left queued on
    # purpose (a sweep sends them when due) and do not hold the series up.
    just_asked = utcnow() - dt.timedelta(seconds=JUST_ASKED_S)
    ahead = [document_id for document_id, asked in earlier.items()
             if document_id not in free or as_utc(asked) >= just_asked]
    if not ahead:
        return False
    # Only those are read whole: one with a number typed by the office never waits for the counter
    # (a batch's later letters would otherwise read every earlier letter's context).
    return any(NUMBER_FIELD[series] not in (context or {}) for context in session.scalars(
        sa.select(Document.context).where(Document.id.in_(ahead))))


def counter_row(session: Session, series: str, school_year: str) -> NumberSeries:
    """A series' counter row for the school year, locked until commit (made at its first number)."""
    find = sa.select(NumberSeries).where(
        NumberSeries.series == series, NumberSeries.school_year == school_year).with_for_update()
    counter = session.scalar(find)
    if counter is None:
        # The year's first number: two renders may get here at once (a batch of letters on two
        # workers).  ON CONFLICT lets the second wait for the first's row instead of failing on
        # the unique key, and neither transaction is aborted.
        session.execute(dialect_insert(session, NumberSeries.__table__).values(
            series=series, school_year=school_year, last=0).on_conflict_do_nothing(
            index_elements=["series", "school_year"]))
        counter = session.scalar(find)
    return counter


def next_order_number(session: Session, counter: NumberSeries) -> int:
    """The locked counter's next free number of the register of orders: numbers the office gave by hand
    are skipped."""
    while True:
        counter.last += 1
        if session.scalar(sa.select(OrderNumber.id).where(OrderNumber.school_year == counter.school_year,
                                                          OrderNumber.seq == counter.last)) is None:
            return counter.last
