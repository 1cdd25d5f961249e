"""Documents' tables: generated documents, the order register, template versions."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import new_base
from shared.platform_models import platform_tables, utcnow

Base = new_base()


TABLES = platform_tables(Base)


class SchoolProfile(Base):
    """The letterhead, kept from ``register.school_saved``."""

    __tablename__ = "school_profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    data: Mapped[dict] = mapped_column(sa.JSON)


class Document(Base):
    """документ: one generation request; its status is what the secretary sees.

    A done document is its inputs (``context``, the template file by ``template_sha256``) and the
    sha256 of the file they render to; the file itself (``content``) is kept only by the documents
    ``storage.keeps_copy`` names (orders, and files that cannot be rendered again), the others are
    rendered again on download and checked against ``content_sha256`` (see ``storage.py``).
    """

    __tablename__ = "documents"
    # The list finds a document by its number, whole or by the sequence before the date; on
    # PostgreSQL text_pattern_ops lets that prefix LIKE use the index whatever the collation.
    __table_args__ = (sa.Index("ix_documents_number", "number", postgresql_ops={"number": "text_pattern_ops"}),)

    id: Mapped[int] = mapped_column(primary_key=True)
    template: Mapped[str] = mapped_column(sa.String(80), index=True)
    template_version: Mapped[int | None] = mapped_column(sa.Integer)
    context: Mapped[dict] = mapped_column(sa.JSON)
    status: Mapped[str] = mapped_column(sa.String(10), default="queued")
    number: Mapped[str | None] = mapped_column(sa.String(32))
    error: Mapped[str | None] = mapped_column(sa.Text)
    #: The event that caused it; unique so the same event never makes two documents.
    source_key: Mapped[str | None] = mapped_column(sa.String(200), unique=True)
    student_id: Mapped[int | None] = mapped_column(sa.Integer, index=True)
    batch_id: Mapped[int | None] = mapped_column(sa.Integer, index=True)
    requested_by: Mapped[int | None] = mapped_column(sa.Integer)
    #: The rendered file, kept only where ``storage.keeps_copy`` says so; else rendered on download.
    content: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    #: sha256 (hex) of the rendered file: a download gives exactly these bytes or an error.
    content_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    #: The template file it was rendered with (``template_files``); NULL when only ``content`` holds it.
    template_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    #: The zip time of the rendered parts of a document made before 0004 (read back from its file);
    #: NULL for every later one, rendered with the fixed ``rendering.compiled.FIXED_STAMP``.
    zip_time: Mapped[dt.datetime | None] = mapped_column(sa.DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    done_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))


class DocumentBatch(Base):
    """A bulk request (e.g. letters for a whole class); progress is counted from its documents."""

    __tablename__ = "document_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    template: Mapped[str] = mapped_column(sa.String(80))
    total: Mapped[int] = mapped_column(sa.Integer)
    requested_by: Mapped[int | None] = mapped_column(sa.Integer)
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class StudentCard(Base):
    """What documents needs of a student for letters, kept from ``register.student_saved``."""

    __tablename__ = "student_cards"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(sa.String(300))
    class_code: Mapped[str] = mapped_column(sa.String(8))
    #: ``[{"name", "email", "phone"}]`` — the addressees of letters to parents.
    guardians: Mapped[list] = mapped_column(sa.JSON, default=list)


class AbsenceTally(Base):
    """Absence marks per student, day and kind, counted from ``register.absence_recorded``."""

    __tablename__ = "absence_tallies"
    __table_args__ = (sa.UniqueConstraint("student_id", "day", "kind", name="uq_absence_tallies"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(sa.Integer, index=True)
    day: Mapped[dt.date] = mapped_column(sa.Date)
    kind: Mapped[str] = mapped_column(sa.String(10))
    marks: Mapped[int] = mapped_column(sa.Integer, default=0)


class NumberSeries(Base):
    """A gap-free counter per series and school year: orders (заповеди) and outgoing letters (изходящи)."""

    __tablename__ = "number_series"
    __table_args__ = (sa.UniqueConstraint("series", "school_year", name="uq_number_series"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    series: Mapped[str] = mapped_column(sa.String(16))
    school_year: Mapped[str] = mapped_column(sa.String(9))
    last: Mapped[int] = mapped_column(sa.Integer, default=0)


class OrderNumber(Base):
    """регистър на заповедите: gap-free numbers per school year, one row per issued order."""

    __tablename__ = "order_register"
    __table_args__ = (sa.UniqueConstraint("school_year", "seq", name="uq_order_register_year_seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_year: Mapped[str] = mapped_column(sa.String(9))
    seq: Mapped[int] = mapped_column(sa.Integer)
    issued_on: Mapped[dt.date] = mapped_column(sa.Date)
    document_id: Mapped[int] = mapped_column(sa.ForeignKey("documents.id"), unique=True)
    template: Mapped[str] = mapped_column(sa.String(80))


class TemplateVersion(Base):
    """A school's own version of a template (uploaded .docx); shipped versions live in the package."""

    __tablename__ = "template_versions"
    __table_args__ = (sa.UniqueConstraint("key", "version", name="uq_template_versions_key_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(80), index=True)
    version: Mapped[int] = mapped_column(sa.Integer)
    content: Mapped[bytes] = mapped_column(sa.LargeBinary)
    uploaded_by: Mapped[int | None] = mapped_column(sa.Integer)
    uploaded_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    current: Mapped[bool] = mapped_column(default=True)


class PrintSet(Base):
    """комплект за печат: documents printed together as one PDF, each starting on its own page.

    Made by the office from a selection or a filter, or each day by the ``gather_paper_letters``
    sweep from the paper letters notifications asked for (``key`` ``paper:<day>``: one per day).
    Only the ids are kept; the PDF is made from the documents when it is downloaded.
    """

    __tablename__ = "print_sets"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: ``selection`` (the office's) or ``paper`` (the day's paper letters).
    kind: Mapped[str] = mapped_column(sa.String(16))
    #: ``paper:<ISO day>`` for the daily set, so a second sweep makes no second one; else empty.
    key: Mapped[str | None] = mapped_column(sa.String(40), unique=True)
    document_ids: Mapped[list] = mapped_column(sa.JSON)
    created_by: Mapped[int | None] = mapped_column(sa.Integer)
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class PaperLetter(Base):
    """A document another service asked for to go on paper (писмо на хартия), until a print set takes it."""

    __tablename__ = "paper_letters"

    document_id: Mapped[int] = mapped_column(sa.ForeignKey("documents.id"), primary_key=True)
    print_set_id: Mapped[int | None] = mapped_column(sa.ForeignKey("print_sets.id"), index=True)


class TemplateFile(Base):
    """Every template file a document was rendered with, by its sha256 (шаблон, с който е съставен документ).

    A shipped template changes with a release and an upload can be replaced, but a document is
    rendered again on every download: so the exact file it was made with is kept here, once per
    file however many documents use it (about 40 KB per template version).
    """

    __tablename__ = "template_files"

    sha256: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(80))
    version: Mapped[int] = mapped_column(sa.Integer)
    content: Mapped[bytes] = mapped_column(sa.LargeBinary)
    stored_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
