"""The people of the register: user accounts, classes, teaching assignments, students and guardians.

ЕГН is stored here (it is the register) and never leaves it except in the НЕИСПУО export; it is
never logged or put into events.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from services.register.models.base import Base
from shared.platform_models import utcnow

#: The longest postal address of a guardian: a town, a street, a block, an entrance, a flat.
ADDRESS_MAX = 300


class User(Base):
    """потребител: the source of identity; other services keep replicas from events."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    role: Mapped[str] = mapped_column(sa.String(32))
    email: Mapped[str | None] = mapped_column(sa.String(200))
    password_hash: Mapped[str | None] = mapped_column(sa.String(200))
    class_codes: Mapped[list] = mapped_column(sa.JSON, default=list)
    student_ids: Mapped[list] = mapped_column(sa.JSON, default=list)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    #: A one-time password was given (a new user, „Нова парола“): the user changes it at the next sign-in.
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    #: Последно влизане: when the user last signed in with their password (None: never, or before this was kept).
    last_sign_in_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))


class SchoolClass(Base):
    """паралелка, e.g. 10а."""

    __tablename__ = "classes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(8), unique=True)
    grade: Mapped[int] = mapped_column(sa.SmallInteger)
    class_teacher_id: Mapped[int | None] = mapped_column(sa.Integer)


class Assignment(Base):
    """Who teaches which subject in which class, with the curriculum's weekly hours per term."""

    __tablename__ = "assignments"
    __table_args__ = (sa.UniqueConstraint("class_code", "subject", "teacher_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    teacher_id: Mapped[int] = mapped_column(sa.Integer, index=True)
    class_code: Mapped[str] = mapped_column(sa.String(8), index=True)
    subject: Mapped[str] = mapped_column(sa.String(120))
    weekly_hours: Mapped[dict] = mapped_column(sa.JSON, default=dict)


class Student(Base):
    """ученик."""

    __tablename__ = "students"

    id: Mapped[int] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(sa.String(100))
    middle_name: Mapped[str] = mapped_column(sa.String(100), default="")
    last_name: Mapped[str] = mapped_column(sa.String(100))
    egn: Mapped[str] = mapped_column(sa.String(10), unique=True)
    id_type: Mapped[str] = mapped_column(sa.String(4), default="egn")
    birth_date: Mapped[dt.date] = mapped_column(sa.Date)
    class_code: Mapped[str] = mapped_column(sa.String(8), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    #: Отписан на: the НЕИСПУО file lists a student deregistered in the month with this date.
    deregistered_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    #: The ground of the director's decision to deregister (Чл. 25, ал. 4, т. 1–4), e.g. ``nonattendance``.
    deregistration_ground: Mapped[str | None] = mapped_column(sa.String(20))

    @property
    def full_name(self) -> str:
        return full_name(self.first_name, self.middle_name, self.last_name)


def full_name(first: str, middle: str | None, last: str) -> str:
    """Име, презиме, фамилия, skipping a missing middle name."""
    return " ".join(p for p in (first, middle, last) if p)


class Guardian(Base):
    """родител или настойник."""

    __tablename__ = "guardians"

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(sa.ForeignKey("students.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    email: Mapped[str | None] = mapped_column(sa.String(200))
    phone: Mapped[str | None] = mapped_column(sa.String(50))
    #: The postal address a paper letter is posted to (personal data: never logged nor audited).
    address: Mapped[str | None] = mapped_column(sa.String(ADDRESS_MAX))
