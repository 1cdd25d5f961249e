"""The class teachers' named lists to ЗАС (поименна справка, Чл. 97, т. 15), one per class and month.

Register decides who is on the list (the school's threshold) and whether the parents were told;
documents adds what only it knows: the outgoing number of the letter that told them (the ladder
letter it drew up, Чл. 97, т. 8).  A student whose parents were not told in writing is left off the
Word list — the rulebook makes the notice a precondition — and the office sees them named in the
register's workbook and in its notice.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.documents import replicas
from services.documents.models import Document
from shared.messages import Envelope

TEMPLATE = "child_benefit_list"
#: Printed where the parents were told (register says when) but no numbered letter of ours exists.
NO_LETTER_NUMBER = "—"


def _letter(session: Session, student_id: int, by: dt.date) -> tuple[str, dt.date] | None:
    """The number and date of the latest numbered ladder letter to the student's parents sent by ``by``."""
    numbers = session.scalars(sa.select(Document.number).where(
        Document.student_id == student_id, Document.template == "absence_letter", Document.status == "done",
        Document.number.is_not(None)).order_by(Document.id.desc())).all()
    for number in numbers:
        seq, _, day = number.partition("/")
        try:
            sent = dt.datetime.strptime(day, "%d.%m.%Y").date()
        except ValueError:
            continue
        if sent <= by:
            return seq, sent
    return None


def class_lists(session: Session, payload: dict, today: dt.date) -> dict[str, dict]:
    """``{class code: context}`` for every class with a student on the month's list whose parents were told."""
    month_first = dt.date(payload["school_year"] + (0 if payload["month"] >= 9 else 1), payload["month"], 1)
    lists: dict[str, dict] = {}
    for row in payload["benefit"]:
        told = row["parents_notified_on"]
        if told is None:
            continue
        letter = _letter(session, row["student_id"], today)
        number, notified_on = letter if letter else (NO_LETTER_NUMBER, told)
        code = row["class_name"]
        context = lists.setdefault(code, {
            "class_name": code, "month": month_first.isoformat(), "submitted_on": today.isoformat(),
            "class_teacher": replicas.staff_name(session, "class_teacher", code) or "Класният ръководител",
            "criterion": payload["criterion"], "students": [],
        })
        context["students"].append({"name": row["name"], "class_name": code, "unexcused": row["unexcused"],
                                    "notice_number": number, "notified_on": notified_on.isoformat()})
    return lists


def make_handler(request_or_record_failure, today):
    """``register.monthly_exports_ready`` → one list per class, once per preparation of the month."""

    def on_monthly_exports_ready(session: Session, payload: dict, _envelope: Envelope) -> None:
        for code, context in sorted(class_lists(session, payload, today()).items()):
            request_or_record_failure(session, TEMPLATE, context,
                                      source_key=f"benefit_list:{payload['export_id']}:{code}", student_id=None)

    return on_monthly_exports_ready
