"""Dead letters (неуспели съобщения): messages Dramatiq gave up on, read and sent again.

Dramatiq's Redis broker keeps a queue's dead letters in the sorted set ``<ns>:<queue>.XQ`` (the
score is when the message died) and their bodies in the hash ``<ns>:<queue>.XQ.msgs``, for seven
days (dispatch.lua).  Sending one again moves it back to its queue in one Lua call, so it is never
in both places nor in neither; the queue's doorbell rings so an idle consumer takes it at once.
"""

from __future__ import annotations

import dataclasses
import time

from dramatiq import Message
from dramatiq.middleware import CurrentMessage

from shared.messaging.broker import DOORBELL_LENGTH, DOORBELL_PREFIX

#: Dead letters listed per queue, newest first.
LISTED = 20
#: The option a dead letter sent again carries (when, in ms): a job that recorded its failure when it
#: was given up (a document „неуспешен“) reads it as the administrator's request to try once more.
RESENT_OPTION = "resent_at"

_RETRY = """
local dead, bodies, queue, messages = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local id, body = ARGV[1], ARGV[2]
if redis.call("zrem", dead, id) == 0 then
  return 0
end
redis.call("hdel", bodies, id)
redis.call("hset", messages, id, body)
redis.call("rpush", queue, id)
return 1
"""


def is_resent() -> bool:
    """Whether the message being handled is a dead letter sent again („Изпрати отново“ on ``/admin/system``)."""
    current = CurrentMessage.get_current_message()
    return current is not None and RESENT_OPTION in current.options


def _keys(namespace: str, queue: str) -> tuple[str, str]:
    dead = f"{namespace}:{queue}.XQ"
    return dead, dead + ".msgs"


def _error_of(message: Message) -> str | None:
    """The exception's class only: its text may hold personal data (a name, an ЕГН in a payload).

    Dramatiq's Redis broker dead-letters the body as it was enqueued, so mostly there is none: the
    error itself is in the worker's log, under the message id.
    """
    lines = [line for line in str(message.options.get("traceback", "")).splitlines() if line.strip()]
    return lines[-1].split(":", 1)[0].strip()[:120] if lines else None


def list_dead(client, queues: list[str], namespace: str = "dramatiq", limit: int = LISTED) -> list[dict]:
    """The newest dead letters of ``queues``: queue, message id, actor, when it died, the error's kind."""
    found = []
    for queue in queues:
        dead, bodies = _keys(namespace, queue)
        entries = client.zrevrange(dead, 0, limit - 1, withscores=True)
        if not entries:
            continue
        raw = client.hmget(bodies, [message_id for message_id, _score in entries])
        for (message_id, score), body in zip(entries, raw, strict=True):
            if body is None:
                continue
            message = Message.decode(body)
            found.append({"queue": queue, "id": message_id.decode(), "message_id": message.message_id,
                          "actor": message.actor_name,
                          "died_at": score / 1000, "error": _error_of(message),
                          "retries": message.options.get("retries", 0)})
    found.sort(key=lambda letter: letter["died_at"], reverse=True)
    return found


def retry(client, queue: str, message_id: str, namespace: str = "dramatiq") -> bool:
    """Put the dead letter back on its queue as if just sent (its retries counted afresh); False if it is gone."""
    dead, bodies = _keys(namespace, queue)
    body = client.hget(bodies, message_id)
    if body is None:
        return False
    message = Message.decode(body)
    # The Redis id stays (the consumer acknowledges by it); the retries and the last error go.
    now = int(time.time() * 1000)
    options = {k: v for k, v in message.options.items() if k not in ("retries", "traceback")} | {RESENT_OPTION: now}
    # A fresh timestamp, or a message with an age limit would die again at once.
    again = dataclasses.replace(message, queue_name=queue, options=options, message_timestamp=now)
    script = client.register_script(_RETRY)
    moved = script(keys=[dead, bodies, f"{namespace}:{queue}", f"{namespace}:{queue}.msgs"],
                   args=[message_id, again.encode()])
    if moved:
        doorbell = DOORBELL_PREFIX + queue
        with client.pipeline(transaction=False) as pipe:
            pipe.lpush(doorbell, 1)
            pipe.ltrim(doorbell, 0, DOORBELL_LENGTH - 1)
            pipe.execute()
    return bool(moved)
