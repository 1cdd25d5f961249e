"""The envelope every event travels in: id, type, version, producer, time and payload."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from marshmallow import Schema, fields, validate


class EnvelopeSchema(Schema):
    id = fields.UUID(required=True)
    type = fields.String(required=True, validate=validate.Length(min=3, max=120))
    version = fields.Integer(required=True, validate=validate.Range(min=1))
    producer = fields.String(required=True)
    occurred_at = fields.AwareDateTime(required=True)
    payload = fields.Dict(required=True)


@dataclasses.dataclass(frozen=True)
class Envelope:
    """One event as it travels; ``id`` is the idempotency key consumers record."""

    id: str
    type: str
    version: int
    producer: str
    occurred_at: dt.datetime
    payload: dict[str, Any]

    def to_wire(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "version": self.version,
            "producer": self.producer,
            "occurred_at": self.occurred_at.isoformat(),
            "payload": self.payload,
        }

    @classmethod
    def from_wire(cls, data: dict[str, Any]) -> Envelope:
        loaded = _ENVELOPE.load(data)
        return cls(
            id=str(loaded["id"]),
            type=loaded["type"],
            version=loaded["version"],
            producer=loaded["producer"],
            occurred_at=loaded["occurred_at"],
            payload=loaded["payload"],
        )


_ENVELOPE = EnvelopeSchema()
