"""The notifications service's definition, published as the ``notifications`` entry point."""

from __future__ import annotations

from pathlib import Path

from services.notifications import api, recipients
from services.notifications.models import TABLES, Base
from shared.auth.replica import user_saved_handler
from shared.runtime import ServiceDefinition, ServiceRuntime


def _handlers(_rt: ServiceRuntime) -> dict:
    return {
        "identity.user_saved": user_saved_handler(TABLES),
        "register.student_saved": recipients.on_student_saved,
    }


def _readiness(rt: ServiceRuntime) -> dict[str, str]:
    if not rt.settings.email_enabled:
        return {"email": "изключена: не са зададени SCHOOL_SMTP_HOST и SCHOOL_SMTP_FROM"}
    return {"email": "ok"}


SERVICE = ServiceDefinition(
    name="notifications",
    title="Уведомления",
    metadata=Base.metadata,
    tables=TABLES,
    migrations=Path(__file__).parent / "migrations",
    blueprints=api.create_blueprints,
    event_handlers=_handlers,
    readiness=_readiness,
)
