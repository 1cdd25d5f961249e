"""The dropout family drawn up on the register's events (Чл. 97, т. 17; Чл. 25, ал. 5).

- ``register.dropout_report_due`` → the class teacher's report to the director (one per event) and
  one letter to the parents of each student in it, dated the day the register registered it.
- ``register.student_deregistered`` → for a student of compulsory school age deregistered under
  Чл. 25, ал. 4, т. 2 or т. 3, one notice to each of the three addressees of ал. 5.

Each document has a source key of its own, so a re-sent event draws up nothing twice.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from services.documents import replicas
from services.documents.catalogue.schemas.dropout import ADDRESSEES, ADDRESSEES_IN_TEXT, NOTIFIED_GROUNDS
from services.documents.models import StudentCard
from shared.messages import Envelope


def make_report_handler(request_or_record_failure, letter_base):
    def on_dropout_report_due(session: Session, payload: dict, envelope: Envelope) -> None:
        code = payload["class_code"]
        class_teacher = replicas.staff_name(session, "class_teacher", code) or "Класният ръководител"
        report = {
            "class_name": code, "school_year": payload["school_year"], "term": payload["term"],
            "term_end": payload["term_end"].isoformat(), "report_on": payload["report_on"].isoformat(),
            "class_teacher": class_teacher,
            "students": [{"name": row["name"], "class_name": code, "unexcused": row["unexcused"],
                          "reasons": row["reasons"], "activities": row["activities"],
                          "register_entry": row["register_entry"]} for row in payload["students"]],
        }
        request_or_record_failure(session, "dropout_report", report, student_id=None,
                                  source_key=f"dropout_report:{payload['period']}:{code}:{envelope.id}")
        for row in payload["students"]:
            card = session.get(StudentCard, row["student_id"])
            if card is None:
                continue
            letter = {**letter_base(session, card), "sent_on": row["register_entry_date"].isoformat(),
                      "reasons": row["reasons"], "activities": row["activities"],
                      "term_end": payload["term_end"].isoformat(), "register_entry": row["register_entry"]}
            request_or_record_failure(session, "dropout_letter", letter, student_id=card.id,
                                      source_key=f"dropout_letter:{card.id}:{payload['period']}")

    return on_dropout_report_due


def make_notice_handler(request_or_record_failure):
    def on_student_deregistered(session: Session, payload: dict, _envelope: Envelope) -> None:
        if not payload["compulsory_age"] or payload["article"] not in NOTIFIED_GROUNDS:
            return
        since = payload["nonattendance_since"]
        for key, addressee in ADDRESSEES.items():
            others = [name for other, name in ADDRESSEES_IN_TEXT.items() if other != key]
            notice = {
                "addressee": addressee, "other_addressees": " и ".join(others),
                "student": {"name": payload["student_name"], "class_name": payload["class_code"]},
                "age": payload["age"], "deregistered_on": payload["date"].isoformat(),
                "ground_article": payload["article"], "ground_text": NOTIFIED_GROUNDS[payload["article"]],
                "nonattendance_since": since.isoformat() if since else None,
                "sent_on": payload["date"].isoformat(),
            }
            request_or_record_failure(session, "deregistration_notice", notice, student_id=payload["student_id"],
                                      source_key=f"deregistration_notice:{payload['student_id']}:"
                                                 f"{payload['date'].isoformat()}:{key}")

    return on_student_deregistered
