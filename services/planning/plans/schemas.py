"""Schemas of the annual plan's API: import, plans, activities, progress, reports."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate
from marshmallow.validate import OneOf

from shared.web.fields import UtcDateTime

#: Statuses a person sets (спец. annual-plan.md §2); "overdue" and "needs_date" are derived.
ACTIVITY_STATUSES = ("planned", "in_progress", "done", "cancelled")


class ImportResultSchema(Schema):
    plan_id = fields.Integer()
    activities = fields.Integer()
    warnings = fields.List(fields.String())


class PreviewColumnSchema(Schema):
    heading = fields.String()
    meaning = fields.String()


class PreviewActivitySchema(Schema):
    key = fields.String()
    priority = fields.String()
    section = fields.String()
    number = fields.String()
    text = fields.String()
    deadline_text = fields.String()
    start = fields.Date(allow_none=True)
    due = fields.Date(allow_none=True)
    milestones = fields.List(fields.Date())
    #: dated | needs_date | none
    status = fields.String()
    #: why a row has no date ("повтаряща се дейност — няма една крайна дата")
    reason = fields.String()
    rows = fields.List(fields.Integer())


class PreviewSchema(Schema):
    """What the import understood, before anything is stored."""

    school_year = fields.String()
    declared_school_year = fields.String(allow_none=True)
    columns = fields.List(fields.Nested(PreviewColumnSchema))
    activities = fields.List(fields.Nested(PreviewActivitySchema))
    undated = fields.List(fields.Nested(PreviewActivitySchema))
    warnings = fields.List(fields.String())


class PlanSchema(Schema):
    id = fields.Integer()
    school_year = fields.String()
    declared_school_year = fields.String(allow_none=True)
    source_filename = fields.String()
    imported_at = UtcDateTime()
    imports = fields.Integer()
    activities = fields.Integer()
    warnings = fields.List(fields.String())
    priorities = fields.List(fields.Dict())


class ActivitySchema(Schema):
    """The contract's fields first; the rest keeps the plan's wording next to what was made of it."""

    id = fields.Integer()
    priority = fields.String()
    number = fields.String()
    text = fields.String()
    deadline_text = fields.String()
    due = fields.Date(allow_none=True)
    unit = fields.String()
    current = fields.String(allow_none=True)
    target = fields.String()
    responsible = fields.List(fields.String())
    status = fields.String()
    key = fields.String()
    plan_id = fields.Integer()
    goal = fields.String()
    level = fields.Integer()
    parent_id = fields.Integer(allow_none=True)
    number_raw = fields.String()
    text_raw = fields.String()
    deadline_raw = fields.String()
    deadline_kind = fields.String()
    start = fields.Date(allow_none=True)
    milestones = fields.List(fields.String())
    needs_date = fields.Boolean()
    unit_raw = fields.String()
    baseline = fields.String()
    baseline_raw = fields.String()
    target_raw = fields.String()
    indicators = fields.List(fields.Dict())
    responsible_raw = fields.String()
    responsible_titles = fields.List(fields.String())
    assignee_ids = fields.List(fields.Integer())
    done_on = fields.Date(allow_none=True)
    overdue_since = fields.Date(allow_none=True)


class ActivityQuerySchema(Schema):
    mine = fields.Boolean(load_default=False)
    status = fields.String(load_default=None)
    priority = fields.String(load_default=None)


def _current(value) -> None:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValidationError("Очаква се число или текст.")
    if isinstance(value, str) and not value.strip():
        raise ValidationError("Стойността не може да е празна.")


class ActivityPatchSchema(Schema):
    """Progress (напредък): what was reached, the status, a note of evidence; management may set due and people."""

    current = fields.Raw(validate=_current)
    status = fields.String(validate=OneOf(ACTIVITY_STATUSES, error="Позволени стойности: planned (планирана), "
                                          "in_progress (в изпълнение), done (изпълнена), cancelled (отменена)."))
    evidence = fields.String(validate=validate.Length(min=1, max=4000))
    due = fields.Date(allow_none=True)
    assignee_ids = fields.List(fields.Integer())


class ChangeSchema(Schema):
    at = UtcDateTime()
    actor_id = fields.Integer()
    actor_name = fields.String()
    changes = fields.Dict()


class EvidenceSchema(Schema):
    id = fields.Integer()
    at = UtcDateTime()
    actor_id = fields.Integer()
    note = fields.String()
    filename = fields.String(allow_none=True)
    content_type = fields.String(allow_none=True)
    size = fields.Integer()


class HistorySchema(Schema):
    changes = fields.List(fields.Nested(ChangeSchema))
    evidence = fields.List(fields.Nested(EvidenceSchema))


class ReportRequestSchema(Schema):
    council_protocol = fields.String(required=True, validate=validate.Length(min=1, max=100))
    prepared_on = fields.Date(load_default=None)


class ReportSchema(Schema):
    id = fields.Integer()
    plan_id = fields.Integer()
    requested_at = UtcDateTime()
    document_id = fields.Integer(allow_none=True)
    number = fields.String(allow_none=True)
    #: Why documents could not draw the report up (``documents.document_failed``); None while it may.
    failure = fields.String(allow_none=True)
