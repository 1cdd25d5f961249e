"""The notifications service: its definition (the `notifications` entry point) and the components it builds."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import sqlalchemy as sa

from services.notifications import handlers, replicas, sweeps, tasks, web
from services.notifications.channels import PermanentDeliveryError, build_channels
from services.notifications.channels.base import Channel
from services.notifications.metrics import NotificationMetrics
from services.notifications.models import TABLES, Base, Delivery
from shared.auth.replica import identity_handlers
from shared.runtime import Job, ServiceDefinition, ServiceRuntime


@dataclasses.dataclass(frozen=True)
class NotificationsComponents:
    #: The delivery channels by name (e-mail, SMS, the parents' inbox, plugins).
    channels: dict[str, Channel]
    #: The service's own Prometheus series (suppressed, paper letters …).
    metrics: NotificationMetrics


def _setup(rt: ServiceRuntime) -> NotificationsComponents:
    return NotificationsComponents(channels=build_channels(rt.plugins, rt.settings),
                                   metrics=NotificationMetrics(rt.metrics.registry))


def _handlers(rt: ServiceRuntime) -> dict:
    return {
        **identity_handlers(TABLES),
        "register.student_saved": replicas.on_student_saved,
        **handlers.make_handlers(rt),
    }


def _jobs(rt: ServiceRuntime) -> list[Job]:
    def deliver(delivery_id: int) -> None:
        tasks.deliver(rt, delivery_id)

    # Temporary failures retry with exponential backoff (Dramatiq's Retries); permanent ones are
    # recorded as failed and not retried; what exhausts its retries ends in the dead-letter queue.
    options = {"max_retries": rt.settings.delivery_max_retries, "min_backoff": rt.settings.delivery_min_backoff_ms,
               "max_backoff": 3_600_000, "throws": (PermanentDeliveryError,)}
    return [Job("deliver", deliver, options)]


def _sweeps(rt: ServiceRuntime) -> list:
    def release_quiet() -> None:
        sweeps.release_quiet(rt)

    def send_digests() -> None:
        sweeps.send_digests(rt)

    def paper_for_unread() -> None:
        sweeps.paper_for_unread(rt)

    return [release_quiet, send_digests, paper_for_unread]


def _readiness(rt: ServiceRuntime) -> dict[str, str]:
    channels = rt.components.channels if rt.components else {}
    status = dict.fromkeys(channels, "ok")
    if "email" not in channels:
        status["email"] = "изключена: не са зададени SCHOOL_SMTP_HOST и SCHOOL_SMTP_FROM"
    return status


def _failures(rt: ServiceRuntime) -> dict[str, int]:
    with rt.db.sessions() as s:
        return {"failed_deliveries": s.scalar(sa.select(sa.func.count()).where(Delivery.status == "failed"))}


SERVICE = ServiceDefinition(
    name="notifications",
    title="Уведомления",
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
    release_held=tasks.release_claims,
    failures=_failures,
)
