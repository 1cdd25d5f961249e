"""Assembling a process: plugins, metrics, the broker and the runtimes of the chosen services."""

from __future__ import annotations

import dataclasses
import logging
import time
from pathlib import Path

import dramatiq

from shared import migrations
from shared.messaging.broker import make_broker
from shared.messaging.health import HEALTH_KEY, HealthReporter
from shared.messaging.metrics import MessageMetrics
from shared.messaging.queues import HEARTBEAT_KEY, heartbeat_collector, outbox_collector, queue_depth_collector
from shared.messaging.recovery import KeepAlive, requeue_from_dead_workers
from shared.metrics import Metrics
from shared.plugins import PluginRegistry
from shared.runtime import ServiceDefinition, ServiceRuntime
from shared.settings import SERVICES, Settings

log = logging.getLogger(__name__)

#: Threads of a service's identity-lane worker: one applies its identity events in the order sent.
IDENTITY_THREADS = 1


class BrokerNotConfiguredError(RuntimeError):
    pass


def resolve_broker_url(settings: Settings) -> str:
    """``SCHOOL_REDIS_URL``, or the embedded broker that ``schoolctl up`` runs on this data dir."""
    if settings.redis_url:
        return settings.redis_url
    url_file = settings.data_dir / "broker" / "broker.url"
    if url_file.exists():
        return url_file.read_text(encoding="ascii").strip()
    raise BrokerNotConfiguredError(
        "Няма брокер на съобщения: задайте SCHOOL_REDIS_URL или стартирайте „schoolctl up“ със същата папка с данни."
    )


def service_definitions(plugins: PluginRegistry, names: tuple[str, ...] = SERVICES) -> list[ServiceDefinition]:
    missing = [n for n in names if n not in plugins.names("services")]
    if missing:
        raise RuntimeError(f"Липсват услуги: {', '.join(missing)} (проверете инсталацията)")
    return [plugins.get("services", name) for name in names]


@dataclasses.dataclass
class Process:
    """Everything one OS process runs: its runtimes share the broker, metrics and plugins."""

    settings: Settings
    plugins: PluginRegistry
    metrics: Metrics
    broker: dramatiq.Broker
    runtimes: list[ServiceRuntime]
    #: Each service's identity lane: its own connection, actor and worker (``shared.messaging.identity``).
    identity_brokers: dict[str, dramatiq.Broker]
    worker: dramatiq.Worker | None = None
    identity_workers: list[dramatiq.Worker] = dataclasses.field(default_factory=list)
    keep_alive: KeepAlive | None = None
    #: Publishes the services' health snapshots for ``/admin/system`` (``shared.messaging.health``).
    health: HealthReporter | None = None

    def runtime(self, name: str) -> ServiceRuntime:
        return next(rt for rt in self.runtimes if rt.name == name)

    def start_relays(self) -> None:
        for rt in self.runtimes:
            rt.relay.start()

    def start_worker(self, *, threads: int | None = None, others_dead: bool = False) -> dramatiq.Worker:
        """Consume this process's queues, and start, once, each service's identity-lane worker beside it.

        A lane has a broker, consumer and thread of its own: however many messages wait on the
        main queues, and however long the main threads are busy, a user added or signed out is
        applied the moment it arrives (a shared worker would only put it first among what is
        already prefetched, once a thread is free).  One per service, so that the services of
        ``schoolctl up`` apply a change side by side, each in the order it was sent.

        Parameters:
          others_dead: no other worker of this broker can be alive (the embedded layout, whose
            broker this process has just started): what earlier workers held goes back to the
            queues now, before consuming, instead of after :attr:`Settings.worker_dead_after_s`.
        """
        for rt in self.runtimes:
            rt.declare_actors(self.identity_brokers[rt.name])
        queues = set().union(*(rt.queues for rt in self.runtimes))
        # The identity lanes' queues too: a lane killed with a user's change in hand gives it back.
        recoverable = queues | {queue for rt in self.runtimes for queue in rt.identity_queues}
        if others_dead:
            for rt in self.runtimes:
                if released := rt.definition.release_held(rt):
                    log.warning("%s: released %d item(s) a dead process held", rt.name, released)
            requeue_from_dead_workers(self.broker, recoverable, dead_after_ms=0)
        self.worker = dramatiq.Worker(self.broker, queues=queues,
                                      worker_threads=threads or self.settings.worker_threads,
                                      worker_timeout=self.settings.worker_idle_ms)
        self.worker.start()
        if not self.identity_workers:
            for rt in self.runtimes:
                if rt.identity_queues:
                    lane = dramatiq.Worker(self.identity_brokers[rt.name], queues=rt.identity_queues,
                                           worker_threads=IDENTITY_THREADS,
                                           worker_timeout=self.settings.worker_idle_ms)
                    lane.start()
                    self.identity_workers.append(lane)
        # The services' heartbeat keys (the metrics, and `users add` telling a stopped service from a
        # running one) are written by the same thread that recovers dead workers' messages.  One per
        # process: a worker started again (after ``worker.stop()``) replaces the earlier keep-alive,
        # which would otherwise beat on, and log, after the process has stopped.
        if self.keep_alive is not None:
            self.keep_alive.stop()
        self.keep_alive = KeepAlive(self.broker, recoverable, self.settings.worker_dead_after_s,
                                    beat=self._heartbeat)
        self.keep_alive.start()
        if self.health is None:
            self.health = HealthReporter(self.broker.client, self.runtimes)
            self.health.start()
        return self.worker

    def _heartbeat(self) -> None:
        now = time.time()
        with self.broker.client.pipeline(transaction=False) as pipe:
            for rt in self.runtimes:
                pipe.set(HEARTBEAT_KEY.format(service=rt.name), now)
            pipe.execute()

    def stop(self) -> None:
        """Clean stop: relays make a last pass, the worker finishes what it holds, nothing is lost."""
        for rt in self.runtimes:
            rt.relay.stop()
        for worker in (self.worker, *self.identity_workers):
            if worker is not None:
                worker.stop(timeout=30_000)
        self.worker = None
        self.identity_workers = []
        # Beating until the worker has let go of its messages: a worker still finishing a long job
        # must not look dead to the others (they would take its messages and run them again).
        if self.keep_alive is not None:
            self.keep_alive.stop()
        if self.health is not None:
            self.health.stop()
            self.health = None
            try:  # stopped, not silent: the page says so at once instead of when the snapshots expire
                self.broker.client.delete(*(HEALTH_KEY.format(service=rt.name) for rt in self.runtimes))
            except Exception:
                log.warning("could not withdraw the services' health", exc_info=True)
        for rt in self.runtimes:
            rt.db.dispose()
        self.broker.close()
        for lane in self.identity_brokers.values():
            lane.close()


def build_process(settings: Settings, services: tuple[str, ...] = SERVICES, *, broker_url: str | None = None,
                  plugins: PluginRegistry | None = None, metrics_dir: Path | None = None) -> Process:
    """The runtimes of ``services`` in this process, on one broker.

    Parameters:
      metrics_dir: the directory shared with sibling processes for metrics
        (:func:`shared.metrics.multiprocess_dir`); ``None`` keeps them in this process.
    """
    plugins = plugins or PluginRegistry.discover()
    metrics = Metrics(metrics_dir)
    url = broker_url or resolve_broker_url(settings)
    broker = make_broker(url, extra_middleware=[MessageMetrics(metrics)])
    runtimes = [ServiceRuntime(d, settings, broker, metrics, plugins) for d in service_definitions(plugins, services)]
    identity_brokers = {rt.name: make_broker(url, extra_middleware=[MessageMetrics(metrics)]) for rt in runtimes}
    for rt in runtimes:
        rt.set_up()
        metrics.add_live(outbox_collector(rt.relay))
    metrics.add_live(queue_depth_collector(broker.client, SERVICES))
    metrics.add_live(heartbeat_collector(broker.client, SERVICES))
    return Process(settings=settings, plugins=plugins, metrics=metrics, broker=broker, runtimes=runtimes,
                   identity_brokers=identity_brokers)


def upgrade_databases(settings: Settings, services: tuple[str, ...] = SERVICES,
                      plugins: PluginRegistry | None = None) -> None:
    plugins = plugins or PluginRegistry.discover(("services",))
    Path(settings.data_dir).mkdir(parents=True, exist_ok=True)
    for definition in service_definitions(plugins, services):
        migrations.upgrade(definition, settings.database_url(definition.name))
