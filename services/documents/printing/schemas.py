"""Schemas of the print sets' API (``/api/documents/print-sets``)."""

from __future__ import annotations

import datetime as dt

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from services.documents.printing.sets import MAX_DOCUMENTS
from shared.web.fields import UtcDateTime


class PrintFilterSchema(Schema):
    template = fields.String(load_default=None, validate=validate.Length(min=1, max=80))
    class_code = fields.String(load_default=None, validate=validate.Length(min=1, max=8))
    #: The day the documents were drawn up (the school's time zone); the program's years only.
    day = fields.Date(load_default=None, validate=validate.Range(min=dt.date(2000, 1, 1), max=dt.date(2999, 12, 31)))
    #: Only the letters of students none of whose guardians has an e-mail address.
    without_email = fields.Boolean(load_default=False)


class PrintSetRequestSchema(Schema):
    """Either the documents by id, or a filter that finds them."""

    document_ids = fields.List(fields.Integer(), load_default=None,
                               validate=validate.Length(min=1, max=MAX_DOCUMENTS))
    filter = fields.Nested(PrintFilterSchema, load_default=None)

    @validates_schema
    def _one_way(self, data, **_kwargs):
        if (data.get("document_ids") is None) == (data.get("filter") is None):
            raise ValidationError("Посочете или document_ids, или filter.", "document_ids")


class PrintSetSchema(Schema):
    id = fields.Integer()
    #: ``selection`` (made by the office) or ``paper`` (the day's paper letters).
    kind = fields.String()
    document_ids = fields.List(fields.Integer())
    created_by = fields.Integer(allow_none=True)
    created_at = UtcDateTime()
