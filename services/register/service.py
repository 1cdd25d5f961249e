"""The register service's definition, published as the ``register`` entry point."""

from __future__ import annotations

from pathlib import Path

from services.register import api, identity
from services.register.models import TABLES, Base
from shared.runtime import ServiceDefinition, ServiceRuntime


def _readiness(_rt: ServiceRuntime) -> dict[str, str]:
    return {}


SERVICE = ServiceDefinition(
    name="register",
    title="Дневник",
    metadata=Base.metadata,
    tables=TABLES,
    migrations=Path(__file__).parent / "migrations",
    blueprints=api.create_blueprints,
    readiness=_readiness,
    commands={"users.add": identity.add_user_command},
)
