"""Giving a dead worker's messages back to their queues, deterministically (crash recovery).

Dramatiq's Redis broker keeps every message a consumer has fetched but not yet acknowledged in a
set ``<namespace>:__acks__.<broker id>.<queue>``, and each broker's last call in the sorted set
``<namespace>:__heartbeats__``.  Stock Dramatiq moves a dead broker's set back to its queue only
in a maintenance pass that runs on a random 0.1 % of broker calls and only once the heartbeat is
older than 60 s: in a quiet school a message held by a killed worker could wait for hours.

Here the pass is explicit (:func:`requeue_from_dead_workers`), over every queue in one Lua call,
and called:

- at start, in the embedded layout, before the worker consumes: the broker was started by this
  very process, so every earlier holder is dead and is recovered at once (``dead_after_ms=0``);
- every few seconds by each worker process (:class:`KeepAlive`), which also keeps its own broker's
  heartbeat fresh even while every thread is busy on a long job, so a live worker is never
  taken for dead however long a message takes.

The key layout is dispatch.lua's, pinned by ``tests/platform/test_dramatiq_internals.py``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable

from dramatiq.common import dq_name

from shared.messaging.broker import DOORBELL_LENGTH, DOORBELL_PREFIX

log = logging.getLogger(__name__)

#: Seconds between two keep-alive passes of a worker process (heartbeat, then recovery).
KEEP_ALIVE_INTERVAL_S = 2.0

_REQUEUE_DEAD = """
local namespace = KEYS[1]
local now, dead_before, self_id = ARGV[1], tonumber(ARGV[2]), ARGV[3]
local heartbeats = namespace .. ":__heartbeats__"
redis.call("zadd", heartbeats, now, self_id)
local moved = {}
for _, worker in ipairs(redis.call("zrangebyscore", heartbeats, 0, dead_before)) do
  if worker ~= self_id then
    local acks = namespace .. ":__acks__." .. worker
    for i = 4, #ARGV do
      local queue = ARGV[i]
      local held = acks .. "." .. queue
      for _, message_id in ipairs(redis.call("smembers", held)) do
        -- A message acknowledged meanwhile has left the hash: nothing to give back.
        if redis.call("hexists", namespace .. ":" .. queue .. ".msgs", message_id) > 0 then
          redis.call("rpush", namespace .. ":" .. queue, message_id)
          moved[#moved + 1] = queue
        end
      end
      redis.call("del", held)
    end
    -- Sets of queues this process does not serve stay for their own workers' pass.
    if next(redis.call("keys", acks .. ".*")) == nil then
      redis.call("zrem", heartbeats, worker)
    end
  end
end
return moved
"""


def worker_is_dead(broker, worker_id: str, dead_after_s: float) -> bool:
    """Whether the worker process whose broker id is ``worker_id`` is dead, as the recovery pass judges.

    Dead: its heartbeat is older than ``dead_after_s``, or gone (the recovery pass forgets a dead
    worker once it has given back what it held).  Only judged once this process has itself been
    connected for ``dead_after_s`` (see :class:`KeepAlive`): right after a broker outage every
    heartbeat is old, the live ones included.  Used for what a worker holds outside the broker
    (a delivery's claim, ``services/notifications/claims.py``).
    """
    since = getattr(broker, "connected_since", None)
    if since is None or time.monotonic() - since < dead_after_s:
        return False
    if worker_id == broker.broker_id:
        return False
    beat = broker.client.zscore(f"{broker.namespace}:__heartbeats__", worker_id)
    return beat is None or beat < time.time() * 1000 - dead_after_s * 1000


def with_delay_queues(queues: Iterable[str]) -> list[str]:
    """Each queue and its delay queue (retries wait there, held by a consumer like any message)."""
    return sorted({name for queue in queues for name in (queue, dq_name(queue))})


def requeue_from_dead_workers(broker, queues: Iterable[str], dead_after_ms: int) -> int:
    """Put the messages held by workers silent for ``dead_after_ms`` back on ``queues``.

    This broker's own holdings are never touched, whatever ``dead_after_ms`` says.  Returns how
    many messages went back; their queues' doorbells ring so idle consumers take them at once.

    Parameters:
      broker: a :class:`shared.messaging.broker.DoorbellRedisBroker`.
      queues: queue names as declared (their delay queues are included here).
      dead_after_ms: 0 takes every other worker for dead (only right when none can be alive).
    """
    names = with_delay_queues(queues)
    now = int(time.time() * 1000)
    script = broker.client.register_script(_REQUEUE_DEAD)
    moved = [m.decode() if isinstance(m, bytes) else m
             for m in script(keys=[broker.namespace], args=[now, now - dead_after_ms, broker.broker_id, *names])]
    if moved:
        with broker.client.pipeline(transaction=False) as pipe:
            for queue in sorted(set(moved)):
                doorbell = DOORBELL_PREFIX + queue  # a delay queue's consumer has its own doorbell
                pipe.lpush(doorbell, 1)
                pipe.ltrim(doorbell, 0, DOORBELL_LENGTH - 1)
            pipe.execute()
        log.warning("gave %d message(s) held by dead workers back to %s", len(moved), sorted(set(moved)))
    return len(moved)


class KeepAlive:
    """A worker process's heartbeat and periodic recovery, on a thread of its own.

    After the broker was unreachable the pass waits ``dead_after_s`` of connected time before it
    recovers anything: every other live worker has then beaten again too, so a broker outage
    never makes a live worker look dead.

    Parameters:
      broker: the process's broker.
      queues: the queues this process consumes (it recovers only those).
      dead_after_s: seconds of silence after which a worker is dead.
      beat: called first in every pass (e.g. the services' heartbeat keys for the metrics).
    """

    def __init__(self, broker, queues: Iterable[str], dead_after_s: float, beat=lambda: None,
                 interval_s: float = KEEP_ALIVE_INTERVAL_S) -> None:
        self.broker = broker
        self.queues = sorted(queues)
        self.dead_after_s = dead_after_s
        self.beat = beat
        self.interval_s = interval_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run(self) -> None:
        connected_since: float | None = None
        while not self._stop.is_set():
            try:
                self.beat()
                if given_back := self.broker.give_back_orphans():
                    log.warning("gave %d message(s) dropped on a connection error back to their queues", given_back)
                now = time.monotonic()
                if connected_since is None:
                    connected_since = now
                # Before that, the pass only refreshes this worker's heartbeat (dead_after = ∞).
                recover = now - connected_since >= self.dead_after_s
                requeue_from_dead_workers(self.broker, self.queues,
                                          int(self.dead_after_s * 1000) if recover else 2**62)
                self.broker.connected_since = connected_since
            except Exception:
                connected_since = self.broker.connected_since = None
                log.warning("worker keep-alive could not reach the broker", exc_info=True)
            self._stop.wait(self.interval_s)

    def start(self) -> None:
        self._thread = threading.Thread(target=self.run, name="worker-keep-alive", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(10)
