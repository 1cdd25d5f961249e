"""Notifications' own store: recipients replicated from events, deliveries and their attempts."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import new_base
from shared.platform_models import platform_tables, utcnow

Base = new_base()


TABLES = platform_tables(Base)


class Guardian(Base):
    """родител: kept from ``register.student_saved`` events, never read from register's database."""

    __tablename__ = "guardians"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    student_id: Mapped[int] = mapped_column(sa.Integer, index=True)
    student_name: Mapped[str] = mapped_column(sa.String(300))
    class_code: Mapped[str] = mapped_column(sa.String(8))
    name: Mapped[str] = mapped_column(sa.String(200))
    email: Mapped[str | None] = mapped_column(sa.String(200))
    phone: Mapped[str | None] = mapped_column(sa.String(50))
    #: The postal address the paper letter carries in its envelope window (personal data).
    address: Mapped[str | None] = mapped_column(sa.String(300))
    active: Mapped[bool] = mapped_column(default=True)
    #: Channels the guardian chose, in order of preference; obligatory notices use them all.
    channels: Mapped[list] = mapped_column(sa.JSON, default=lambda: ["email"])
    #: Opted out of optional notices (per-absence notices); the rulebook's notices still go.
    opted_out: Mapped[bool] = mapped_column(default=False)
    #: Optional notices come once a day as one combined message (дневно обобщение).
    digest: Mapped[bool] = mapped_column(default=False)


class School(Base):
    """The school's name for signatures, kept from ``register.school_saved``."""

    __tablename__ = "school"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(300))


class Delivery(Base):
    """One message to one recipient on one channel; ``idempotency_key`` makes it happen once."""

    __tablename__ = "deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(sa.String(200), unique=True)
    #: The notice this delivery carries, shared by all its recipients and channels.
    about_key: Mapped[str] = mapped_column(sa.String(200), default="", index=True)
    #: ``guardian`` (what parents may see in the log) or ``staff``.
    audience: Mapped[str] = mapped_column(sa.String(16), default="guardian")
    #: The rulebook makes the notice obligatory (Чл. 97, т. 8; Чл. 57; Чл. 58): opt-outs do not apply.
    obligatory: Mapped[bool] = mapped_column(default=False)
    #: The printable letter (``{"template", "context"}``) if the notice must reach the guardian on paper.
    letter: Mapped[dict | None] = mapped_column(sa.JSON(none_as_null=True))
    channel: Mapped[str] = mapped_column(sa.String(32))
    recipient: Mapped[str] = mapped_column(sa.String(200))
    recipient_name: Mapped[str] = mapped_column(sa.String(200), default="")
    student_id: Mapped[int | None] = mapped_column(sa.Integer, index=True)
    rule_id: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    article: Mapped[str | None] = mapped_column(sa.String(64))
    subject: Mapped[str] = mapped_column(sa.String(300))
    body: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.String(16), default="queued", index=True)
    urgent: Mapped[bool] = mapped_column(default=False)
    #: What the message is about: ``absence``, ``rule``, ``sanction``, ``reminder``.
    kind: Mapped[str] = mapped_column(sa.String(16), default="")
    guardian_id: Mapped[int | None] = mapped_column(sa.Integer)
    user_id: Mapped[int | None] = mapped_column(sa.Integer, index=True)
    #: A sender holds the row until then, so a redelivered job cannot send it a second time meanwhile.
    claimed_until: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    #: Paper letters: ``requested:<event id>`` of the document request, matched by ``documents.document_ready``.
    document_ref: Mapped[str | None] = mapped_column(sa.String(100), index=True)
    #: Daily digest: the day this optional notice waits for; ``digest_id`` is the combined message.
    digest_day: Mapped[dt.date | None] = mapped_column(sa.Date, index=True)
    digest_id: Mapped[int | None] = mapped_column(sa.Integer, index=True)
    #: Quiet hours: a non-urgent message is not sent before this moment.
    not_before: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    #: In-app inbox: when the parent opened it (the read receipt).
    read_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    event_occurred_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(sa.Text)


class DeliveryAttempt(Base):
    """Every try, with its outcome, so a guardian's complaint can be answered with facts."""

    __tablename__ = "delivery_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(sa.ForeignKey("deliveries.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    outcome: Mapped[str] = mapped_column(sa.String(16))
    detail: Mapped[str] = mapped_column(sa.Text, default="")
