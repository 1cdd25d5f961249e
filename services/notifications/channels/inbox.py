"""The in-app inbox: the delivery row is the message; the parent reads it through the API."""

from __future__ import annotations

from shared.settings import Settings

from .base import OutgoingMessage


class InboxChannel:
    name = "inbox"
    address = "user"

    def send(self, message: OutgoingMessage) -> str:
        # Nothing leaves the building: storing the delivery is the delivery; reading it is the receipt.
        return f"във входящата кутия на потребител {message.recipient}"


def inbox_channel(_settings: Settings) -> InboxChannel:
    """Entry point ``inbox``: always available."""
    return InboxChannel()
