"""Schemas of the notifications API."""

from __future__ import annotations

from marshmallow import Schema, fields


class DeliveryQuerySchema(Schema):
    student_id = fields.Integer(load_default=None)
    rule_id = fields.String(load_default=None)


class DeliverySchema(Schema):
    id = fields.Integer()
    channel = fields.String()
    recipient = fields.String()
    status = fields.String()
    rule_id = fields.String(allow_none=True)
    article = fields.String(allow_none=True)
    student_id = fields.Integer(allow_none=True)
    subject = fields.String()
    attempts = fields.Integer()
    error = fields.String(allow_none=True)
    created_at = fields.AwareDateTime()
    sent_at = fields.AwareDateTime(allow_none=True)
