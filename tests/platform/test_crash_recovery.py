"""Crash recovery: what a killed worker held is handled again soon, by every layout, and only once.

The first tests drive the recovery pass against the real Redis; the last ones kill the real
``schoolctl up`` (kill -9 of the whole process group) and check what the parents received.
"""

from __future__ import annotations

import random
import time
import uuid

import dramatiq
import pytest
import redis

from shared.messaging import broker as doorbell
from shared.messaging.recovery import requeue_from_dead_workers
from tests.conftest import REDIS_URL
from tests.support.crash import (
    ExternalBroker,
    ProductionLayout,
    System,
    lost_and_duplicated,
    record_ten_unexcused,
    school_with_one_student,
    slow_smtp,
)


@pytest.fixture
def queue():
    name = f"crash_{uuid.uuid4().hex[:8]}"
    made: list = []

    def broker():
        b = doorbell.make_broker(REDIS_URL)
        b.declare_queue(name)
        made.append(b)
        return b

    yield name, broker
    made[0].flush(name)
    client = made[0].client
    for key in client.keys(f"dramatiq:__acks__.*{name}*"):
        client.delete(key)
    client.zrem("dramatiq:__heartbeats__", *(b.broker_id for b in made))
    for b in made:
        b.close()
        b.client.connection_pool.disconnect()


def _take(consumer, count: int = 1) -> list:
    taken = []
    for _ in range(200):
        message = next(consumer)
        if message is not None:
            taken.append(message)
            if len(taken) == count:
                return taken
    raise AssertionError(f"only {len(taken)} of {count} messages could be taken")


def _send(broker, queue: str, *args) -> None:
    broker.enqueue(dramatiq.Message(queue_name=queue, actor_name="a", args=args, kwargs={}, options={}))


def test_what_a_killed_worker_held_goes_back_at_start_when_no_other_can_be_alive(queue):
    name, make = queue
    killed = make()
    _send(killed, name, "letter 3")
    _send(killed, name, "letter 8")
    _take(killed.consume(name, prefetch=2, timeout=100), 2)  # fetched, never acknowledged: killed
    restarted = make()
    assert next(restarted.consume(name, prefetch=2, timeout=100)) is None  # held by the dead worker
    assert requeue_from_dead_workers(restarted, [name], dead_after_ms=0) == 2
    consumer = restarted.consume(name, prefetch=2, timeout=100)
    taken = _take(consumer, 2)
    assert sorted(m.args[0] for m in taken) == ["letter 3", "letter 8"]
    for message in taken:
        consumer.ack(message)
    # Nothing is left to give back a second time, and the dead worker is forgotten.
    assert requeue_from_dead_workers(restarted, [name], dead_after_ms=0) == 0
    assert restarted.client.zscore("dramatiq:__heartbeats__", killed.broker_id) is None


def test_a_live_worker_keeps_what_it_holds(queue):
    name, make = queue
    busy = make()
    _send(busy, name, "long job")
    consumer = busy.consume(name, prefetch=1, timeout=100)
    [message] = _take(consumer)
    other = make()
    # busy's fetch was its heartbeat, moments ago: far from 15 s of silence.
    assert requeue_from_dead_workers(other, [name], dead_after_ms=15_000) == 0
    # Even "everyone else is dead" never takes the caller's own messages.
    assert requeue_from_dead_workers(busy, [name], dead_after_ms=0) == 0
    assert next(other.consume(name, prefetch=1, timeout=100)) is None
    consumer.ack(message)


def test_a_worker_silent_past_the_timeout_is_dead_and_its_retries_come_back_too(queue):
    name, make = queue
    silent = make()
    _send(silent, name, "event")
    silent.enqueue(dramatiq.Message(queue_name=name, actor_name="a", args=("retry",), kwargs={}, options={}),
                   delay=1)
    _take(silent.consume(name, prefetch=1, timeout=100))
    _take(silent.consume(dramatiq.common.dq_name(name), prefetch=1, timeout=100))
    # Its last heartbeat 20 s ago: as if it had been killed then.
    silent.client.zadd("dramatiq:__heartbeats__", {silent.broker_id: int(time.time() * 1000) - 20_000})
    survivor = make()
    assert requeue_from_dead_workers(survivor, [name], dead_after_ms=15_000) == 2
    assert [m.args[0] for m in _take(survivor.consume(name, prefetch=1, timeout=100))] == ["event"]
    assert [m.args[0] for m in _take(survivor.consume(dramatiq.common.dq_name(name), prefetch=1, timeout=100))
            ] == ["retry"]


def test_a_retry_waiting_in_a_consumer_goes_back_when_the_crashed_broker_returns(tmp_path):
    server = ExternalBroker(tmp_path / "redis")
    server.start()
    broker = doorbell.make_broker(server.url)
    delayed = dramatiq.common.dq_name("letters")
    try:
        broker.declare_queue("letters")
        broker.enqueue(dramatiq.Message(queue_name="letters", actor_name="a", args=("retry",), kwargs={},
                                        options={}), delay=60_000)
        consumer = broker.consume(delayed, prefetch=2, timeout=100)
        _take(consumer)  # a worker keeps it in memory until its time; Dramatiq drops it on a connection error
        server.kill()
        with pytest.raises(dramatiq.errors.ConnectionClosed):
            next(consumer)
        server.start()
        assert broker.give_back_orphans() == 1
        assert [m.args[0] for m in _take(broker.consume(delayed, prefetch=1, timeout=100))] == ["retry"]
    finally:
        broker.close()
        broker.client.connection_pool.disconnect()
        server.kill()


# -- the whole system, killed ------------------------------------------------------------------


@pytest.fixture
def smtp_sink():
    # Each e-mail takes the server a second: the kill lands while letters are being sent.
    server = slow_smtp(delay_s=1.0)
    yield server
    server.stop()


def test_kill_9_right_after_the_tenth_absence_loses_no_letter_and_sends_none_twice(tmp_path, smtp_sink):
    system = System(tmp_path / "var", smtp_sink.port)
    system.start()
    try:
        school = school_with_one_student(system)
        record_ten_unexcused(system, school)
        moment = system.kill_at_random(within_s=1.5)
    finally:
        system.kill()
    restarted = time.monotonic()
    system.start()
    try:
        arrived = system.wait_for_letters(school, deadline=restarted + 30)
        assert arrived, (f"killed {moment:.2f} s after the tenth absence; 30 s after the restart: "
                         f"{system.letters_state(school)}")
    finally:
        system.stop()
    # After a clean stop nothing is in flight: what arrived is all that ever will.
    received = System.letters_received(smtp_sink)
    assert lost_and_duplicated(received) == (0, 0), f"killed {moment:.2f} s after the tenth absence: {received}"


def _until(condition, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.1)


def test_kill_9_of_the_notifications_worker_while_the_others_run(tmp_path, smtp_sink):
    """The production layout: each service's worker a process of its own, on a Redis of its own."""
    system = System(tmp_path / "var", smtp_sink.port)
    system.start()
    try:
        school = school_with_one_student(system)
    finally:
        system.stop()
    broker = ExternalBroker(tmp_path / "redis")
    broker.start()
    layout = ProductionLayout(tmp_path / "var", smtp_sink.port, broker.url)
    client = redis.Redis.from_url(broker.url)
    try:
        for name in ("serve register", "worker register", "worker notifications", "worker documents",
                     "worker planning"):
            layout.start(name)
        _until(lambda: all(client.exists(f"school:heartbeat:{s}") for s in ("register", "notifications",
                                                                               "documents", "planning")),
               "the workers never started")
        system.base = layout.base
        _until(lambda: _answers(system), "serve register never answered")
        record_ten_unexcused(system, school)
        moment = random.uniform(0.3, 2.5)
        time.sleep(moment)
        layout.kill("worker notifications")
        restarted = time.monotonic()
        layout.start("worker notifications")
        _until(lambda: lost_and_duplicated(System.letters_received(smtp_sink))[0] == 0,
               f"killed {moment:.2f} s after the tenth absence; 30 s after the restart: "
               f"{System.letters_received(smtp_sink)}", timeout=restarted + 30 - time.monotonic())
    finally:
        layout.stop_all()
        client.close()
        broker.kill()
    received = System.letters_received(smtp_sink)
    assert lost_and_duplicated(received) == (0, 0), f"killed {moment:.2f} s after the tenth absence: {received}"


def _answers(system: System) -> bool:
    try:
        return system.get("/healthz")[0] == 200
    except OSError:
        return False


def test_the_broker_down_for_a_while_requests_are_accepted_and_every_letter_arrives_once(tmp_path, smtp_sink):
    broker = ExternalBroker(tmp_path / "redis")
    broker.start()
    system = System(tmp_path / "var", smtp_sink.port, redis_url=broker.url)
    system.start()
    try:
        school = school_with_one_student(system)
        broker.kill()
        record_ten_unexcused(system, school)  # each answers 201: the events wait in the outbox
        time.sleep(5)
        broker.start()
        back = time.monotonic()
        assert system.wait_for_letters(school, deadline=back + 30), (
            f"30 s after the broker came back: {system.letters_state(school)}")
    finally:
        system.stop()
        broker.kill()
    received = System.letters_received(smtp_sink)
    assert lost_and_duplicated(received) == (0, 0), received


def test_kill_9_of_the_embedded_broker_alone_as_letters_go_out_loses_none_and_sends_none_twice(tmp_path, smtp_sink):
    """``schoolctl up`` starts its broker again on the same port; what it had stored is all there."""
    system = System(tmp_path / "var", smtp_sink.port)
    system.start()
    try:
        school = school_with_one_student(system)
        record_ten_unexcused(system, school)
        time.sleep(random.uniform(0, 0.6))
        system.kill_embedded_broker()
        killed = time.monotonic()
        assert system.wait_for_letters(school, deadline=killed + 30), (
            f"30 s after the broker was killed: {system.letters_state(school)}")
    finally:
        system.stop()
    received = System.letters_received(smtp_sink)
    assert lost_and_duplicated(received) == (0, 0), received
