"""Cross-service message contracts (съобщения между услугите).

Every event that crosses a service boundary is declared here with a versioned marshmallow schema
and the services that subscribe to it.  Producers write events to their outbox with
:func:`shared.messaging.outbox.publish_event`; the relay wraps them in an :class:`Envelope` and
enqueues one Dramatiq ``Message`` per subscriber.  No service imports another service's code.
"""

from __future__ import annotations

from shared.messages.envelope import Envelope, EnvelopeSchema
from shared.messages.registry import EVENT_TYPES, EventType, UnknownEventError, UnknownVersionError, event_type

__all__ = ["EVENT_TYPES", "Envelope", "EnvelopeSchema", "EventType", "UnknownEventError", "UnknownVersionError",
           "event_type"]
