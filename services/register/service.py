"""The register service (дневник): its definition (the `register` entry point) and the components it builds."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from sqlalchemy.orm import Session

from services.register import demo, web
from services.register.absences import deregistration, dropout, firings, sweep_runs, tasks
from services.register.absences import sweeps as absence_sweeps
from services.register.absences.rules.excuses import ExcusePolicy
from services.register.absences.rules.rulepack import RulePack
from services.register.exams import handlers as exam_handlers
from services.register.exams import orders as exam_orders
from services.register.exports import notices
from services.register.exports import sweeps as export_sweeps
from services.register.models import TABLES, Base
from services.register.people import users
from services.register.timetable import sweeps as timetable_sweeps
from shared.auth.throttle import SignInThrottle
from shared.messages import Envelope
from shared.runtime import Job, ServiceDefinition, ServiceRuntime


@dataclasses.dataclass(frozen=True)
class RegisterComponents:
    #: The school's rule pack (пакет правила): thresholds and ladders, each rule with its article.
    rule_pack: RulePack
    #: The limits of Чл. 61 for excuses (days a parent may excuse, and so on).
    excuse_policy: ExcusePolicy
    #: Wrong passwords counted per user name (the login page and the API alike).
    sign_in_throttle: SignInThrottle


def _handlers(_rt: ServiceRuntime) -> dict:
    # The register is the source of identity and of the school's data; of the others' events it
    # hears back only of the documents it asked for: its exams' protocols and year-end orders, and
    # the number of the parents' notice before the ЗАС list (L7, Чл. 97, т. 15).
    return {"documents.document_ready": _on_document_ready}


def _on_document_ready(session: Session, payload: dict, envelope: Envelope) -> None:
    exam_handlers.on_document_ready(session, payload, envelope)
    notices.on_document_ready(session, payload, envelope)


def _jobs(rt: ServiceRuntime) -> list[Job]:
    def publish_firings() -> None:
        tasks.publish_firings(rt)

    return [Job("publish_firings", publish_firings, {"max_retries": 10})]


def _sweeps(rt: ServiceRuntime) -> list:
    def monthly_exports() -> None:
        export_sweeps.prepare_scheduled(rt)

    def firings_left_unannounced() -> None:
        absence_sweeps.firings_left_unannounced(rt)

    def unrecorded_lessons() -> None:
        timetable_sweeps.announce_unrecorded(rt)

    def year_end_orders() -> None:
        exam_orders.ask_year_end_orders(rt)

    def dropout_reports() -> None:
        dropout.report_due(rt)

    def deregistration_reviews() -> None:
        deregistration.review_due(rt)

    def scholarship_resumptions() -> None:
        absence_sweeps.scholarship_resumptions(rt)

    return [monthly_exports, firings_left_unannounced, unrecorded_lessons, year_end_orders, dropout_reports,
            deregistration_reviews, scholarship_resumptions]


def _setup(rt: ServiceRuntime) -> RegisterComponents:
    rt.metrics.add_live(sweep_runs.collector(rt))
    throttle = SignInThrottle.on(rt.broker.client, rt.settings.sign_in_attempts, rt.settings.sign_in_window_minutes)
    return RegisterComponents(rule_pack=firings.load_pack(rt), excuse_policy=ExcusePolicy(
        parent_quota_school_days=rt.settings.excuse_parent_quota_days,
        director_quota_school_days=rt.settings.excuse_director_quota_days), sign_in_throttle=throttle)


def _readiness(_rt: ServiceRuntime) -> dict[str, str]:
    return {}


SERVICE = ServiceDefinition(
    name="register",
    title="Дневник",
    metadata=Base.metadata,
    tables=TABLES,
    migrations=Path(__file__).parent / "migrations",
    blueprints=web.blueprints,
    pages=web.pages,
    front_pages=web.front_pages,
    public_pages=web.PUBLIC_PAGES,
    event_handlers=_handlers,
    jobs=_jobs,
    sweeps=_sweeps,
    setup=_setup,
    load_demo=demo.load,
    readiness=_readiness,
    commands={"users.add": users.add_user_command, "users.list": users.list_users,
              "users.deactivate": users.deactivate_user, "users.revoke_token": users.revoke_token},
)
