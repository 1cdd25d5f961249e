"""Handlers of other services' events for the annual plan: the execution report documents drew up."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.planning.models import PlanReport
from services.planning.plans.reports import TEMPLATE
from shared.messages import Envelope


def on_document_ready(session: Session, payload: dict, _envelope: Envelope) -> None:
    """documents drew up a report we asked for: remember the document's id and number."""
    source = payload["source_event_id"] or ""
    if payload["template"] != TEMPLATE or not source.startswith("requested:"):
        return
    report = session.scalar(sa.select(PlanReport).where(PlanReport.message_id == source.removeprefix("requested:")))
    if report is not None:
        # Drawn up after all (its render sent again from „Неуспели съобщения“): no longer a failure.
        report.document_id, report.number, report.failure = payload["document_id"], payload["number"], None


def on_document_failed(session: Session, payload: dict, _envelope: Envelope) -> None:
    """documents could not draw up a report we asked for: the page says „неуспешно“ and why, and offers it again."""
    source = payload["source_event_id"] or ""
    if payload["template"] != TEMPLATE or not source.startswith("requested:"):
        return
    report = session.scalar(sa.select(PlanReport).where(PlanReport.message_id == source.removeprefix("requested:")))
    if report is not None and report.document_id is None:
        report.failure = payload["reason"]
