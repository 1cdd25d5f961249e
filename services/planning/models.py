"""Planning's tables: the annual plan's hierarchy and tracked items (activities and procedures alike).

Every normalised value of an imported plan keeps the cell's wording next to it (``*_raw``): the plan
is a document adopted by the pedagogical council, and people want to see what it says.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import new_base
from shared.platform_models import platform_tables, utcnow

Base = new_base()


TABLES = platform_tables(Base)


class Procedure(Base):
    """процедура: a time-bound duty announced by another service (``procedure.deadline_set``)."""

    __tablename__ = "procedures"
    __table_args__ = (sa.UniqueConstraint("source", "key", name="uq_procedures_source_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(sa.String(40))
    key: Mapped[str] = mapped_column(sa.String(200))
    title: Mapped[str] = mapped_column(sa.String(500))
    due: Mapped[dt.date] = mapped_column(sa.Date, index=True)
    responsible_roles: Mapped[list] = mapped_column(sa.JSON, default=list)
    article: Mapped[str] = mapped_column(sa.String(80), default="")
    student_id: Mapped[int | None] = mapped_column(sa.Integer)
    #: the class whose class teacher is responsible (D05, D06), if the duty belongs to one class
    class_code: Mapped[str | None] = mapped_column(sa.String(20))
    status: Mapped[str] = mapped_column(sa.String(16), default="open")
    done_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    #: the day the sweep first found it past its deadline (a missed deadline)
    overdue_since: Mapped[dt.date | None] = mapped_column(sa.Date)
    details: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class AbsencesFinalised(Base):
    """The day up to which a class's absences are finalised (Чл. 97, т. 9), from ``register.absences_finalised``.

    A day's D05 duty that arrives after its class was finalised past it (events handled out of
    order) is not opened: the class teacher has finalised that day already.
    """

    __tablename__ = "absences_finalised"

    class_code: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    through: Mapped[dt.date] = mapped_column(sa.Date)


class Plan(Base):
    """годишен план за дейността of one school year; a re-import updates it in place."""

    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_year: Mapped[str] = mapped_column(sa.String(9), unique=True)
    declared_school_year: Mapped[str | None] = mapped_column(sa.String(9))
    source_filename: Mapped[str] = mapped_column(sa.String(300), default="")
    source_sha256: Mapped[str] = mapped_column(sa.String(64), default="")
    warnings: Mapped[list] = mapped_column(sa.JSON, default=list)
    #: rows kept verbatim because they fit nowhere: [{"rows": [...], "cells": [...]}]
    unparsed: Mapped[list] = mapped_column(sa.JSON, default=list)
    imported_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    imported_by: Mapped[int | None] = mapped_column(sa.Integer)
    imports: Mapped[int] = mapped_column(sa.Integer, default=1)


class PriorityArea(Base):
    """приоритетно направление I … VI of the activities table."""

    __tablename__ = "plan_priorities"
    __table_args__ = (sa.UniqueConstraint("plan_id", "numeral"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id"), index=True)
    numeral: Mapped[str] = mapped_column(sa.String(8))
    ordinal: Mapped[int] = mapped_column(sa.Integer)
    title: Mapped[str] = mapped_column(sa.Text)
    title_raw: Mapped[str] = mapped_column(sa.Text)


class Goal(Base):
    """цел with its мерки (a goal has one or more measures; each keeps its wording)."""

    __tablename__ = "plan_goals"
    __table_args__ = (sa.UniqueConstraint("plan_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id"), index=True)
    priority_id: Mapped[int] = mapped_column(sa.ForeignKey("plan_priorities.id"))
    key: Mapped[str] = mapped_column(sa.String(40))
    number: Mapped[str] = mapped_column(sa.String(20))
    number_raw: Mapped[str] = mapped_column(sa.String(60))
    ordinal: Mapped[int] = mapped_column(sa.Integer)
    text: Mapped[str] = mapped_column(sa.Text)
    text_raw: Mapped[str] = mapped_column(sa.Text)
    #: [{"text", "text_raw"}]
    measures: Mapped[list] = mapped_column(sa.JSON, default=list)


class Activity(Base):
    """дейност / поддейност of the plan with its deadline, indicators, responsible parties and progress."""

    __tablename__ = "plan_activities"
    __table_args__ = (sa.UniqueConstraint("plan_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id"), index=True)
    goal_id: Mapped[int] = mapped_column(sa.ForeignKey("plan_goals.id"))
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("plan_activities.id"))
    key: Mapped[str] = mapped_column(sa.String(80))
    ordinal: Mapped[int] = mapped_column(sa.Integer)
    priority: Mapped[str] = mapped_column(sa.String(8))
    number: Mapped[str] = mapped_column(sa.String(20))
    number_raw: Mapped[str] = mapped_column(sa.String(60))
    level: Mapped[int] = mapped_column(sa.Integer)
    text: Mapped[str] = mapped_column(sa.Text)
    text_raw: Mapped[str] = mapped_column(sa.Text)
    deadline_raw: Mapped[str] = mapped_column(sa.Text, default="")
    deadline_text: Mapped[str] = mapped_column(sa.Text, default="")
    deadline_kind: Mapped[str] = mapped_column(sa.String(16))
    start: Mapped[dt.date | None] = mapped_column(sa.Date)
    #: the due date the plan's wording gives (None for "needs a date" and empty deadlines)
    plan_due: Mapped[dt.date | None] = mapped_column(sa.Date)
    #: a date a person entered (for relative and legal deadlines, or a changed one)
    due_manual: Mapped[dt.date | None] = mapped_column(sa.Date)
    #: the director accepted, in the import's preview, that this activity has no date (not "needs a date")
    undated_accepted: Mapped[bool] = mapped_column(sa.Boolean, default=False, server_default=sa.false())
    milestones: Mapped[list] = mapped_column(sa.JSON, default=list)
    unit_raw: Mapped[str] = mapped_column(sa.Text, default="")
    unit: Mapped[str] = mapped_column(sa.Text, default="")
    unit_kind: Mapped[str] = mapped_column(sa.String(16), default="none")
    baseline_raw: Mapped[str] = mapped_column(sa.Text, default="")
    baseline: Mapped[str] = mapped_column(sa.Text, default="")
    target_raw: Mapped[str] = mapped_column(sa.Text, default="")
    target: Mapped[str] = mapped_column(sa.Text, default="")
    target_kind: Mapped[str] = mapped_column(sa.String(16), default="none")
    #: every indicator of the cell with raw and normalised values (VI/1.1 has two)
    indicators: Mapped[list] = mapped_column(sa.JSON, default=list)
    responsible_raw: Mapped[str] = mapped_column(sa.Text, default="")
    #: [{"role", "title", "subject", "external"}]
    responsible: Mapped[list] = mapped_column(sa.JSON, default=list)
    responsible_roles: Mapped[list] = mapped_column(sa.JSON, default=list)
    #: users the management named for this activity; empty: everyone with a responsible role
    assignee_ids: Mapped[list] = mapped_column(sa.JSON, default=list)
    note: Mapped[str] = mapped_column(sa.Text, default="")
    source_rows: Mapped[list] = mapped_column(sa.JSON, default=list)
    source_lines: Mapped[list] = mapped_column(sa.JSON, default=list)
    #: planned | in_progress | done | cancelled (overdue and needs_date are derived)
    status: Mapped[str] = mapped_column(sa.String(16), default="planned")
    #: the value reached so far (текуща стойност as reported), None until someone reports
    current: Mapped[str | None] = mapped_column(sa.Text)
    done_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    overdue_since: Mapped[dt.date | None] = mapped_column(sa.Date)
    #: no longer in the latest import of the plan (kept with its history, not listed)
    removed: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    updated_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    @property
    def due(self) -> dt.date | None:
        return self.due_manual or self.plan_due


class ActivityChange(Base):
    """история: one PATCH of an activity, field by field ({"status": ["planned", "done"]})."""

    __tablename__ = "activity_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(sa.ForeignKey("plan_activities.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    actor_id: Mapped[int] = mapped_column(sa.Integer)
    actor_name: Mapped[str] = mapped_column(sa.String(200), default="")
    changes: Mapped[dict] = mapped_column(sa.JSON, default=dict)


class Evidence(Base):
    """доказателство за изпълнение: a note, a file, or both."""

    __tablename__ = "activity_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(sa.ForeignKey("plan_activities.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    actor_id: Mapped[int] = mapped_column(sa.Integer)
    note: Mapped[str] = mapped_column(sa.Text, default="")
    filename: Mapped[str | None] = mapped_column(sa.String(300))
    content_type: Mapped[str | None] = mapped_column(sa.String(120))
    size: Mapped[int] = mapped_column(sa.Integer, default=0)
    content: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)


class ReminderSent(Base):
    """A reminder already published: one per item, state and due date, so a second sweep sends none."""

    __tablename__ = "reminders_sent"
    __table_args__ = (sa.UniqueConstraint("item_kind", "item_id", "state", "due"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_kind: Mapped[str] = mapped_column(sa.String(16))
    item_id: Mapped[int] = mapped_column(sa.Integer)
    state: Mapped[str] = mapped_column(sa.String(16))
    due: Mapped[dt.date] = mapped_column(sa.Date)
    sent_on: Mapped[dt.date] = mapped_column(sa.Date)
    message_id: Mapped[str] = mapped_column(sa.String(36))


class SweepRun(Base):
    """When the planning sweep first and last ran (for the sweep-stale alert and for back-filling)."""

    __tablename__ = "sweep_runs"

    name: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    first_run_on: Mapped[dt.date] = mapped_column(sa.Date)
    last_run_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))
    runs: Mapped[int] = mapped_column(sa.Integer, default=0)


class SchoolCopy(Base):
    """The school's identity as register announced it (register.school_saved), for the report's letterhead."""

    __tablename__ = "school"

    id: Mapped[int] = mapped_column(primary_key=True)
    data: Mapped[dict] = mapped_column(sa.JSON)


class SchoolYearCopy(Base):
    """A school year's calendar from register (register.school_year_saved)."""

    __tablename__ = "school_years"

    name: Mapped[str] = mapped_column(sa.String(9), primary_key=True)
    start: Mapped[dt.date] = mapped_column(sa.Date)
    end: Mapped[dt.date] = mapped_column(sa.Date)
    terms: Mapped[list] = mapped_column(sa.JSON, default=list)


class PlanReport(Base):
    """An end-of-year execution report asked of documents; ``document_id`` arrives with document_ready."""

    __tablename__ = "plan_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id"), index=True)
    requested_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    requested_by: Mapped[int] = mapped_column(sa.Integer)
    message_id: Mapped[str] = mapped_column(sa.String(36), unique=True)
    document_id: Mapped[int | None] = mapped_column(sa.Integer)
    number: Mapped[str | None] = mapped_column(sa.String(60))
    #: Why documents could not draw it up (``documents.document_failed``), in Bulgarian; None while it may.
    failure: Mapped[str | None] = mapped_column(sa.Text)
