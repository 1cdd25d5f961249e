"""Schemas of the documents API (contract: ``/api/documents``)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from shared.web.fields import UtcDateTime


class TemplateInfoSchema(Schema):
    key = fields.String()
    title = fields.String()
    version = fields.Integer()
    kind = fields.String()
    articles = fields.List(fields.String())
    fields_ = fields.List(fields.String(), data_key="fields")
    example = fields.Dict()


class TemplateVersionSchema(Schema):
    version = fields.Integer()
    current = fields.Boolean()
    shipped = fields.Boolean()
    uploaded_at = UtcDateTime(allow_none=True)
    uploaded_by = fields.Integer(allow_none=True)


class DocumentRequestSchema(Schema):
    template = fields.String(required=True, validate=validate.Length(min=1, max=80))
    context = fields.Dict(required=True)
    student_id = fields.Integer(load_default=None, allow_none=True)


class BatchRequestSchema(Schema):
    template = fields.String(required=True, validate=validate.Length(min=1, max=80))
    contexts = fields.List(fields.Dict(), required=True, validate=validate.Length(min=1, max=2000))


class DocumentSchema(Schema):
    id = fields.Integer()
    template = fields.String()
    status = fields.String()
    number = fields.String(allow_none=True)
    error = fields.String(allow_none=True)
    template_version = fields.Integer(allow_none=True)
    student_id = fields.Integer(allow_none=True)
    created_at = UtcDateTime()
    done_at = UtcDateTime(allow_none=True)


class AcceptedSchema(Schema):
    id = fields.Integer()


class BatchAcceptedSchema(Schema):
    batch_id = fields.Integer()


class BatchSchema(Schema):
    batch_id = fields.Integer()
    total = fields.Integer()
    done = fields.Integer()
    failed = fields.Integer()
    queued = fields.Integer()
    document_ids = fields.List(fields.Integer())


class FileQuerySchema(Schema):
    format = fields.String(load_default="docx", validate=validate.OneOf(("docx", "pdf")))


class DocumentQuerySchema(Schema):
    student_id = fields.Integer(load_default=None)
    template = fields.String(load_default=None)
    status = fields.String(load_default=None, validate=validate.OneOf(("queued", "done", "failed")))
