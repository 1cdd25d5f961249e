"""The planning service's definition, published as the ``planning`` entry point."""

from __future__ import annotations

from pathlib import Path

from services.planning import api, procedures
from services.planning.models import TABLES, Base
from shared.auth.replica import user_saved_handler
from shared.runtime import ServiceDefinition, ServiceRuntime


def _handlers(_rt: ServiceRuntime) -> dict:
    return {
        "identity.user_saved": user_saved_handler(TABLES),
        "register.absence_recorded": procedures.on_absence_recorded,
        "procedure.deadline_set": procedures.on_deadline_set,
        "procedure.deadline_closed": procedures.on_deadline_closed,
    }


SERVICE = ServiceDefinition(
    name="planning",
    title="Планиране и срокове",
    metadata=Base.metadata,
    tables=TABLES,
    migrations=Path(__file__).parent / "migrations",
    blueprints=api.create_blueprints,
    event_handlers=_handlers,
)
