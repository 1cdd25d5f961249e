"""Keeps a service's principals replica in step with ``identity.user_saved`` events."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from shared.messages import Envelope
from shared.platform_models import PlatformTables, utcnow


def user_saved_handler(tables: PlatformTables):
    """Handler: upsert the principal and replace its token digests with the event's complete set."""

    def handle(session: Session, payload: dict, _envelope: Envelope) -> None:
        principal = session.get(tables.principal, payload["user_id"])
        if principal is None:
            principal = tables.principal(id=payload["user_id"])
            session.add(principal)
        principal.name = payload["name"]
        principal.role = payload["role"]
        principal.class_codes = list(payload["class_codes"])
        principal.student_ids = list(payload["student_ids"])
        principal.email = payload["email"]
        principal.active = payload["active"]
        principal.updated_at = utcnow()
        session.flush()
        session.execute(sa.delete(tables.token).where(tables.token.principal_id == payload["user_id"]))
        for digest in payload["token_hashes"]:
            session.add(tables.token(token_hash=digest, principal_id=payload["user_id"]))

    return handle
