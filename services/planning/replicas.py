"""Copies of register's data that planning needs: the school's letterhead and the school-year calendars."""

from __future__ import annotations

from sqlalchemy.orm import Session

from services.planning.models import SchoolCopy, SchoolYearCopy
from shared.messages import Envelope


def on_school_saved(session: Session, payload: dict, _envelope: Envelope) -> None:
    row = session.get(SchoolCopy, 1)
    if row is None:
        session.add(SchoolCopy(id=1, data=dict(payload)))
    else:
        row.data = dict(payload)


def on_school_year_saved(session: Session, payload: dict, _envelope: Envelope) -> None:
    """The calendar gives "Учебна 2023/2024 година" its dates and the term-bound duties their deadlines."""
    row = session.get(SchoolYearCopy, payload["name"])
    if row is None:
        row = SchoolYearCopy(name=payload["name"])
        session.add(row)
    row.start, row.end = payload["start"], payload["end"]
    row.terms = [{"start": term["start"].isoformat(), "end": term["end"].isoformat()} for term in payload["terms"]]
