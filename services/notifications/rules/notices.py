"""What a notice is about and who receives it: the values handlers hand to :func:`delivery.plan`."""

from __future__ import annotations

import dataclasses
import datetime as dt


@dataclasses.dataclass(frozen=True)
class Recipient:
    channel: str
    address: str
    name: str
    guardian_id: int | None = None
    user_id: int | None = None
    #: The guardian takes optional notices as one daily digest.
    digest: bool = False


@dataclasses.dataclass(frozen=True)
class About:
    """What a message is about, for the delivery log and the idempotency key."""

    key: str
    kind: str
    student_id: int | None = None
    rule_id: str | None = None
    article: str | None = None
    urgent: bool = False
    #: The rulebook requires the notice: opt-outs and digests do not apply, paper is the fallback.
    obligatory: bool = False
    audience: str = "guardian"
    occurred_at: dt.datetime | None = None
    #: The printable letter (``{"template", "context"}`` without the addressee) for the paper fallback.
    letter: dict | None = None
