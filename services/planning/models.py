"""Planning's tables: tracked items (plan activities and procedural steps alike)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import new_base
from shared.platform_models import (
    ApiTokenMixin,
    AuditEntryMixin,
    OutboxEventMixin,
    PlatformTables,
    PrincipalMixin,
    ProcessedMessageMixin,
    utcnow,
)

Base = new_base()


class OutboxEvent(OutboxEventMixin, Base):
    pass


class ProcessedMessage(ProcessedMessageMixin, Base):
    pass


class AuditEntry(AuditEntryMixin, Base):
    pass


class Principal(PrincipalMixin, Base):
    pass


class ApiToken(ApiTokenMixin, Base):
    pass


TABLES = PlatformTables(outbox=OutboxEvent, processed=ProcessedMessage, audit=AuditEntry,
                        principal=Principal, token=ApiToken)


class Procedure(Base):
    """процедура: a time-bound duty announced by another service (``procedure.deadline_set``)."""

    __tablename__ = "procedures"
    __table_args__ = (sa.UniqueConstraint("source", "key", name="uq_procedures_source_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(sa.String(40))
    key: Mapped[str] = mapped_column(sa.String(200))
    title: Mapped[str] = mapped_column(sa.String(500))
    due: Mapped[dt.date] = mapped_column(sa.Date, index=True)
    responsible_roles: Mapped[list] = mapped_column(sa.JSON, default=list)
    article: Mapped[str] = mapped_column(sa.String(80), default="")
    student_id: Mapped[int | None] = mapped_column(sa.Integer)
    status: Mapped[str] = mapped_column(sa.String(16), default="open")
    done_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
