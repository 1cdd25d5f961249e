"""The discipline tables: sanction procedures (санкции) and removals (Правилник Чл. 52–60)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from services.register.models.base import Base
from shared.platform_models import utcnow


class SanctionRecord(Base):
    """процедура по налагане на санкция (Чл. 52–60); ``steps`` holds the completed steps in order.

    ``announced`` maps a step name to the due date already published as ``procedure.deadline_set``.
    """

    __tablename__ = "sanctions"
    __table_args__ = (sa.UniqueConstraint("student_id", "violation", name="uq_sanctions_one_per_violation"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(sa.ForeignKey("students.id"), index=True)
    type: Mapped[str] = mapped_column(sa.String(20))
    violation: Mapped[str] = mapped_column(sa.String(300))
    reason: Mapped[str] = mapped_column(sa.Text)
    proposed_on: Mapped[dt.date] = mapped_column(sa.Date)
    steps: Mapped[list] = mapped_column(sa.JSON, default=list)
    details: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    announced: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    created_by: Mapped[int] = mapped_column(sa.Integer)
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class Removal(Base):
    """отстраняване от час (Чл. 52, ал. 2) или от училище (ал. 3), with the parent informed."""

    __tablename__ = "removals"

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(sa.ForeignKey("students.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(8))
    date: Mapped[dt.date] = mapped_column(sa.Date)
    lesson: Mapped[int | None] = mapped_column(sa.SmallInteger)
    subject: Mapped[str] = mapped_column(sa.String(120), default="")
    reason: Mapped[str] = mapped_column(sa.Text)
    parent_informed: Mapped[bool] = mapped_column(default=False)
    psychologist_informed: Mapped[bool] = mapped_column(default=False)
    recorded_by: Mapped[int] = mapped_column(sa.Integer)
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
