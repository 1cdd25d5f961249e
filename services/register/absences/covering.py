"""Absences recorded on days an excuse already covers (извинени при въвеждането, Чл. 61, ал. 1).

An excuse covers a range of days, not only the marks there when it was made: the director's prior
permission (т. 4) is granted before the absence, and a parent's application (т. 3) may be accepted
before a late teacher records the lesson. A mark recorded later as unexcused on a covered day is
therefore stored as excused, in the same transaction as the recording, with its history naming the
excuse, and the excuse counts the hour (issue 19, point 4).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.register.models.absences import AbsenceChange, Excuse


def covering_excuses(s: Session, marks: Iterable[tuple[int, dt.date]]) -> dict[tuple[int, dt.date], Excuse]:
    """The excuse that covers each (student, day) of ``marks``, where one does (the earliest made)."""
    wanted = set(marks)
    if not wanted:
        return {}
    days = [day for _sid, day in wanted]
    rows = s.scalars(sa.select(Excuse).where(
        Excuse.student_id.in_({sid for sid, _day in wanted}), Excuse.date_from <= max(days),
        Excuse.date_to >= min(days)).order_by(Excuse.id)).all()
    found: dict[tuple[int, dt.date], Excuse] = {}
    for sid, day in wanted:
        for row in rows:
            if row.student_id == sid and row.date_from <= day <= row.date_to:
                found[sid, day] = row
                break
    return found


def excuse_on_recording(s: Session, day: dt.date, marks: list[dict]) -> tuple[list[dict], dict[int, Excuse]]:
    """The marks to store (unexcused ones on covered days turned excused) and ``{student id: excuse}`` turned."""
    covered = covering_excuses(s, [(m["student_id"], day) for m in marks if m["kind"] == "unexcused"])
    turned = {sid: excuse for (sid, _day), excuse in covered.items()}
    return [{**m, "kind": "excused"} if m["student_id"] in turned and m["kind"] == "unexcused" else m
            for m in marks], turned


def excuse_imported(s: Session, rows: list[dict]) -> tuple[list[dict], dict[tuple[int, dt.date], Excuse]]:
    """:func:`excuse_on_recording` for an import's rows of many days: ``{(student id, day): excuse}`` turned."""
    covered = covering_excuses(s, [(r["student_id"], r["date"]) for r in rows if r["kind"] == "unexcused"])
    return [{**r, "kind": "excused"} if r["kind"] == "unexcused" and (r["student_id"], r["date"]) in covered else r
            for r in rows], covered


def record_history(s: Session, who_id: int, turned: dict, stored: Iterable[tuple]) -> None:
    """History for each mark stored excused by an excuse, and the excuse's count of hours.

    Parameters:
      turned: the excuses by student id (one day) or by (student id, day) (an import).
      stored: (absence id, student id) of the marks just inserted, or (absence id, student id, day).
    """
    for absence_id, sid, *day in stored:
        excuse = turned.get((sid, day[0]) if day else sid)
        if excuse is None:
            continue
        s.add(AbsenceChange(absence_id=absence_id, old_kind="unexcused", new_kind="excused", changed_by=who_id,
                            reason=f"извинено при въвеждането ({excuse.article}), извинение № {excuse.id}"))
        excuse.excused_hours += 1
