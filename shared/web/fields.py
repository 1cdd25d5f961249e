"""marshmallow fields the services' API schemas share (no Flask here: application code may load them)."""

from __future__ import annotations

import datetime as dt

from marshmallow import fields


class UtcDateTime(fields.AwareDateTime):
    """A moment, always written with its offset (``2023-10-02T08:15:00+00:00``), as RFC 3339 wants.

    Every moment is stored in UTC, but SQLite hands ``timezone=True`` columns back naive: written
    as they come, they lacked the offset and broke the API document's ``date-time`` (found by
    fuzzing, issue 17). A naive value is therefore UTC; input without an offset is read as UTC too.
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(default_timezone=dt.UTC, **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        if isinstance(value, dt.datetime) and value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return super()._serialize(value, attr, obj, **kwargs)
