"""Notification channels (канали за уведомяване) as plugins of the ``school_office.channels`` group.

Each entry point names a factory ``factory(settings) -> Channel | None``; ``None`` means the
channel is not configured on this installation (e.g. no SMTP server), which ``/readyz`` reports.
"""

from __future__ import annotations

from .base import Channel, OutgoingMessage, PermanentDeliveryError, TemporaryDeliveryError, build_channels

__all__ = ["Channel", "OutgoingMessage", "PermanentDeliveryError", "TemporaryDeliveryError", "build_channels"]
