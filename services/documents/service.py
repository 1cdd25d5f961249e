"""The documents service's definition, published as the ``documents`` entry point."""

from __future__ import annotations

from pathlib import Path

from services.documents.models import TABLES, Base
from shared.auth.replica import user_saved_handler
from shared.runtime import ServiceDefinition, ServiceRuntime


def _handlers(_rt: ServiceRuntime) -> dict:
    return {"identity.user_saved": user_saved_handler(TABLES)}


SERVICE = ServiceDefinition(
    name="documents",
    title="Документи",
    metadata=Base.metadata,
    tables=TABLES,
    migrations=Path(__file__).parent / "migrations",
    blueprints=lambda _rt: [],
    event_handlers=_handlers,
)
