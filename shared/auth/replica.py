"""Keeps a service's principals replica in step with the identity events (``identity.*``)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session

from shared.messages import Envelope
from shared.messaging.inbox import Handler
from shared.platform_models import PlatformTables, as_utc, utcnow


def identity_handlers(tables: PlatformTables) -> dict[str, Handler]:
    """Every identity event a service keeping a principals replica handles, by name."""
    return {"identity.user_saved": user_saved_handler(tables),
            "identity.session_ended": session_ended_handler(tables)}


def user_saved_handler(tables: PlatformTables) -> Handler:
    """Handler: upsert the principal and replace its token digests with the event's complete set."""

    def handle(session: Session, payload: dict, envelope: Envelope) -> None:
        # Locked (PostgreSQL): of two events of one user handled at once, the older waits and then skips.
        principal = session.get(tables.principal, payload["user_id"], with_for_update=True)
        if principal is None:
            principal = tables.principal(id=payload["user_id"])
            session.add(principal)
        elif principal.changed_at is not None and as_utc(principal.changed_at) > envelope.occurred_at:
            return  # a retried older event: the newer state it would overwrite is already here
        principal.name = payload["name"]
        principal.role = payload["role"]
        principal.class_codes = list(payload["class_codes"])
        principal.student_ids = list(payload["student_ids"])
        principal.email = payload["email"]
        principal.active = payload["active"]
        principal.must_change_password = bool(payload.get("must_change_password", False))
        principal.sessions_from = _moment(payload.get("sessions_from"))
        principal.updated_at = utcnow()
        principal.changed_at = envelope.occurred_at
        session.flush()
        session.execute(sa.delete(tables.token).where(tables.token.principal_id == payload["user_id"]))
        for digest in payload["token_hashes"]:
            session.add(tables.token(token_hash=digest, principal_id=payload["user_id"]))

    return handle


def _moment(value: object) -> dt.datetime | None:
    """The event's ``sessions_from``, an ISO text in the stored payload (or already a datetime)."""
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))


def session_ended_handler(tables: PlatformTables) -> Handler:
    """Handler: refuse the signed-out session from now on (and forget revocations no cookie can outlive)."""

    def handle(session: Session, payload: dict, _envelope: Envelope) -> None:
        revoke_session(session, tables, payload["user_id"], payload["session_digest"], payload["expires_at"])

    return handle


def revoke_session(session: Session, tables: PlatformTables, user_id: int, digest: str, expires_at) -> None:
    """Record a signed-out session in this service's list; the register does it too, for itself."""
    revoked = tables.revoked_session
    session.execute(sa.delete(revoked).where(revoked.expires_at < utcnow()))
    if session.get(revoked, digest) is None:
        session.add(revoked(session_digest=digest, principal_id=user_id, expires_at=expires_at))
