"""A quick yes for well-formed event payloads; marshmallow's answer for everything else.

Every published payload is checked against its schema, so a malformed event fails the request
that made it.  marshmallow takes about 0.2 ms for one ``register.rule_fired`` payload; a bulk
import of a year's absences publishes thousands of them, and a recorded lesson carries thirty
marks.  :func:`quick_check` turns a schema, once, into plain Python checks that say yes only to
payloads marshmallow certainly accepts: JSON values of exactly the expected types (an ``int`` for
an Integer, never ``True``; an ISO date string for a Date), no unknown keys, the field's own
validators passing.  Whatever they do not say yes to (a numeric string, a field type or schema
hook they do not know) goes to marshmallow, which decides and words the errors.  So the quick path
can save time but never change an answer; ``tests/platform/test_quick_check.py`` holds it to that.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Callable
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate

#: ``value -> True`` when marshmallow would certainly accept it for the field.
Check = Callable[[Any], bool]

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _never(_value: Any) -> bool:
    return False


def _is_iso_date(value: Any) -> bool:
    if type(value) is not str or not _ISO_DATE.fullmatch(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _is_finite_number(value: Any) -> bool:
    return type(value) in (int, float) and math.isfinite(value)


def _type_check(field: fields.Field) -> Check:
    """The check of the value's type alone; exact classes only, as a subclass (Email, Url) adds rules."""
    kind = type(field)
    if kind is fields.String:
        return lambda value: type(value) is str
    if kind is fields.Integer:
        return lambda value: type(value) is int
    if kind is fields.Float:
        return (lambda value: type(value) in (int, float)) if field.allow_nan else _is_finite_number
    if kind is fields.Boolean:
        if True in field.truthy and False in field.falsy:
            return lambda value: type(value) is bool
        return _never
    if kind is fields.Date:
        return _is_iso_date if field.format in (None, "iso") else _never
    if kind is fields.Dict:
        if field.key_field is None and field.value_field is None:
            return lambda value: type(value) is dict
        return _never
    if kind is fields.List:
        item = _field_check(field.inner)
        return lambda value: type(value) is list and all(item(v) for v in value)
    if kind is fields.Nested:
        # Only a plain schema class: an instance or a name may carry settings (only, unknown…) of its own.
        if field.only is not None or field.exclude or not (
                isinstance(field.nested, type) and issubclass(field.nested, Schema)):
            return _never
        nested = quick_check(field.nested)
        if field.many:
            return lambda value: type(value) is list and all(nested(v) for v in value)
        return nested
    return _never


def _passes(validators: list, value: Any) -> bool:
    for validator in validators:
        try:
            if validator(value) is False:
                return False
        except ValidationError:
            return False
    return True


#: Field types whose loaded value is the payload's value itself, so a validator sees the same thing.
_AS_IS = (fields.String, fields.Integer, fields.Float, fields.Boolean, fields.Dict)


def _loads_as_is(field: fields.Field) -> bool:
    if type(field) is fields.List:
        return _loads_as_is(field.inner)
    return type(field) in _AS_IS


def _field_check(field: fields.Field) -> Check:
    type_ok = _type_check(field)
    allow_none = field.allow_none
    validators = list(field.validators)
    counts_only = type(field) is fields.List and all(isinstance(v, validate.Length) for v in validators)
    if validators and not (_loads_as_is(field) or counts_only):
        return _never  # marshmallow validates the loaded value (a date, an object), not this one

    def check(value: Any) -> bool:
        if value is None:
            return allow_none
        return type_ok(value) and (not validators or _passes(validators, value))

    return check


@functools.cache
def quick_check(schema_class: type[Schema]) -> Check:
    """A check for payloads of ``schema_class`` that only ever says yes where marshmallow would."""
    schema = schema_class()
    if schema.unknown != RAISE or any(schema._hooks.values()):
        return _never  # unknown-key policies and hooks (validates, pre_load…) are marshmallow's alone
    checks = {(field.data_key or name): _field_check(field) for name, field in schema.load_fields.items()}
    required = frozenset(key for key, field in ((f.data_key or n, f) for n, f in schema.load_fields.items())
                         if field.required)

    def check(payload: Any) -> bool:
        if type(payload) is not dict or not required.issubset(payload):
            return False
        for key, value in payload.items():
            field_check = checks.get(key)
            if field_check is None or not field_check(value):
                return False
        return True

    return check
