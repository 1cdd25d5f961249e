"""What a parent's application (заявление, Чл. 61, ал. 1, т. 3) and an application for the director's prior
permission (Чл. 61, ал. 1, т. 4) share: a student's days that wait, pending, for one person's decision,
which either makes the excuse of the days or refuses them with a reason the parent reads on the card.

Each of :mod:`.applications` and :mod:`.permissions` keeps what differs: who submits and who decides,
the checks of its point of Чл. 61, how the excuse is made. Their rows (``ExcuseApplication``,
``DirectorPermission``) have the same columns for the part shared here.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.register.models import TABLES
from services.register.models.people import Student
from services.register.people.access import check_may_see_student
from shared import audit
from shared.auth.principal import Principal
from shared.errors import NotAllowedError
from shared.platform_models import utcnow


def pending_days(session: Session, model: type, student_id: int, school_year: str) -> int:
    """School days of the student's applications still pending in the year (they count against the quota)."""
    return session.scalar(sa.select(sa.func.coalesce(sa.func.sum(model.school_days), 0)).where(
        model.student_id == student_id, model.school_year == school_year, model.status == "pending")) or 0


def visible(session: Session, who: Principal, student_id: int | None, status: str | None, *, model: type) -> list:
    """The applications the caller may see, the newest first: one student's, or all within their scope."""
    stmt = sa.select(model).order_by(model.id.desc())
    if student_id is not None:
        check_may_see_student(session, who, student_id, refuse_it_admin=True)
        stmt = stmt.where(model.student_id == student_id)
    elif who.role == "parent":
        stmt = stmt.where(model.student_id.in_(list(who.student_ids or [])))
    elif who.role == "it_admin":
        raise NotAllowedError("Ролята няма достъп до данните на учениците.")
    elif who.role in ("teacher", "class_teacher"):
        stmt = stmt.where(model.student_id.in_(
            sa.select(Student.id).where(Student.class_code.in_(list(who.class_codes or [])))))
    if status:
        stmt = stmt.where(model.status == status)
    return list(session.scalars(stmt))


def decide(session: Session, who: Principal, row: Any, status: str, action: str, after: dict[str, Any], *,
           excuse_id: int | None = None, refusal_reason: str | None = None) -> None:
    """Record the decision on a pending application, audited as ``action`` (``<entity>.<verb>``).

    Parameters:
      status: what it became (``accepted`` or ``granted`` with ``excuse_id``, ``refused`` with the reason).
    """
    row.status = status
    if excuse_id is not None:
        row.excuse_id = excuse_id
    if refusal_reason is not None:
        row.refusal_reason = refusal_reason
    row.decided_by, row.decided_at = who.id, utcnow()
    audit.record(session, TABLES, who, action, action.split(".", 1)[0], row.id, after=after)


def as_dict(row: Any, article: str) -> dict[str, Any]:
    """The fields every application answers with; each kind adds its own (the reasons, on paper)."""
    return {"id": row.id, "student_id": row.student_id, "from": row.date_from, "to": row.date_to,
            "school_days": row.school_days, "status": row.status, "submitted_on": row.submitted_on,
            "decided_at": row.decided_at, "refusal_reason": row.refusal_reason, "excuse_id": row.excuse_id,
            "article": article}
