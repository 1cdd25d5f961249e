"""The planning service: its definition (the `planning` entry point)."""

from __future__ import annotations

from pathlib import Path

from services.planning import demo, metrics, replicas, web
from services.planning.models import TABLES, Base
from services.planning.plans import handlers as plan_handlers
from services.planning.procedures import handlers as procedure_handlers
from services.planning.tracking import sweeps
from shared.auth.replica import identity_handlers
from shared.runtime import ServiceDefinition, ServiceRuntime


def _handlers(_rt: ServiceRuntime) -> dict:
    return {
        **identity_handlers(TABLES),
        "register.school_saved": replicas.on_school_saved,
        "register.school_year_saved": replicas.on_school_year_saved,
        "register.absence_recorded": procedure_handlers.on_absence_recorded,
        "register.absences_finalised": procedure_handlers.on_absences_finalised,
        "register.sanction_step_done": procedure_handlers.on_sanction_step_done,
        "procedure.deadline_set": procedure_handlers.on_deadline_set,
        "procedure.deadline_closed": procedure_handlers.on_deadline_closed,
        "documents.document_ready": plan_handlers.on_document_ready,
        "documents.document_failed": plan_handlers.on_document_failed,
    }


def _sweeps(rt: ServiceRuntime) -> list:
    def planning_sweep() -> None:
        sweeps.run(rt)

    return [planning_sweep]


def _setup(rt: ServiceRuntime) -> None:
    rt.metrics.add_live(metrics.collector(rt))


SERVICE = ServiceDefinition(
    name="planning",
    title="Планиране и срокове",
    metadata=Base.metadata,
    tables=TABLES,
    migrations=Path(__file__).parent / "migrations",
    blueprints=web.blueprints,
    pages=web.pages,
    event_handlers=_handlers,
    sweeps=_sweeps,
    setup=_setup,
    load_demo=demo.load,
)
