"""What every channel is: a name, an address it needs, and ``send`` that succeeds or says how it failed."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Callable
from typing import Protocol

from shared.plugins import PluginRegistry
from shared.settings import Settings

log = logging.getLogger(__name__)


class TemporaryDeliveryError(Exception):
    """The message may go through later (SMTP 4xx, timeout, gateway down): retried with backoff."""


class PermanentDeliveryError(Exception):
    """The message will never go through as it is (SMTP 5xx, bad address): not retried."""


@dataclasses.dataclass(frozen=True)
class OutgoingMessage:
    delivery_id: int
    recipient: str
    recipient_name: str
    subject: str
    body: str
    #: When the event behind the message happened, for the delivery-delay histogram.
    occurred_at: dt.datetime | None = None
    #: The channel the delivery was planned for (a plugin may serve several).
    channel: str = ""
    #: What makes the message unique for ever (the delivery's idempotency key and creation time):
    #: its e-mail's Message-ID is derived from it, the same on every attempt.
    key: str = ""
    #: Called by a channel that sets ``marks_handover`` right before the content is handed over
    #: (SMTP ``DATA``): the attempt is recorded first, so a crash after it is known to be uncertain.
    before_handover: Callable[[], None] | None = dataclasses.field(default=None, compare=False, repr=False)


class Channel(Protocol):
    #: Short name stored on each delivery, e.g. ``email``.
    name: str
    #: Which contact of a recipient the channel uses: ``email``, ``phone`` or ``user``.
    address: str

    def send(self, message: OutgoingMessage) -> str:
        """Send; return the server's acceptance (for the attempt log) or raise a failure."""


def build_channels(plugins: PluginRegistry, settings: Settings) -> dict[str, Channel]:
    """The configured channels of this installation, by name."""
    channels: dict[str, Channel] = {}
    for plugin in plugins.items("channels"):
        channel = plugin.obj(settings)
        if channel is None:
            log.info("канал %s: не е настроен", plugin.name)
            continue
        channels[channel.name] = channel
    return channels
