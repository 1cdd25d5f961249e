"""A quick load for well-formed request bodies; marshmallow's answer for everything else.

The register's hottest request (one lesson's marks for a whole class) spent longer in
marshmallow loading its thirty nested marks than in most of its SQL.  :func:`quick_load` builds,
once per schema, the conversion marshmallow would make (an ISO date string to a ``date``, an
``int`` to a ``float`` for a Float, defaults for missing fields, ``data_key`` to attribute
names) and applies it only to bodies :func:`~shared.messages.checking.quick_check` says yes to,
which marshmallow certainly accepts.  Anything else returns ``None`` and goes to marshmallow,
which decides and words the errors.  ``tests/platform/test_quick_check.py`` holds the two to
the same answers.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any

from marshmallow import Schema, fields, missing

from shared.messages.checking import quick_check

#: ``value -> loaded value`` for a value the quick check accepted; ``None`` where it is the value itself.
Convert = Callable[[Any], Any] | None


def _value_converter(field: fields.Field) -> Convert:
    kind = type(field)
    if kind is fields.Float:
        return float
    if kind is fields.Date:
        return dt.date.fromisoformat
    if kind is fields.List:
        inner = _value_converter(field.inner)
        return list if inner is None else (lambda value: [inner(v) for v in value])
    if kind is fields.Nested and isinstance(field.nested, type):
        nested = _schema_converter(field.nested)
        return (lambda value: [nested(v) for v in value]) if field.many else nested
    if kind is fields.Dict:
        return dict  # marshmallow hands back a new dict, not the caller's
    return None  # String, Integer, Boolean: loaded as they are


def _schema_converter(schema_class: type[Schema]) -> Callable[[dict], dict]:
    schema = schema_class()
    steps: list[tuple[str, str, Convert]] = []
    defaults: list[tuple[str, str, Any]] = []
    for name, field in schema.load_fields.items():
        key, attribute = field.data_key or name, field.attribute or name
        steps.append((key, attribute, _value_converter(field)))
        if field.load_default is not missing:
            defaults.append((key, attribute, field.load_default))

    def convert(payload: dict) -> dict:
        loaded = {}
        for key, attribute, converter in steps:
            if key in payload:
                value = payload[key]
                loaded[attribute] = value if value is None or converter is None else converter(value)
        for key, attribute, default in defaults:
            if key not in payload:
                loaded[attribute] = default() if callable(default) else default
        return loaded

    return convert


@functools.cache
def quick_load(schema_class: type[Schema]) -> Callable[[Any], dict | None]:
    """``payload -> what schema_class().load(payload) returns``, or ``None`` to leave it to marshmallow."""
    check = quick_check(schema_class)
    convert = _schema_converter(schema_class)

    def load(payload: Any) -> dict | None:
        return convert(payload) if check(payload) else None

    return load


class QuickLoadSchema(Schema):
    """A schema whose plain ``load`` tries :func:`quick_load` first (for a hot request's body).

    Only a load with the schema's own settings takes the quick way; ``many``, ``partial``,
    ``unknown``, ``only`` or ``exclude`` given anywhere leave it to marshmallow.
    """

    def load(self, data, *, many=None, partial=None, unknown=None):
        if (many is None and partial is None and unknown is None and not self.many and not self.partial
                and self.only is None and not self.exclude):
            loaded = quick_load(type(self))(data)
            if loaded is not None:
                return loaded
        return super().load(data, many=many, partial=partial, unknown=unknown)
