"""Request arguments every database of ours can hold, refused at the API's edge when they cannot.

Found by fuzzing every operation (``tests/platform/test_fuzz_api.py``, issue 17): an id like
``2879098111423700944289792`` made SQLite's driver raise ``OverflowError``, one beyond 2**31 broke
PostgreSQL's ``integer`` columns (``integer out of range``), and a text with a NUL character broke
its ``text`` columns: each a 500. So for all services at once:

- a path's ``<int:…>`` stops at PostgreSQL's integer maximum (which SQLite's 8-byte integer
  holds): a larger id matches no route, a 404;
- a query, form or JSON integer beyond that range, or a text holding a NUL character, is refused
  with 422 naming the field (:class:`ContractParser`, the parser of every API :class:`Blueprint`),
  after the role gate as every other validation is;
- the API document declares the range on every integer that declares none narrower.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

import flask_smorest
import marshmallow as ma
from flask_smorest.spec.plugins import integerconverter2paramschema
from marshmallow import fields
from webargs.flaskparser import FlaskParser
from werkzeug.routing import IntegerConverter

from shared.db import INT_MAX, INT_MIN

OUT_OF_RANGE = f"Числото е извън допустимия обхват (от {INT_MIN} до {INT_MAX})."
NUL_IN_TEXT = "Текстът не може да съдържа знака NUL (код 0)."

_INTEGER_TEXT = re.compile(r"\s*[+-]?\d+\s*")


class DatabaseIntegerConverter(IntegerConverter):
    """``<int:…>`` in a route: digits up to the databases' integer maximum (beyond it, no route matches: 404)."""

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None,
                 max: int | None = INT_MAX, signed: bool = False) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def install_integer_converter(app, api: flask_smorest.Api) -> None:
    """Make ``<int:…>`` bounded in this app's routes and documented so; before any blueprint is registered."""
    app.url_map.converters["int"] = DatabaseIntegerConverter
    api.register_converter(DatabaseIntegerConverter, integerconverter2paramschema)
    api.ma_plugin.converter.add_attribute_function(integer_range)


def integer_range(self, field: fields.Field, ret: dict, **kwargs: Any) -> dict:
    """apispec attribute function: an integer field without bounds of its own gets the database's."""
    if not isinstance(field, fields.Integer):
        return {}
    return {key: value for key, value in (("minimum", INT_MIN), ("maximum", INT_MAX)) if key not in ret}


def _as_integer(value: Any) -> int | None:
    """The integer marshmallow's ``Integer`` would make of a raw value, or None where it would not."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    if isinstance(value, str) and _INTEGER_TEXT.fullmatch(value):
        return int(value)
    return None


def _field_errors(field: fields.Field, value: Any) -> Any:
    """Messages (nested as marshmallow nests them) for what no database holds in one field's raw value."""
    if isinstance(field, fields.Integer):
        number = _as_integer(value)
        return [OUT_OF_RANGE] if number is not None and not INT_MIN <= number <= INT_MAX else None
    if isinstance(field, fields.String):
        return [NUL_IN_TEXT] if isinstance(value, str) and "\x00" in value else None
    if isinstance(field, fields.Nested) and isinstance(field.schema, ma.Schema):
        if field.many and isinstance(value, list):
            found = {i: unstorable(field.schema, item) for i, item in enumerate(value)}
            return {i: errors for i, errors in found.items() if errors} or None
        return unstorable(field.schema, value) or None
    if isinstance(field, fields.List) and isinstance(value, list):
        found = {i: _field_errors(field.inner, item) for i, item in enumerate(value)}
        return {i: errors for i, errors in found.items() if errors} or None
    if isinstance(field, fields.Dict) and field.value_field is not None and isinstance(value, Mapping):
        found = {key: _field_errors(field.value_field, item) for key, item in value.items()}
        return {key: errors for key, errors in found.items() if errors} or None
    return None


def unstorable(schema: ma.Schema, data: Any) -> dict:
    """``{field: messages}`` for every integer beyond the databases' range or text with a NUL in ``data`` (as sent)."""
    if not isinstance(data, Mapping):
        return {}
    errors = {}
    for name, field in schema.fields.items():
        key = field.data_key or name
        if key in data:
            found = _field_errors(field, data[key])
            if found:
                errors[key] = found
    return errors


class ContractParser(FlaskParser):
    """webargs' Flask parser, refusing what no database can hold (422 naming each field)."""

    def pre_load(self, location_data: Mapping, *, schema: ma.Schema, req, location: str) -> Mapping:
        errors = unstorable(schema, location_data)
        if errors:
            # Report every bad field at once, the schema's own complaints included.
            unknown = self.DEFAULT_UNKNOWN_BY_LOCATION.get(location)
            try:
                schema.load(location_data, **({"unknown": unknown} if unknown else {}))
            except ma.ValidationError as error:
                if isinstance(error.messages, dict):
                    errors = {**error.messages, **errors}
            raise ma.ValidationError(errors)
        return location_data


class Blueprint(flask_smorest.Blueprint):
    """The API blueprint every service uses: flask-smorest's, with the :class:`ContractParser`."""

    ARGUMENTS_PARSER = ContractParser()
