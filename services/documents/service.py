"""The documents service: its definition (the `documents` entry point) and the components it builds."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import sqlalchemy as sa

from services.documents import handlers, tasks, waiting_orders, web
from services.documents.models import TABLES, Base, Document
from services.documents.printing import sets
from services.documents.registry import TemplateRegistry
from services.documents.rendering import DocumentRenderer, PdfConverter
from shared.auth.replica import identity_handlers
from shared.messaging import dead_letters
from shared.runtime import Job, ServiceDefinition, ServiceRuntime


@dataclasses.dataclass(frozen=True)
class DocumentsComponents:
    #: The shipped and plugin templates, with the school's uploaded versions.
    templates: TemplateRegistry
    #: docxtpl rendering, sandboxed, with compiled templates cached.
    renderer: DocumentRenderer
    #: .docx → PDF through LibreOffice, where it is installed.
    pdf: PdfConverter


def _setup(rt: ServiceRuntime) -> DocumentsComponents:
    return DocumentsComponents(templates=TemplateRegistry.from_plugins(rt.plugins), renderer=DocumentRenderer(),
                               pdf=PdfConverter())


def _handlers(rt: ServiceRuntime) -> dict:
    return {**identity_handlers(TABLES), **handlers.make_handlers(rt)}


def _jobs(rt: ServiceRuntime) -> list[Job]:
    def render(document_id: int) -> None:
        # The administrator's „Изпрати отново“ of a given-up render asks for the failed document again.
        tasks.render(rt, document_id, reopen=dead_letters.is_resent())

    def render_given_up(message: dict, retries: dict) -> None:
        tasks.give_up(rt, message["args"][0], retries["retries"] + 1)

    # An unexpected render error is retried (three times, seconds apart) rather than failed at once: the
    # ones worth a retry are passing (a unique key raced by the office typing an order number, a worker
    # killed by its time limit on a loaded machine) and cost the office seconds; a deterministic one (a
    # school's template dividing by a count that is 0 for this student) then fails the document for
    # good with a reason (``tasks.give_up``), which is what the office needs to act on.
    return [Job("render", render, {"max_retries": 3, "min_backoff": 500,
                                   "on_retry_exhausted": "documents.render_given_up"}),
            Job("render_given_up", render_given_up, {})]


def _sweeps(rt: ServiceRuntime) -> list:
    def gather_paper_letters() -> None:
        sets.gather_paper_letters(rt)

    def draw_up_waiting_orders() -> None:
        waiting_orders.draw_up(rt)

    return [gather_paper_letters, draw_up_waiting_orders]


def _readiness(rt: ServiceRuntime) -> dict[str, str]:
    pdf = rt.components.pdf if rt.components else None
    return {"pdf": "ok" if pdf is not None and pdf.available() else "изключено: не е инсталиран LibreOffice"}


def _failures(rt: ServiceRuntime) -> dict[str, int]:
    with rt.db.sessions() as s:
        return {"failed_documents": s.scalar(sa.select(sa.func.count()).where(Document.status == "failed"))}


SERVICE = ServiceDefinition(
    name="documents",
    title="Документи",
    metadata=Base.metadata,
    tables=TABLES,
    migrations=Path(__file__).parent / "migrations",
    blueprints=web.blueprints,
    pages=web.pages,
    event_handlers=_handlers,
    jobs=_jobs,
    sweeps=_sweeps,
    setup=_setup,
    readiness=_readiness,
    failures=_failures,
)
