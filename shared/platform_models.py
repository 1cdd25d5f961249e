"""Tables every service has in its own database: outbox, processed messages, audit log, principals,
their API tokens and the signed-out sessions.

Each service declares them on its own declarative base with one call,
``TABLES = platform_tables(Base)``, so every service's schema and migrations stay its own while the
tables and the mechanism are written once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, declared_attr, mapped_column


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def as_utc(value: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes for ``timezone=True`` columns; we store UTC only."""
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


class OutboxEventMixin:
    """изходяща кутия: an event or job written in the same transaction as the change it announces."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True)
    message_id: Mapped[str] = mapped_column(sa.String(36), unique=True)
    #: "event" fans out to subscribers; "job" goes to one actor of the producing service.
    kind: Mapped[str] = mapped_column(sa.String(8))
    name: Mapped[str] = mapped_column(sa.String(120))
    payload: Mapped[dict] = mapped_column(sa.JSON)
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    published_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True), index=True)


class ProcessedMessageMixin:
    """Ids of handled messages, recorded in the same transaction as the handler's effect."""

    __tablename__ = "processed_messages"

    message_id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    processed_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class AuditEntryMixin:
    """одитен журнал: append-only record of every write (who, role, when, what, before, after)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(sa.Integer)
    actor_role: Mapped[str] = mapped_column(sa.String(32))
    action: Mapped[str] = mapped_column(sa.String(120))
    entity: Mapped[str] = mapped_column(sa.String(64))
    entity_id: Mapped[str | None] = mapped_column(sa.String(64))
    before: Mapped[dict | None] = mapped_column(sa.JSON)
    after: Mapped[dict | None] = mapped_column(sa.JSON)


class PrincipalMixin:
    """A user as this service knows them: role, scopes and hashed API tokens.

    The register service is the source (``schoolctl users add`` writes there); the other services
    keep this replica up to date from ``identity.user_saved`` events.
    """

    __tablename__ = "principals"

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(sa.String(200))
    role: Mapped[str] = mapped_column(sa.String(32))
    class_codes: Mapped[list] = mapped_column(sa.JSON, default=list)
    student_ids: Mapped[list] = mapped_column(sa.JSON, default=list)
    email: Mapped[str | None] = mapped_column(sa.String(200))
    active: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    updated_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    #: When the register made the change this row holds (its event's time): an older event that
    #: arrives late (a retry) is not applied over a newer one.  None before this was recorded.
    changed_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    #: The user signs in with a one-time password and must change it: the API refuses everything else.
    must_change_password: Mapped[bool] = mapped_column(sa.Boolean, default=False, server_default=sa.false())
    #: Sessions signed in before this moment are over („Нова парола“ ends every open session).
    sessions_from: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))


class ApiTokenMixin:
    """An API token, stored only as its SHA-256 digest (tokens are random, so no slow hash is needed)."""

    __tablename__ = "api_tokens"

    token_hash: Mapped[str] = mapped_column(sa.String(64), primary_key=True)

    @declared_attr
    def principal_id(cls) -> Mapped[int]:  # noqa: N805 - SQLAlchemy declared_attr
        return mapped_column(sa.ForeignKey("principals.id", ondelete="CASCADE"), index=True)


class RevokedSessionMixin:
    """A signed-out web session (завършена сесия), refused by this service although its cookie is still signed.

    The register writes it at „Изход“ and the other services keep it from ``identity.session_ended``
    events; a row is forgotten once ``expires_at`` has passed, as no copy of that cookie is then valid.
    """

    __tablename__ = "revoked_sessions"

    session_digest: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    principal_id: Mapped[int] = mapped_column(sa.Integer)
    expires_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), index=True)


@dataclasses.dataclass(frozen=True)
class PlatformTables:
    """The platform's mapped classes for one service, handed to shared code that needs them."""

    outbox: type
    processed: type
    audit: type
    principal: type
    token: type
    revoked_session: type


def platform_tables(base: type) -> PlatformTables:
    """Map the six platform tables on a service's declarative ``base`` (once per base)."""

    def mapped(name: str, mixin: type) -> type:
        return type(name, (mixin, base), {"__module__": __name__})

    return PlatformTables(outbox=mapped("OutboxEvent", OutboxEventMixin),
                          processed=mapped("ProcessedMessage", ProcessedMessageMixin),
                          audit=mapped("AuditEntry", AuditEntryMixin),
                          principal=mapped("Principal", PrincipalMixin),
                          token=mapped("ApiToken", ApiTokenMixin),
                          revoked_session=mapped("RevokedSession", RevokedSessionMixin))
