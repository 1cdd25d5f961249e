"""Schemas of the notifications API."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from shared.web.fields import UtcDateTime


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
    created_at = UtcDateTime()
    sent_at = UtcDateTime(allow_none=True)
    #: ``guardian`` or ``staff``: whom the message was for.
    audience = fields.String()
    #: Held back by quiet hours until then (absent when not held).
    not_before = UtcDateTime(allow_none=True)
    #: For the daily digest: the day the notice waits for.
    digest_day = fields.Date(allow_none=True)
    #: In-app inbox: when the parent read it (the read receipt).
    read_at = UtcDateTime(allow_none=True)


class InboxMessageSchema(Schema):
    id = fields.Integer()
    subject = fields.String()
    body = fields.String()
    student_id = fields.Integer(allow_none=True)
    article = fields.String(allow_none=True)
    created_at = UtcDateTime()
    read_at = UtcDateTime(allow_none=True)


class PreferencesSchema(Schema):
    #: Channels in order of preference, e.g. ``["email", "sms"]``; names of installed channels.
    channels = fields.List(fields.String(validate=validate.Length(min=1, max=32)), required=True,
                           validate=validate.Length(min=1, max=5))
    #: Stop optional notices (per-absence); the rulebook's obligatory notices still go.
    opted_out = fields.Boolean(load_default=False)
    #: Optional notices once a day as one message (at ``SCHOOL_DIGEST_TIME``) instead of one by one.
    digest = fields.Boolean(load_default=False)
