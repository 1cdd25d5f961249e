"""The outbox, the relay and idempotent consumers, against the real brokers and databases."""

from __future__ import annotations

import datetime as dt
import time
import uuid

import dramatiq
import pytest
import sqlalchemy as sa
from dramatiq import Message

from shared.messages import Envelope, UnknownVersionError, event_type
from shared.messaging.broker import event_actor_name, events_queue
from shared.messaging.outbox import OutboxRelay
from shared.platform_models import as_utc
from tests.conftest import drain


def _school(name: str) -> dict:
    return {"name": name, "neispuo_code": "2500603", "address": "", "town": "Русе", "director_name": "",
            "phone": "", "email": ""}


def _outbox_rows(runtime):
    with runtime.db.sessions() as s:
        return s.scalars(sa.select(runtime.tables.outbox).order_by(runtime.tables.outbox.id)).all()


def test_rolled_back_change_sends_nothing(process):
    register = process.runtime("register")
    before = len(_outbox_rows(register))
    def failing_change():
        with register.db.transaction() as s:
            register.publish(s, "register.school_saved", _school("ПГ „Отказана“"))
            raise RuntimeError("the change failed")

    with pytest.raises(RuntimeError):
        failing_change()
    assert len(_outbox_rows(register)) == before


def test_broker_outage_loses_nothing(process):
    register = process.runtime("register")
    register.relay.stop()  # the background relay would otherwise publish at once

    class DownBroker:
        def enqueue(self, _message):
            raise ConnectionError("broker is down")

    failing = OutboxRelay(register.db, register.tables, DownBroker(), "register")
    with register.db.transaction() as s:
        register.publish(s, "procedure.deadline_set", {
            "source": "register", "key": "D06:2023-10", "title": "Месечна справка за отсъствията",
            "due": "2023-11-05", "responsible_roles": ["class_teacher"], "article": "Чл. 97, т. 10"})
    with pytest.raises(ConnectionError):
        failing.publish_pending()
    assert register.relay.backlog()[0] == 1  # still in the outbox, marked as not sent
    assert register.relay.publish_pending() == 1
    drain(process)
    planning = process.runtime("planning")
    with planning.db.sessions() as s:
        titles = s.scalars(sa.text("SELECT title FROM procedures")).all()
    assert titles == ["Месечна справка за отсъствията"]


def test_same_event_delivered_three_times_is_handled_once(process):
    planning = process.runtime("planning")
    register = process.runtime("register")
    with register.db.transaction() as s:
        register.publish(s, "procedure.deadline_set", {
            "source": "register", "key": "D19:1", "title": "Заповед за налагане на санкция",
            "due": "2023-10-16", "responsible_roles": ["director"], "article": "Чл. 58, ал. 1"})
    register.relay.stop()
    rows = [r for r in _outbox_rows(register) if r.name == "procedure.deadline_set"]
    envelope = Envelope(id=rows[0].message_id, type=rows[0].name, version=1, producer="register",
                        occurred_at=as_utc(rows[0].created_at), payload=rows[0].payload["data"]).to_wire()
    for _ in range(3):
        process.broker.enqueue(Message(queue_name=events_queue("planning"), actor_name=event_actor_name("planning"),
                                       args=(envelope,), kwargs={}, options={}))
    drain(process)
    with planning.db.sessions() as s:
        count = s.scalar(sa.text("SELECT count(*) FROM procedures WHERE key = 'D19:1'"))
    assert count == 1
    metrics = process.metrics.exposition().decode()
    assert 'school_events_total{event="procedure.deadline_set",outcome="duplicate",service="planning"}' in metrics


def test_an_event_of_the_previous_version_still_queued_at_an_upgrade_is_read_as_the_current_one(process):
    """``register.absence_recorded`` v1 carried one mark; a v1 message waiting in a queue is still handled."""
    v1 = {"absence_id": 7, "student_id": 1, "student_name": "Иван Петров", "class_code": "10в",
          "date": "2023-10-02", "lesson": 2, "subject": "Математика", "kind": "unexcused"}
    envelope = Envelope(id=str(uuid.uuid4()), type="register.absence_recorded", version=1, producer="register",
                        occurred_at=dt.datetime(2023, 10, 2, 9, tzinfo=dt.UTC), payload=v1).to_wire()
    process.broker.enqueue(Message(queue_name=events_queue("planning"), actor_name=event_actor_name("planning"),
                                   args=(envelope,), kwargs={}, options={}))
    drain(process)
    with process.runtime("planning").db.sessions() as s:
        titles = s.scalars(sa.text("SELECT title FROM procedures WHERE key = 'D05:10в:2023-10-02'")).all()
    assert titles == ["Оформяне на отсъствията на 10в клас от 02.10.2023 в дневника"]
    etype = event_type("register.absence_recorded")
    assert etype.load(v1, 1)["marks"] == [{"absence_id": 7, "student_id": 1, "student_name": "Иван Петров",
                                           "kind": "unexcused"}]
    with pytest.raises(UnknownVersionError, match="v3"):
        etype.load(v1, 3)  # a newer producer than this consumer: retried, then dead-lettered, never guessed at


def test_failed_message_ends_in_dead_letter_queue_visible_in_metrics(process):
    def always_fails():
        raise RuntimeError("handler bug")

    dramatiq.actor(always_fails, actor_name="planning.always_fails", queue_name="planning_jobs",
                   broker=process.broker, max_retries=0)
    process.worker.stop()
    process.start_worker()  # picks up the new actor's queue
    process.broker.enqueue(Message(queue_name="planning_jobs", actor_name="planning.always_fails", args=(),
                                   kwargs={}, options={}))
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.broker.client.zcard("dramatiq:planning_jobs.XQ") == 1:
            break
        time.sleep(0.05)
    metrics = process.metrics.exposition().decode()
    assert 'school_queue_depth{queue="planning_jobs",state="dead"} 1.0' in metrics
    assert 'dramatiq_message_rejects_total{actor_name="planning.always_fails",queue_name="planning_jobs"} 1.0' \
        in metrics


def test_metrics_show_queues_outbox_heartbeat_and_scheduler(process):
    from shared.scheduler import Scheduler  # noqa: PLC0415

    register = process.runtime("register")
    with register.db.transaction() as s:
        register.publish(s, "procedure.deadline_set", {
            "source": "register", "key": "D06:2023-11", "title": "Месечна справка", "due": "2023-12-05"})
    drain(process)
    Scheduler(process.runtimes, 60, process.broker.client).run_once()
    text = process.metrics.exposition().decode()
    for series in ("school_queue_depth{", "school_outbox_backlog{", "school_outbox_oldest_age_seconds{",
                   "school_worker_heartbeat_age_seconds{", "school_scheduler_last_run_timestamp_seconds",
                   "school_event_latency_seconds_bucket"):
        assert series in text, series
