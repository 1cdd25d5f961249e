"""The register's tables for the monthly exports (месечни справки, Чл. 97, т. 10 и т. 15).

Every preparation of a month is kept, with its files, so the office can download what it handed
in and what changed since; the scheduled one of each month is unique by its key.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from services.register.models.base import Base
from shared.platform_models import utcnow


class MonthlyExport(Base):
    """One preparation of a month's exports: the НЕИСПУО file, the ЗАС list and the РУО report."""

    __tablename__ = "monthly_exports"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The year the school year starts (НЕИСПУО's convention: 2023 for 2023/2024).
    school_year: Mapped[int] = mapped_column(sa.Integer)
    month: Mapped[int] = mapped_column(sa.SmallInteger)
    #: ``YYYY-MM`` of the calendar month for the scheduler's run, NULL for one asked by hand;
    #: unique, so a scheduler that runs twice prepares the month once.
    schedule_key: Mapped[str | None] = mapped_column(sa.String(7), unique=True)
    #: ``ready``: every file made; ``problems``: the НЕИСПУО file is withheld until they are fixed.
    status: Mapped[str] = mapped_column(sa.String(10))
    problems: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    #: Students on the ЗАС list and whether their parents were told first (for the list and the notice).
    benefit_rows: Mapped[list] = mapped_column(sa.JSON, default=list)
    prepared_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    prepared_by: Mapped[int | None] = mapped_column(sa.Integer)
    submitted_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    submitted_by: Mapped[int | None] = mapped_column(sa.Integer)

    __table_args__ = (sa.Index("ix_monthly_exports_month", "school_year", "month"),)


class ExportFile(Base):
    """One downloadable file of a preparation; its checksum shows whether two versions differ."""

    __tablename__ = "monthly_export_files"
    __table_args__ = (sa.UniqueConstraint("export_id", "kind", name="uq_monthly_export_files_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    export_id: Mapped[int] = mapped_column(sa.ForeignKey("monthly_exports.id", ondelete="CASCADE"), index=True)
    #: ``neispuo`` (the НЕИСПУО .txt), ``benefit`` (the ЗАС list .xlsx), ``ruo`` (the РУО report .xlsx).
    kind: Mapped[str] = mapped_column(sa.String(10))
    name: Mapped[str] = mapped_column(sa.String(100))
    mimetype: Mapped[str] = mapped_column(sa.String(100))
    sha256: Mapped[str] = mapped_column(sa.String(64))
    content: Mapped[bytes] = mapped_column(sa.LargeBinary)


class BenefitNotice(Base):
    """The parents' prior written notice before the ЗАС list (L7, Чл. 97, т. 15), one per student and month.

    Documents draws the letter up and numbers it when the ``child_benefit_list`` rule fires for the
    month; its ``documents.document_ready`` brings the outgoing number and date here, so the month's
    list cites them and shows a student whose notice was not sent before the list.
    """

    __tablename__ = "benefit_notices"
    __table_args__ = (sa.UniqueConstraint("student_id", "month", name="uq_benefit_notices_student_month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(sa.ForeignKey("students.id"))
    #: ``YYYY-MM`` of the calendar month of the absences (the rule's period).
    month: Mapped[str] = mapped_column(sa.String(7))
    #: The outgoing number as the register of letters writes it, ``318/20.10.2023``.
    number: Mapped[str] = mapped_column(sa.String(32))
    sent_on: Mapped[dt.date] = mapped_column(sa.Date)
    document_id: Mapped[int] = mapped_column(sa.Integer)
    recorded_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
