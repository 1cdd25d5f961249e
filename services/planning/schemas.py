"""Schemas of the planning API."""

from __future__ import annotations

from marshmallow import Schema, fields


class OverdueItemSchema(Schema):
    kind = fields.String()
    id = fields.Integer()
    title = fields.String()
    due = fields.Date()
    responsible = fields.List(fields.String())
    days_overdue = fields.Integer()
    article = fields.String()
