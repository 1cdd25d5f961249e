"""Request and response schemas of the monthly exports (месечни справки)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from shared.web.fields import UtcDateTime


class MonthQuerySchema(Schema):
    #: The year the school year starts, as in НЕИСПУО (2023 for 2023/2024).
    year = fields.Integer(required=True, validate=validate.Range(min=2000, max=2100))
    month = fields.Integer(required=True, validate=validate.Range(min=1, max=12))


class ExportFileSchema(Schema):
    kind = fields.String()
    name = fields.String()
    sha256 = fields.String()


class MonthlyExportSchema(Schema):
    id = fields.Integer()
    school_year = fields.Integer()
    month = fields.Integer()
    status = fields.String(metadata={"description": "ready | problems (the НЕИСПУО file is withheld)"})
    problems = fields.Dict(keys=fields.String(), values=fields.List(fields.String()))
    benefit = fields.List(fields.Dict())
    scheduled = fields.Boolean(metadata={"description": "prepared by the scheduler on the 1st"})
    prepared_at = UtcDateTime()
    submitted_on = fields.Date(allow_none=True)
    files = fields.List(fields.Nested(ExportFileSchema))


class MonthFilterSchema(Schema):
    year = fields.Integer(validate=validate.Range(min=2000, max=2100))
    month = fields.Integer(validate=validate.Range(min=1, max=12))


class SubmittedSchema(Schema):
    submitted_on = fields.Date(required=True)
