"""A service's definition (what it is) and runtime (it, wired to settings, database and broker)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import secrets
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import flask
import sqlalchemy as sa
from flask_smorest import Blueprint
from sqlalchemy.orm import Session

from shared.clock import Clock
from shared.db import Database
from shared.messages import event_type
from shared.messaging import identity, outbox
from shared.messaging.broker import (
    declare_actor,
    event_actor_name,
    events_queue,
    identity_actor_name,
    identity_queue,
    jobs_queue,
)
from shared.messaging.inbox import Handler, handle_envelope
from shared.metrics import Metrics
from shared.platform_models import PlatformTables
from shared.plugins import PluginRegistry
from shared.settings import Settings

log = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class Job:
    """A background job of a service: a function of plain arguments, bound to the jobs queue."""

    name: str
    fn: Callable[..., Any]
    options: dict[str, Any] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class ServiceDefinition:
    """What a service is; published through the ``school_office.services`` entry point."""

    name: str
    title: str
    metadata: sa.MetaData
    tables: PlatformTables
    migrations: Path
    #: The service's HTTP surface: its features' blueprints (``services/<name>/web.py``).
    blueprints: Callable[[], list[Blueprint]]
    #: The service's web pages (Flask blueprints), served under ``/<name>`` (``services/<name>/web.py``).
    pages: Callable[[], list[flask.Blueprint]] = list
    #: Pages at the site's root (``/``, ``/login``, ``/logout``): only the register, which owns the users.
    front_pages: Callable[[], list[flask.Blueprint]] = list
    #: Endpoints of :attr:`front_pages` that answer without a session (the sign-in form).
    public_pages: tuple[str, ...] = ()
    event_handlers: Callable[[ServiceRuntime], dict[str, Handler]] = lambda _rt: {}
    jobs: Callable[[ServiceRuntime], list[Job]] = lambda _rt: []
    #: Periodic sweeps, each safe to run twice (the scheduler calls them).
    sweeps: Callable[[ServiceRuntime], list[Callable[[], None]]] = lambda _rt: []
    #: Loads the demo school's part of this service; returns the demo's accounts to show (if any).
    load_demo: Callable[[ServiceRuntime], list | None] | None = None
    #: Builds the service's components (its rule pack, channels, template registry …) once per process;
    #: what it returns is the runtime's :attr:`ServiceRuntime.components`.
    setup: Callable[[ServiceRuntime], Any] = lambda _rt: None
    #: Operations the command line delegates to the owning service, e.g. ``"users.add"``.
    commands: dict[str, Callable[..., Any]] = dataclasses.field(default_factory=dict)
    readiness: Callable[[ServiceRuntime], dict[str, str]] = lambda _rt: {}
    #: What failed and waits for a person, counted (e.g. ``{"failed_deliveries": 2}``), for ``/admin/system``.
    failures: Callable[[ServiceRuntime], dict[str, int]] = lambda _rt: {}
    #: Releases what a dead process of this service held outside the broker (e.g. a delivery claimed
    #: mid-send), returning how many; called at start when no other process can be alive.
    release_held: Callable[[ServiceRuntime], int] = lambda _rt: 0


class ServiceRuntime:
    """One service wired to its settings, database, the broker and the process's metrics.

    Parameters:
      definition: the service.
      settings: the validated settings.
      broker: the process's broker (its actors get declared on it).
      metrics: the process's metrics.
      plugins: the process's plugin registry.
    """

    def __init__(self, definition: ServiceDefinition, settings: Settings, broker, metrics: Metrics,
                 plugins: PluginRegistry) -> None:
        self.definition = definition
        self.name = definition.name
        self.settings = settings
        self.broker = broker
        self.metrics = metrics
        self.plugins = plugins
        self.clock = Clock(settings.today, settings.timezone)
        self.tables = definition.tables
        self.db = Database(settings.database_url(definition.name))
        self.relay = outbox.OutboxRelay(self.db, self.tables, broker, definition.name)
        self.actors: dict[str, Any] = {}
        #: The service's own components (a dataclass declared in ``services/<name>/service.py``),
        #: built by :meth:`set_up`; None for an offline runtime.
        self.components: Any = None

    @classmethod
    def offline(cls, definition: ServiceDefinition, settings: Settings, plugins: PluginRegistry) -> ServiceRuntime:
        """A runtime with no broker, for commands that only write (their outbox rows wait for a relay)."""
        return cls(definition, settings, None, Metrics(), plugins)

    # -- messaging ---------------------------------------------------------------------------
    def publish(self, session: Session, event: str, payload: dict[str, Any], message_id: str | None = None) -> str:
        return outbox.publish_event(session, self.tables, event, payload, message_id)

    def publish_many(self, session: Session, event: str, payloads: list[dict[str, Any]]) -> list[str]:
        return outbox.publish_events(session, self.tables, event, payloads)

    def enqueue_job(self, session: Session, job: str, *args: Any) -> str:
        return outbox.enqueue_job(session, self.tables, f"{self.name}.{job}", jobs_queue(self.name), *args)

    def declare_actors(self, identity_broker=None) -> None:
        """Bind this service's event handler and jobs to the broker (once).

        Parameters:
          identity_broker: where the identity lane's actor is bound, so that a worker of its own
            consumes it (:meth:`shared.bootstrap.Process.start_worker`); the process's broker if None.
        """
        if self.actors:
            return
        handlers = self.definition.event_handlers(self)

        def handle_event(wire: dict[str, Any]) -> None:
            outcome = handle_envelope(self.db, self.tables, wire, handlers)
            self.metrics.events_handled.labels(self.name, wire.get("type", "?"), outcome).inc()
            if outcome == "handled":
                occurred = dt.datetime.fromisoformat(wire["occurred_at"])
                self.metrics.event_latency.labels(self.name).observe(
                    max(0.0, time.time() - occurred.timestamp()))

        def apply_identity(wire: dict[str, Any]) -> None:
            handle_event(wire)
            # After the commit, and on a duplicate too: either way this service now has the change.
            identity.acknowledge(self.broker.client, wire["id"], self.name)

        self.actors["handle_event"] = declare_actor(
            self.broker, handle_event, name=event_actor_name(self.name), queue=events_queue(self.name),
            max_retries=10, time_limit=300_000,
        )
        if any(event_type(name).urgent for name in handlers):
            # Priority ahead of every other actor, for a process that runs the lane on its main worker.
            self.actors["apply_identity"] = declare_actor(
                identity_broker or self.broker, apply_identity, name=identity_actor_name(self.name),
                queue=identity_queue(self.name), max_retries=10, time_limit=60_000, priority=-100,
            )
        for job in self.definition.jobs(self):
            options = {"max_retries": 5, "time_limit": 600_000, **job.options}
            self.actors[job.name] = declare_actor(
                self.broker, job.fn, name=f"{self.name}.{job.name}", queue=jobs_queue(self.name), **options)

    @property
    def queues(self) -> set[str]:
        """The queues of this service's main worker: others' events and its own jobs."""
        return {events_queue(self.name), jobs_queue(self.name)}

    @property
    def identity_queues(self) -> set[str]:
        """The identity lane's queue, if this service keeps a replica of the users (a worker of its own)."""
        return {identity_queue(self.name)} if "apply_identity" in self.actors else set()

    # -- lifecycle ---------------------------------------------------------------------------
    def set_up(self) -> None:
        """Build the service's components (once per process, before any request or message)."""
        self.components = self.definition.setup(self)

    def secret_key(self) -> str:
        """The cookie-signing key: a setting, or generated once and kept under the data dir."""
        if self.settings.secret_key:
            return self.settings.secret_key
        path = self.settings.data_dir / "secret_key"
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            path.write_text(secrets.token_urlsafe(48), encoding="ascii")
            path.chmod(0o600)
        return path.read_text(encoding="ascii").strip()

    def close(self) -> None:
        self.relay.stop()
        self.db.dispose()
