"""Delivery delay: from the commit of an absence to the SMTP server's acceptance of the guardian's e-mail.

Baseline, in the same run against the same SMTP server and broker: a raw Dramatiq actor that sends
the e-mail with ``smtplib`` (enqueue → handle → SMTP accepted), stock ``RedisBroker`` and worker.
Ours: register commits the absence event to its outbox, the relay publishes it, notifications
plans the delivery (idempotency key, attempt log) and its ``deliver`` job sends it.
Both at idle (one absence at a time) and at 200 absences/s.
"""

from __future__ import annotations

import argparse
import re
import smtplib
import sys
import tempfile
import threading
import time
from email.message import EmailMessage
from pathlib import Path

import dramatiq
import sqlalchemy as sa
from dramatiq.brokers.redis import RedisBroker

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import percentile, report, summary
from bench.bench_event_latency import absence_event, paced
from shared.bootstrap import build_process, upgrade_databases
from shared.embedded.broker import EmbeddedBroker
from shared.plugins import PluginRegistry
from shared.settings import Settings
from tests.support.smtp import SmtpServer


class Stamping:
    """Records when the SMTP server accepted each message, by Message-ID."""

    def __init__(self) -> None:
        self.accepted: dict[str, float] = {}
        self.done = threading.Event()
        self.expected = 0

    async def handle_DATA(self, _server, _session, envelope):  # noqa: N802 - aiosmtpd's hook name
        at = time.perf_counter()
        for line in envelope.content.decode("utf-8", "replace").splitlines():
            if line.lower().startswith("message-id:"):
                self.accepted[line.split(":", 1)[1].strip()] = at
                break
        if len(self.accepted) >= self.expected:
            self.done.set()
        return "250 OK"


def raw(url: str, smtp_port: int, stamps: Stamping, n: int, rate: float | None) -> list[float]:
    broker = RedisBroker(url=url)
    sent: dict[str, float] = {}

    def send(i: int) -> None:
        mail = EmailMessage()
        mail["From"], mail["To"], mail["Subject"] = "school@example.bg", "parent@example.bg", "Отсъствие"
        mail["Message-ID"] = f"<raw-{i}@bench>"
        mail.set_content("Отсъствие в 3. час по Математика.", charset="utf-8")
        with smtplib.SMTP("127.0.0.1", smtp_port) as smtp:
            smtp.send_message(mail)

    actor = dramatiq.actor(send, actor_name="bench_raw_mail", queue_name="bench_raw_mail", broker=broker)
    broker.flush_all()
    worker = dramatiq.Worker(broker, worker_threads=8)
    worker.start()
    stamps.accepted.clear()
    stamps.done.clear()
    stamps.expected = n

    def fire(i: int) -> None:
        sent[f"<raw-{i}@bench>"] = time.perf_counter()
        actor.send(i)

    paced(n, rate, fire)
    stamps.done.wait(120)
    worker.stop()
    broker.close()
    return [(stamps.accepted[k] - sent[k]) * 1000 for k in sent if k in stamps.accepted]


def ours(settings: Settings, url: str, stamps: Stamping, n: int, rate: float | None) -> list[float]:
    plugins = PluginRegistry.discover()
    upgrade_databases(settings, ("register", "notifications"), plugins=plugins)
    # As in production, where each service's worker is its own process: register produces, notifications
    # consumes; documents' and planning's workers would run beside it on other cores.
    process = build_process(settings, ("register", "notifications"), broker_url=url, plugins=plugins)
    process.broker.client.flushdb()
    notifications = process.runtime("notifications")
    from services.notifications.models import Delivery, Guardian  # noqa: PLC0415

    with notifications.db.transaction() as s:
        s.add(Guardian(id=1, student_id=1, student_name="Мария Иванова", class_code="10а", name="Петър Иванов",
                       email="parent@example.bg", phone=None, active=True, channels=["email"], opted_out=False))
    process.start_relays()
    process.start_worker()
    register = process.runtime("register")
    committed: dict[int, float] = {}
    stamps.accepted.clear()
    stamps.done.clear()
    stamps.expected = n

    def fire(i: int) -> None:
        with register.db.transaction() as s:
            register.publish(s, "register.absence_recorded", absence_event(i))
        committed[i] = time.perf_counter()

    paced(n, rate, fire)
    stamps.done.wait(120)
    with notifications.db.sessions() as s:
        keys = dict(s.execute(sa.select(Delivery.id, Delivery.idempotency_key)).all())
    process.stop()
    delays = []
    for message_id, at in stamps.accepted.items():
        match = re.search(r"delivery-(\d+)@", message_id)
        delivery_id = int(match.group(1)) if match else None
        key = keys.get(delivery_id, "")
        absence_id = int(key.split(":")[1]) if key.startswith("absence:") else None
        if absence_id in committed:
            delays.append((at - committed[absence_id]) * 1000)
    return delays


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=1000, help="absences in the 200/s run")
    parser.add_argument("--idle-events", type=int, default=40, help="absences in the idle run")
    parser.add_argument("--redis", default="", help="a Redis URL; default: the embedded broker")
    args = parser.parse_args()
    stamps = Stamping()
    server = SmtpServer()
    server.controller.handler = stamps
    server.start()
    with tempfile.TemporaryDirectory() as tmp:
        embedded = None
        url = args.redis
        if not url:
            embedded = EmbeddedBroker(Path(tmp))
            url = embedded.start()
        try:
            for label, rate, n in (("idle", None, args.idle_events), ("200 absences/s", 200.0, args.events)):
                baseline = raw(url, server.port, stamps, n, rate)
                settings = Settings(data_dir=Path(tmp) / label.replace(" ", "_").replace("/", ""), redis_url=url,
                                    worker_idle_ms=1000, smtp_host="127.0.0.1", smtp_port=server.port,
                                    smtp_from="school@example.bg", absence_notice_documents=False)
                mine = ours(settings, url, stamps, n, rate)
                print(f"[{label}] raw Dramatiq + smtplib enqueue→accepted: {summary(baseline)} ms")
                print(f"[{label}] absence commit→SMTP accepted: {summary(mine)} ms")
                for p in (50, 95):
                    report(f"[{label}] p{p} delivery delay", percentile(mine, p), percentile(baseline, p))
        finally:
            if embedded is not None:
                embedded.stop()
            server.stop()


if __name__ == "__main__":
    main()
