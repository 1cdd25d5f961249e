"""Schemas of the tracking API: overdue items and the dashboard's query."""

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
    responsible_titles = fields.List(fields.String())


class DueSoonItemSchema(Schema):
    kind = fields.String()
    id = fields.Integer()
    title = fields.String()
    due = fields.Date()
    responsible = fields.List(fields.String())
    days_left = fields.Integer()
    article = fields.String()



class DashboardQuerySchema(Schema):
    plan_id = fields.Integer(load_default=None)
