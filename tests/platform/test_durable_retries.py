"""A failed job's retry survives a broker outage, and an outage does not use up a job's retries (issue 17)."""

from __future__ import annotations

import dramatiq
import redis
import sqlalchemy.exc
from dramatiq.brokers.stub import StubBroker
from dramatiq.middleware import CurrentMessage

from shared.messaging import retries
from shared.messaging.retries import DurableRetries


class _BrokerComingBack:
    """A broker whose first ``down`` enqueues fail as a killed Redis does."""

    def __init__(self, actor, down: int) -> None:
        self.actor, self.down, self.enqueued = actor, down, []

    def get_actor(self, _name):
        return self.actor

    def enqueue(self, message, *, delay=None):
        if self.down:
            self.down -= 1
            raise redis.ConnectionError("Connection refused")
        self.enqueued.append((message, delay))
        return message


def _message_and_actor():
    broker = StubBroker(middleware=[CurrentMessage(), DurableRetries()])
    actor = dramatiq.actor(lambda: None, actor_name="letter", broker=broker, max_retries=3)
    message = dramatiq.Message(queue_name="default", actor_name="letter", args=(), kwargs={}, options={})
    return dramatiq.broker.MessageProxy(message), actor


def test_the_retry_waits_for_the_broker_instead_of_being_dropped(monkeypatch):
    monkeypatch.setattr(retries, "RETRY_ENQUEUE_EVERY_S", 0.01)
    message, actor = _message_and_actor()
    broker = _BrokerComingBack(actor, down=3)
    DurableRetries(max_retries=3).after_process_message(broker, message, exception=ValueError("SMTP 451"))
    # Stock Retries would have raised on the first refusal, and Dramatiq would then acknowledge the
    # original: the job gone.  Here the retry is stored once the broker answers, before the ack.
    [(retry, delay)] = broker.enqueued
    assert retry.options["retries"] == 1
    assert delay > 0
    assert "keep_unacknowledged" not in message.options


def test_a_job_failing_on_an_outage_does_not_use_up_its_retries():
    message, actor = _message_and_actor()
    broker = _BrokerComingBack(actor, down=0)
    lost = sqlalchemy.exc.OperationalError("SELECT 1", {}, Exception("the database system is starting up"))
    middleware = DurableRetries(max_retries=3)
    for _ in range(10):  # far more failures than its three retries
        middleware.after_process_message(broker, message, exception=lost)
    assert not message.failed
    assert len(broker.enqueued) == 10
    assert message.options.get("retries", 0) == 0
    assert message.options["outages"] == 10
    assert max(delay for _m, delay in broker.enqueued) <= retries.OUTAGE_MAX_DELAY_MS
