"""Documents' answers to what the exams asked: the protocol of an exam, the orders of the year's end."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.register.models.exams import Exam, ExamOrderRequest
from shared.messages import Envelope


def on_document_ready(session: Session, payload: dict, _envelope: Envelope) -> None:
    """Remember the id (and number) of a document the exams asked for; other documents are not ours."""
    source = payload["source_event_id"] or ""
    if not source.startswith("requested:"):
        return
    message_id = source.removeprefix("requested:")
    exam = session.scalar(sa.select(Exam).where(Exam.protocol_message_id == message_id))
    if exam is not None:
        exam.protocol_document_id = payload["document_id"]
        return
    order = session.scalar(sa.select(ExamOrderRequest).where(ExamOrderRequest.message_id == message_id))
    if order is not None:
        order.document_id, order.number = payload["document_id"], payload["number"]
