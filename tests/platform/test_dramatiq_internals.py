"""The Dramatiq internals ``shared/messaging/broker.py`` builds on are still the ones it was written for.

The doorbell broker subclasses ``dramatiq.brokers.redis._RedisConsumer`` (its constructor,
``outstanding_message_count``, ``prefetch`` and its idle back-off, which ``timeout=0`` turns off)
and its ``enqueue_batch`` calls the ``dispatch`` Lua script itself, as ``RedisBroker`` does, with
``_should_do_maintenance`` and ``_max_unpack_size``; ``shared/messaging/recovery.py`` reads and
rewrites dispatch.lua's keys (``__heartbeats__``, ``__acks__.<broker id>.<queue>``, ``<queue>.msgs``)
and the consumer's ``message_cache``.  None of that is public, so pyproject pins
dramatiq to the minor release this was checked against; each test here names what changed when
an upgrade breaks it, so the pin is moved only after broker.py is checked again.
"""

from __future__ import annotations

import hashlib
import inspect
import uuid
from pathlib import Path

import dramatiq
import pytest
from dramatiq.brokers import redis as dramatiq_redis
from dramatiq.common import compute_backoff

from shared.messaging import broker as doorbell
from tests.conftest import REDIS_URL

#: The minor release broker.py was written against (pyproject: ``dramatiq[…]>=2.2,<2.3``).
CHECKED_MINOR = "2.2"
#: sha256 of dramatiq 2.2.1's ``brokers/redis/dispatch.lua``, whose ARGV enqueue_batch fills.
DISPATCH_LUA_SHA256 = "ba4d872e4fb204ebc3f73ca4719265a9946d70e847856c125314f01a8c90540c"

_REVIEW = "re-check shared/messaging/broker.py against it, then update this test and the pin in pyproject.toml"


def _parameters(function) -> list[str]:
    return list(inspect.signature(function).parameters)


def test_installed_dramatiq_is_the_checked_minor_release():
    assert dramatiq.__version__.rsplit(".", 1)[0] == CHECKED_MINOR, (
        f"dramatiq {dramatiq.__version__} is installed, broker.py was checked against {CHECKED_MINOR}: {_REVIEW}")


def test_the_consumer_internals_are_there():
    consumer = dramatiq_redis._RedisConsumer
    assert issubclass(consumer, dramatiq.Consumer), f"_RedisConsumer is no longer a Consumer: {_REVIEW}"
    assert _parameters(consumer.__init__) == ["self", "broker", "queue_name", "prefetch", "timeout"], (
        f"_RedisConsumer.__init__ is now {inspect.signature(consumer.__init__)}: {_REVIEW}")
    assert isinstance(inspect.getattr_static(consumer, "outstanding_message_count"), property), (
        f"_RedisConsumer.outstanding_message_count is gone or no longer a property: {_REVIEW}")
    assert isinstance(inspect.getattr_static(dramatiq_redis.RedisBroker, "consumer_class"), property), (
        f"RedisBroker.consumer_class is gone or no longer a property: {_REVIEW}")


def test_the_broker_internals_enqueue_batch_calls_are_there():
    broker_class = dramatiq_redis.RedisBroker
    assert _parameters(broker_class._should_do_maintenance) == ["self", "command"], (
        f"RedisBroker._should_do_maintenance changed or is gone: {_REVIEW}")
    assert _parameters(broker_class._max_unpack_size) == ["self"], (
        f"RedisBroker._max_unpack_size changed or is gone: {_REVIEW}")
    lua = Path(dramatiq_redis.__file__).parent / "redis" / "dispatch.lua"
    assert hashlib.sha256(lua.read_bytes()).hexdigest() == DISPATCH_LUA_SHA256, (
        f"dramatiq's dispatch.lua changed; enqueue_batch passes it 2.2.1's ARGV: {_REVIEW}")


@pytest.fixture
def broker():
    made = doorbell.make_broker(REDIS_URL)
    yield made
    made.close()
    made.client.connection_pool.disconnect()


def _recorded_dispatch(broker, monkeypatch) -> list[list]:
    calls: list[list] = []
    monkeypatch.setitem(broker.scripts, "dispatch", lambda keys, args, client=None: calls.append([keys, *args]))
    return calls


def test_enqueue_batch_sends_the_script_what_dramatiqs_own_enqueue_sends(broker, monkeypatch):
    fixed = uuid.UUID(int=7)
    monkeypatch.setattr(dramatiq_redis, "uuid4", lambda: fixed)
    monkeypatch.setattr(doorbell, "uuid4", lambda: fixed)
    calls = _recorded_dispatch(broker, monkeypatch)
    message = dramatiq.Message(queue_name="internals_check", actor_name="a", args=(1,), kwargs={}, options={},
                               message_id="m1", message_timestamp=1)
    dramatiq_redis.RedisBroker.enqueue(broker, message)
    monkeypatch.setattr(broker.client, "pipeline", lambda **_kw: _NoPipeline())
    broker.enqueue_batch([message])
    stock, ours = calls
    # Arguments: keys, command, timestamp, queue, broker id, heartbeat timeout, dead-message TTL,
    # maintenance flag (random), max unpack size, Redis message id, message.  Time and chance differ.
    for differing in (2, 7):
        stock[differing] = ours[differing] = None
    assert ours == stock, f"RedisBroker.enqueue now dispatches {stock}, enqueue_batch {ours}: {_REVIEW}"


class _NoPipeline:
    def __enter__(self):
        return self

    def __exit__(self, *_exc):
        return False

    def lpush(self, *_args):
        return None

    def ltrim(self, *_args):
        return None

    def execute(self):
        return []


def test_a_consumer_with_timeout_zero_never_sleeps(broker, monkeypatch):
    assert compute_backoff(3, max_backoff=0)[1] == 0, f"compute_backoff no longer honours max_backoff=0: {_REVIEW}"
    slept: list[float] = []
    monkeypatch.setattr(dramatiq_redis.time, "sleep", slept.append)
    queue = f"internals_{uuid.uuid4().hex[:8]}"
    broker.declare_queue(queue)
    consumer = dramatiq_redis._RedisConsumer(broker, queue, 1, 0)
    assert next(consumer) is None
    assert all(seconds == 0 for seconds in slept), f"the idle back-off slept {slept} with timeout=0: {_REVIEW}"


def test_a_batch_is_consumed_through_the_doorbell_consumer(broker):
    queue = f"internals_{uuid.uuid4().hex[:8]}"
    broker.declare_queue(queue)
    try:
        broker.enqueue_batch([dramatiq.Message(queue_name=queue, actor_name="a", args=(n,), kwargs={}, options={})
                              for n in range(3)])
        consumer = broker.consume(queue, prefetch=3, timeout=100)
        received = []
        while len(received) < 3:
            message = next(consumer)
            if message is not None:
                received.append(message)
        assert sorted(m.args[0] for m in received) == [0, 1, 2]
        assert consumer.outstanding_message_count == 3
        for message in received:
            consumer.ack(message)
        assert consumer.outstanding_message_count == 0
        consumer.close()
    finally:
        broker.flush(queue)
        broker.client.delete(doorbell.DOORBELL_PREFIX + queue)
