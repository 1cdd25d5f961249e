"""Procedures (процедури) stored: found, created or updated by key, and closed.

Keys are the producer's: ``sanction:<id>:<step>`` for the steps of a sanction procedure
(Чл. 52–60), ``D05:<class>:<date>`` for finalising a day's absences, ``D06:<yyyy-mm>`` for the
monthly absence report, and so on.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.planning.models import TABLES, Procedure
from shared import audit
from shared.auth.principal import SYSTEM
from shared.db import dialect_insert

#: The source of procedures created by this service's own deadline catalogue (``duties.py``).
CATALOGUE = "catalogue"


def find_procedure(session: Session, source: str, key: str) -> Procedure | None:
    """The procedure with this key from this source, or the catalogue's row for the same duty."""
    rows = session.scalars(sa.select(Procedure).where(Procedure.key == key,
                                                      Procedure.source.in_((source, CATALOGUE)))).all()
    return next((r for r in rows if r.source == source), rows[0] if rows else None)


def upsert_procedure(session: Session, *, source: str, key: str, title: str, due: dt.date,
                     responsible_roles: list[str], article: str, student_id: int | None = None,
                     class_code: str | None = None, details: dict | None = None) -> Procedure:
    row = find_procedure(session, source, key)
    if row is None:
        # Two events about one duty may be handled at once (two lessons of a class saved in the same
        # minute, each announcing the day's D05): ON CONFLICT makes the second wait for the first's
        # row and then update it, where a plain INSERT failed on the unique key and was retried.
        session.execute(dialect_insert(session, Procedure.__table__).values(
            source=source, key=key, status="open", details={}, title=title[:500], due=due,
            responsible_roles=list(responsible_roles), article=article).on_conflict_do_nothing(
            index_elements=["source", "key"]))
        row = find_procedure(session, source, key)
    row.source = source
    row.title = title[:500]
    if row.due != due:
        row.overdue_since = None
    row.due = due
    row.responsible_roles = list(responsible_roles)
    row.article = article
    row.student_id = student_id
    row.class_code = class_code
    row.details = dict(details or {})
    session.flush()
    audit.record(session, TABLES, SYSTEM, "procedure.set", "procedure", row.id,
                 after={"source": source, "key": key, "due": due.isoformat(), "article": article})
    return row


def close_procedure(session: Session, source: str, key: str, done_on: dt.date) -> Procedure | None:
    row = find_procedure(session, source, key)
    if row is not None and row.status != "done":
        close_row(session, row, done_on)
    return row


def close_row(session: Session, row: Procedure, done_on: dt.date) -> None:
    """Mark the procedure done on ``done_on``, audited."""
    before = {"status": row.status}
    row.status, row.done_on = "done", done_on
    audit.record(session, TABLES, SYSTEM, "procedure.close", "procedure", row.id, before=before,
                 after={"status": "done", "done_on": done_on.isoformat()})
