"""Append-only audit log (одитен журнал): every write, who did it, before and after.

Rows are only ever inserted; the migrations add database triggers that refuse UPDATE and DELETE,
and no API exposes a way to change them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from shared.auth.principal import Principal
from shared.db_bulk.append_only import add_row
from shared.platform_models import PlatformTables, utcnow

#: Keys whose values never enter the audit log (personal identifiers and secrets).
_REDACTED = frozenset({"egn", "lnch", "identification", "password", "password_hash", "token", "token_hashes"})


def redact(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: ("***" if k in _REDACTED else redact(v)) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [redact(v) for v in data]
    if isinstance(data, dt.date | dt.datetime):
        return data.isoformat()  # the log is JSON; dates keep their ISO form
    return data


def record(
    session: Session, tables: PlatformTables, who: Principal, action: str, entity: str, entity_id: Any = None,
    *, before: dict | None = None, after: dict | None = None,
) -> None:
    """Add one audit entry in the caller's transaction (so it exists exactly when the change does)."""
    add_row(session, tables.audit.__table__, {
        "at": utcnow(), "actor_id": who.id, "actor_role": who.role, "action": action, "entity": entity,
        "entity_id": None if entity_id is None else str(entity_id),
        "before": redact(before) if before is not None else None,
        "after": redact(after) if after is not None else None,
    })
