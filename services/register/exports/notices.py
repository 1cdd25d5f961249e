"""The parents' prior notices before the ЗАС list (L7, Чл. 97, т. 15), as the register keeps them.

When the rule pack's ``child_benefit_list`` rule fires for a student and month, documents draws up
the class teacher's notice to the parents (``child_benefit_notice``) under an outgoing number and
notifications sends it to them (e-mail, the parents' inbox, or on paper). Its
``documents.document_ready`` brings the number here: one notice per student and month, the first
kept, so the month's list (:mod:`services.register.exports.workbooks`) cites it and tells the office
of a student whose notice was not sent before the list.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.register.models import TABLES
from services.register.models.exports import BenefitNotice
from services.register.models.people import Student
from shared import audit
from shared.auth.principal import SYSTEM
from shared.messages import Envelope

#: The notice's template in documents, and the prefix of the key documents draws it up under
#: (``benefit_notice:<student>:<YYYY-MM>``, one per student and month).
TEMPLATE = "child_benefit_notice"
SOURCE_PREFIX = "benefit_notice:"


def source_key(student_id: int, month: str) -> str:
    return f"{SOURCE_PREFIX}{student_id}:{month}"


def _sent_on(number: str) -> dt.date | None:
    """The date of an outgoing number as the register of letters writes it (``318/20.10.2023``)."""
    try:
        return dt.datetime.strptime(number.partition("/")[2], "%d.%m.%Y").date()
    except ValueError:
        return None


def on_document_ready(session: Session, payload: dict, _envelope: Envelope) -> None:
    """Record the L7's outgoing number and date on the student, once per month."""
    key = payload.get("source_event_id") or ""
    if payload["template"] != TEMPLATE or not key.startswith(SOURCE_PREFIX) or not payload.get("number"):
        return
    student_part, _, month = key.removeprefix(SOURCE_PREFIX).partition(":")
    sent_on = _sent_on(payload["number"])
    if not student_part.isdigit() or sent_on is None:
        return
    student_id = int(student_part)
    if session.get(Student, student_id) is None:
        return
    if session.scalar(sa.select(BenefitNotice.id).where(BenefitNotice.student_id == student_id,
                                                         BenefitNotice.month == month)) is not None:
        return
    notice = BenefitNotice(student_id=student_id, month=month, number=payload["number"], sent_on=sent_on,
                           document_id=payload["document_id"])
    session.add(notice)
    session.flush()
    audit.record(session, TABLES, SYSTEM, "benefit_notice.sent", "benefit_notice", notice.id,
                 after={"student_id": student_id, "month": month, "number": notice.number})


def notices_of(session: Session, month: str, student_ids) -> dict[int, BenefitNotice]:
    """``{student: their L7}`` for the month."""
    return {notice.student_id: notice for notice in session.scalars(sa.select(BenefitNotice).where(
        BenefitNotice.month == month, BenefitNotice.student_id.in_(list(student_ids))))}
