"""Readiness: each dependency a service needs, and in plain words what is missing."""

from __future__ import annotations

from shared.runtime import ServiceRuntime


def readiness(runtimes: list[ServiceRuntime]) -> tuple[bool, dict[str, str]]:
    checks: dict[str, str] = {}
    ok = True
    for runtime in runtimes:
        try:
            runtime.db.ping()
            checks[f"{runtime.name}.database"] = "ok"
        except Exception as exc:
            ok = False
            checks[f"{runtime.name}.database"] = f"недостъпна база данни: {type(exc).__name__}"
        for key, value in runtime.definition.readiness(runtime).items():
            checks[f"{runtime.name}.{key}"] = value
    if runtimes:
        try:
            runtimes[0].broker.client.ping()
            checks["broker"] = "ok"
        except Exception as exc:
            ok = False
            checks["broker"] = f"недостъпен брокер на съобщения: {type(exc).__name__}"
    return ok, checks
