"""Progress on an activity (напредък по дейност): status, value reached, evidence, and its history.

One place for ``PATCH /activities/{id}``, ``POST /activities/{id}/evidence`` and the activity's
page, so the three cannot disagree on who may report, what is checked and what is audited. Each
function works inside the caller's transaction: the page records a status and a file in one.
"""

from __future__ import annotations

import datetime as dt
import typing

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.planning.access import may_change
from services.planning.models import TABLES, Activity, ActivityChange, Evidence
from services.planning.plans.activities import apply_progress
from shared import audit
from shared.auth.principal import Principal
from shared.errors import InvalidInputError, NotAllowedError
from shared.platform_models import utcnow

#: Bytes; one evidence file (a protocol scan, a photo).
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024


class Upload(typing.NamedTuple):
    """An evidence file as it came in (the form's or the API's multipart ``file``)."""

    filename: str
    content_type: str
    data: bytes


def check_upload(upload: Upload | None) -> None:
    """Refuse a missing, empty or too large file before anything is written."""
    if upload is None or not upload.filename or not upload.data:
        raise InvalidInputError({"file": ["Изберете файл с доказателство."]})
    if len(upload.data) > MAX_EVIDENCE_BYTES:
        raise InvalidInputError({"file": ["Файлът е по-голям от 10 MB."]})


def update(session: Session, who: Principal, row: Activity, body: dict, today: dt.date) -> dict[str, list]:
    """Apply a progress report (``current``, ``status``, ``evidence`` note; ``due`` and ``assignee_ids``
    for the management only), with its history row and audit; returns ``{field: [before, after]}``."""
    if not may_change(row, who):
        raise NotAllowedError("Напредъкът се отчита от отговорниците за дейността или от ръководството.")
    if ("due" in body or "assignee_ids" in body) and not who.is_management:
        raise NotAllowedError("Срокът и отговорниците се променят само от директора или заместник-директора.")
    if "assignee_ids" in body:
        unknown = sorted(set(body["assignee_ids"]) - set(session.scalars(sa.select(TABLES.principal.id))))
        if unknown:
            raise InvalidInputError({"assignee_ids": [f"Няма потребители с номера {', '.join(map(str, unknown))}."]})
    changes = apply_progress(row, body, today)
    if "evidence" in body:
        session.add(Evidence(activity_id=row.id, actor_id=who.id, note=body["evidence"].strip(), size=0))
        changes["evidence"] = [None, body["evidence"].strip()]
    if changes:
        row.updated_at = utcnow()
        session.add(ActivityChange(activity_id=row.id, actor_id=who.id, actor_name=who.name, changes=changes))
        audit.record(session, TABLES, who, "activity.update", "activity", row.id,
                     before={k: v[0] for k, v in changes.items()}, after={k: v[1] for k, v in changes.items()})
    session.flush()
    return changes


def attach(session: Session, who: Principal, row: Activity, upload: Upload, note: str = "") -> Evidence:
    """Keep a file (with an optional note) as evidence of the activity's execution, audited."""
    if not may_change(row, who):
        raise NotAllowedError("Доказателства прилагат отговорниците за дейността или ръководството.")
    check_upload(upload)
    evidence = Evidence(activity_id=row.id, actor_id=who.id, note=note.strip()[:4000], filename=upload.filename[:300],
                        content_type=(upload.content_type or "application/octet-stream")[:120],
                        size=len(upload.data), content=upload.data)
    session.add(evidence)
    session.flush()
    session.add(ActivityChange(activity_id=row.id, actor_id=who.id, actor_name=who.name,
                               changes={"evidence_file": [None, evidence.filename]}))
    audit.record(session, TABLES, who, "activity.evidence", "activity", row.id,
                 after={"evidence_id": evidence.id, "file": evidence.filename, "size": evidence.size})
    return evidence


def history(session: Session, activity_id: int) -> dict[str, list]:
    """The activity's changes and its evidence, the oldest first (the files' contents are not read)."""
    changes = session.scalars(sa.select(ActivityChange).where(ActivityChange.activity_id == activity_id)
                              .order_by(ActivityChange.id)).all()
    evidence = session.scalars(sa.select(Evidence).where(Evidence.activity_id == activity_id)
                               .order_by(Evidence.id)).all()
    return {"changes": changes, "evidence": evidence}
