"""The class teachers' named lists to ЗАС (поименна справка, L8, Чл. 97, т. 15), one per class and month.

Register decides who is on the list (the school's threshold) and carries each student's prior
notice to the parents (L7, ``child_benefit_notice``): its outgoing number and date, and whether it
went out before the list. The Word list cites each student's L7 by its number; a student whose L7
did not go out before the list is left off it — the rulebook makes the notice a precondition — and
the office sees them named in the register's workbook and in its notice (what to do: there).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from services.documents import replicas
from shared.messages import Envelope

TEMPLATE = "child_benefit_list"
#: Printed where the parents were told (register says when) but no numbered letter of ours exists.
NO_LETTER_NUMBER = "—"


def class_lists(session: Session, payload: dict, today: dt.date) -> dict[str, dict]:
    """``{class code: context}`` for every class with a student on the month's list whose parents were told."""
    month_first = dt.date(payload["school_year"] + (0 if payload["month"] >= 9 else 1), payload["month"], 1)
    lists: dict[str, dict] = {}
    for row in payload["benefit"]:
        told = row["parents_notified_on"]
        if told is None:
            continue
        # The L7's number as the register of letters writes it (318/20.10.2023): the list prints the date once.
        number = (row.get("notice_number") or "").partition("/")[0] or NO_LETTER_NUMBER
        code = row["class_name"]
        context = lists.setdefault(code, {
            "class_name": code, "month": month_first.isoformat(), "submitted_on": today.isoformat(),
            "class_teacher": replicas.staff_name(session, "class_teacher", code) or "Класният ръководител",
            "criterion": payload["criterion"], "students": [],
        })
        context["students"].append({"name": row["name"], "class_name": code, "unexcused": row["unexcused"],
                                    "notice_number": number, "notified_on": told.isoformat()})
    return lists


def make_handler(request_or_record_failure, today):
    """``register.monthly_exports_ready`` → one list per class, once per preparation of the month."""

    def on_monthly_exports_ready(session: Session, payload: dict, _envelope: Envelope) -> None:
        for code, context in sorted(class_lists(session, payload, today()).items()):
            request_or_record_failure(session, TEMPLATE, context,
                                      source_key=f"benefit_list:{payload['export_id']}:{code}", student_id=None)

    return on_monthly_exports_ready
