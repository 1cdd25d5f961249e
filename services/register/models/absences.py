"""The absence tables (отсъствия): marks, their history, excuses, running counters and rule firings."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from services.register.models.base import Base
from shared.platform_models import utcnow


class Absence(Base):
    """отсъствие: one student, one lesson.  Corrections keep their history in ``absence_history``."""

    __tablename__ = "absences"
    __table_args__ = (
        sa.UniqueConstraint("student_id", "date", "lesson", name="uq_absences_student_date_lesson"),
        sa.Index("ix_absences_date", "date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: No index of its own: the unique key (student, date, lesson) starts with it and serves its lookups.
    student_id: Mapped[int] = mapped_column(sa.ForeignKey("students.id"))
    date: Mapped[dt.date] = mapped_column(sa.Date)
    lesson: Mapped[int] = mapped_column(sa.SmallInteger)
    subject: Mapped[str] = mapped_column(sa.String(120))
    kind: Mapped[str] = mapped_column(sa.String(10))
    recorded_by: Mapped[int] = mapped_column(sa.Integer)
    recorded_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class AbsenceCounter(Base):
    """Unexcused half-hours of one student in one counting period, kept up to date on every change.

    Rules compare against these running totals, so evaluating a change costs the same whether the
    register holds a hundred absences or a million.
    """

    __tablename__ = "absence_counters"
    __table_args__ = (sa.UniqueConstraint("student_id", "period_kind", "period_key", name="uq_absence_counters"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(sa.Integer)
    period_kind: Mapped[str] = mapped_column(sa.String(16))
    period_key: Mapped[str] = mapped_column(sa.String(16))
    half_hours: Mapped[int] = mapped_column(sa.Integer, default=0)


class RuleFiring(Base):
    """сработило правило: once per student, rule, threshold and period — the key is unique."""

    __tablename__ = "rule_firings"
    __table_args__ = (
        sa.UniqueConstraint("student_id", "rule_id", "threshold", "period", name="uq_rule_firings_once"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: No index of its own: the unique key (student, rule, threshold, period) starts with it.
    student_id: Mapped[int] = mapped_column(sa.Integer)
    rule_id: Mapped[str] = mapped_column(sa.String(64), index=True)
    article: Mapped[str] = mapped_column(sa.String(80))
    action: Mapped[str] = mapped_column(sa.String(32))
    threshold: Mapped[int] = mapped_column(sa.Integer)
    count: Mapped[float] = mapped_column(sa.Float)
    period: Mapped[str] = mapped_column(sa.String(16))
    message: Mapped[str] = mapped_column(sa.Text, default="")
    fired_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    #: The day of the latest mark the count includes: the end of the span the event reports.
    counted_to: Mapped[dt.date] = mapped_column(sa.Date)
    #: The ``register.rule_fired`` event that announced it; NULL while a bulk import's firing waits
    #: for :func:`services.register.absences.announcing.publish_waiting`.
    event_id: Mapped[str | None] = mapped_column(sa.String(36), index=True)


class DeregistrationReviewEnd(Base):
    """The end of a review for deregistration without the director's decision (Чл. 25, ал. 4, т. 2):
    the student came back (a lesson of his class saw him) or the streak's absences were excused, so
    the non-attendance the review is about was broken on ``broken_on``; found by the daily sweep on
    ``found_on``. One per review (its firing)."""

    __tablename__ = "deregistration_review_ends"

    firing_id: Mapped[int] = mapped_column(sa.ForeignKey("rule_firings.id"), primary_key=True)
    student_id: Mapped[int] = mapped_column(sa.Integer, index=True)
    broken_on: Mapped[dt.date] = mapped_column(sa.Date)
    found_on: Mapped[dt.date] = mapped_column(sa.Date)


class AbsenceChange(Base):
    """The history of an absence mark: every correction or excuse, with who and when."""

    __tablename__ = "absence_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    absence_id: Mapped[int] = mapped_column(sa.Integer, index=True)
    old_kind: Mapped[str | None] = mapped_column(sa.String(10))
    new_kind: Mapped[str | None] = mapped_column(sa.String(10))
    reason: Mapped[str] = mapped_column(sa.String(200), default="")
    changed_by: Mapped[int] = mapped_column(sa.Integer)
    changed_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class Excuse(Base):
    """извиняване на отсъствия (Чл. 61): a date range excused by the class teacher, with its evidence."""

    __tablename__ = "excuses"

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(sa.ForeignKey("students.id"), index=True)
    school_year: Mapped[str] = mapped_column(sa.String(9))
    date_from: Mapped[dt.date] = mapped_column(sa.Date)
    date_to: Mapped[dt.date] = mapped_column(sa.Date)
    reason: Mapped[str] = mapped_column(sa.String(16))
    article: Mapped[str] = mapped_column(sa.String(40))
    evidence: Mapped[str] = mapped_column(sa.Text)
    school_days: Mapped[int] = mapped_column(sa.Integer)
    excused_hours: Mapped[int] = mapped_column(sa.Integer)
    submitted_on: Mapped[dt.date] = mapped_column(sa.Date)
    recorded_by: Mapped[int] = mapped_column(sa.Integer)
    recorded_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    #: A proven stay in hospital, temporary incapacity or stay abroad for treatment (Чл. 61, ал. 2):
    #: ``hospital``, ``incapacity`` or ``abroad_treatment``; with 20 consecutive days or more it gives
    #: the student the extended term of the director's order on assessment.
    extended_ground: Mapped[str | None] = mapped_column(sa.String(24))


class ExcuseApplication(Base):
    """заявление от родителя за извиняване (Чл. 61, ал. 1, т. 3): pending until the class teacher decides.

    ``status`` is ``pending``, ``accepted`` (``excuse_id`` names the excuse it became) or ``refused``
    (with ``refusal_reason``). ``school_days`` is counted at submission against the yearly quota.
    """

    __tablename__ = "excuse_applications"

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(sa.ForeignKey("students.id"), index=True)
    school_year: Mapped[str] = mapped_column(sa.String(9))
    date_from: Mapped[dt.date] = mapped_column(sa.Date)
    date_to: Mapped[dt.date] = mapped_column(sa.Date)
    reason: Mapped[str] = mapped_column(sa.Text)
    school_days: Mapped[int] = mapped_column(sa.Integer)
    status: Mapped[str] = mapped_column(sa.String(10), default="pending", index=True)
    submitted_by: Mapped[int] = mapped_column(sa.Integer)
    submitted_on: Mapped[dt.date] = mapped_column(sa.Date)
    submitted_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    decided_by: Mapped[int | None] = mapped_column(sa.Integer)
    decided_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    refusal_reason: Mapped[str | None] = mapped_column(sa.Text)
    excuse_id: Mapped[int | None] = mapped_column(sa.Integer)


class AbsenceFinalisation(Base):
    """оформяне на отсъствията (Чл. 97, т. 9): the class teacher closed the class's absences up to a day.

    One row per finalisation, kept as the history; the class's absences are finalised up to the
    latest ``through``.
    """

    __tablename__ = "absence_finalisations"
    __table_args__ = (sa.Index("ix_absence_finalisations_class", "class_code", "through"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    class_code: Mapped[str] = mapped_column(sa.String(20))
    through: Mapped[dt.date] = mapped_column(sa.Date)
    finalised_by: Mapped[int] = mapped_column(sa.Integer)
    finalised_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class DirectorPermission(Base):
    """заявление за предварително разрешение на директора (Чл. 61, ал. 1, т. 4).

    The parent's motivated application, made before the absence, for up to 7 school days a year;
    ``status`` is ``pending``, ``granted`` (``excuse_id`` names the excuse that covers its days, so
    absences recorded on them later are excused as they are recorded) or ``refused``.
    ``on_paper``: the office recorded an application handed in on paper.
    """

    __tablename__ = "director_permissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(sa.ForeignKey("students.id"), index=True)
    school_year: Mapped[str] = mapped_column(sa.String(9))
    date_from: Mapped[dt.date] = mapped_column(sa.Date)
    date_to: Mapped[dt.date] = mapped_column(sa.Date)
    reasons: Mapped[str] = mapped_column(sa.Text)
    school_days: Mapped[int] = mapped_column(sa.Integer)
    status: Mapped[str] = mapped_column(sa.String(10), default="pending", index=True)
    on_paper: Mapped[bool] = mapped_column(default=False)
    submitted_by: Mapped[int] = mapped_column(sa.Integer)
    submitted_on: Mapped[dt.date] = mapped_column(sa.Date)
    submitted_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    decided_by: Mapped[int | None] = mapped_column(sa.Integer)
    decided_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    refusal_reason: Mapped[str | None] = mapped_column(sa.Text)
    excuse_id: Mapped[int | None] = mapped_column(sa.Integer)


class AssessmentConditionsOrder(Base):
    """заповед за условията и реда за оценяване (Чл. 61, ал. 2; спец. O5): one per student, term and subject.

    Recorded when the student's excused absences in a subject pass 25 % of the term's hours so that
    the term grade cannot be formed; the row keeps the duty and the document from being asked twice.
    """

    __tablename__ = "assessment_conditions_orders"
    __table_args__ = (sa.UniqueConstraint("student_id", "school_year", "term", "subject",
                                          name="uq_assessment_conditions_orders"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(sa.ForeignKey("students.id"), index=True)
    school_year: Mapped[str] = mapped_column(sa.String(9))
    term: Mapped[int] = mapped_column(sa.SmallInteger)
    subject: Mapped[str] = mapped_column(sa.String(120))
    excused_hours: Mapped[int] = mapped_column(sa.Integer)
    planned_hours: Mapped[int] = mapped_column(sa.Integer)
    #: The ground of the extended term (Чл. 61, ал. 2), if the student had one for 20 consecutive days.
    extended_ground: Mapped[str | None] = mapped_column(sa.String(24))
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class Scholarship(Base):
    """стипендия (Чл. 26, ал. 1, т. 20–23): who holds one, from when and until when, as the office records it."""

    __tablename__ = "scholarships"

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(sa.ForeignKey("students.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(200))
    date_from: Mapped[dt.date] = mapped_column(sa.Date)
    date_to: Mapped[dt.date | None] = mapped_column(sa.Date)
    recorded_by: Mapped[int] = mapped_column(sa.Integer)
    recorded_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class ScholarshipStop(Base):
    """спиране на стипендия (Чл. 26, ал. 1, т. 23): a month of 5 or more unexcused hours of a holder.

    ``ceased_in`` is the month in which the ground ceased and ``resumes_from`` the month after it,
    from which the scholarship is paid again (both ``YYYY-MM``), filled by the sweep. ``lifted_on`` is
    the day the month's unexcused hours fell below the threshold (absences excused later): the ground
    ended that day (:func:`services.register.absences.scholarships.lift_stops`).
    """

    __tablename__ = "scholarship_stops"
    __table_args__ = (sa.UniqueConstraint("student_id", "month", name="uq_scholarship_stops_student_month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(sa.ForeignKey("students.id"), index=True)
    scholarship_id: Mapped[int] = mapped_column(sa.Integer)
    month: Mapped[str] = mapped_column(sa.String(7))
    unexcused_hours: Mapped[float] = mapped_column(sa.Float)
    ceased_in: Mapped[str | None] = mapped_column(sa.String(7))
    resumes_from: Mapped[str | None] = mapped_column(sa.String(7))
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    #: The ``documents.document_requested`` of the stop order; NULL when none was asked (a bulk import).
    order_message_id: Mapped[str | None] = mapped_column(sa.String(64))
    lifted_on: Mapped[dt.date | None] = mapped_column(sa.Date)
