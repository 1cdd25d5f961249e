"""The sanction procedures as the pages show them (процедури по налагане на санкции): the list and one procedure.

The director and the deputies see every procedure, a class teacher those of the classes they lead
(Чл. 97, т. 14; Чл. 56–60). Each procedure is ``procedures.sanction_view``, as ``GET /sanctions/{id}``
answers it; a list reads its students and school years once, so its statements do not grow with
the number of procedures.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.register.models.people import SchoolClass, Student
from services.register.models.sanctions import SanctionRecord
from services.register.models.school import SchoolYear
from services.register.people.access import is_class_teacher
from services.register.sanctions.procedures import check_step_owner, load_row, sanction_view
from services.register.sanctions.rules.kinds import Role, SanctionPolicy, SanctionType
from services.register.sanctions.rules.steps import StepName
from shared.auth.principal import Principal
from shared.errors import NotAllowedError


@dataclasses.dataclass
class Item:
    """One procedure of the list: the student, the view of ``GET /sanctions/{id}`` and its next step."""

    student: Student
    view: dict[str, Any]
    #: The first step open now (with its due date and whether it is overdue), or None when finished.
    next_step: dict[str, Any] | None
    #: The title of the last step done.
    last_step: str | None
    #: The steps the caller may record now (several after the order: letter, appeal, erasure …), as in ``steps``.
    doable: list[dict[str, Any]] = dataclasses.field(default_factory=list)


def led_classes(session: Session, who: Principal) -> list[str]:
    """The classes whose class teacher ``who`` is (standing in where none is appointed), as ``is_class_teacher``."""
    if who.role != "class_teacher":
        return []
    return list(session.scalars(sa.select(SchoolClass.code).where(sa.or_(
        SchoolClass.class_teacher_id == who.id,
        sa.and_(SchoolClass.class_teacher_id.is_(None), SchoolClass.code.in_(who.class_codes))))))


def _item(student: Student, view: dict[str, Any]) -> Item:
    # The next step is one open now; an early erasure is optional, never "next" (Чл. 60, ал. 1).
    pending = [s for s in view["steps"] if s["done_at"] is None and s["name"] in view["available_steps"]
               and s["name"] != "erasure_proposal"]
    done = [s for s in view["steps"] if s["done_at"] is not None]
    return Item(student, view, pending[0] if pending else None, done[-1]["title"] if done else None)


def procedures_of(session: Session, who: Principal, today: dt.date,
                  policy: SanctionPolicy | None = None) -> list[Item]:
    """The procedures the caller follows, the newest first (four statements, whatever their number)."""
    stmt = (sa.select(SanctionRecord, Student).join(Student, Student.id == SanctionRecord.student_id)
            .order_by(SanctionRecord.proposed_on.desc(), SanctionRecord.id.desc()))
    if not who.is_management:
        stmt = stmt.where(Student.class_code.in_(led_classes(session, who)))
    years = list(session.scalars(sa.select(SchoolYear)))
    return [_item(student, sanction_view(session, row, today, student=student, years=years, policy=policy))
            for row, student in session.execute(stmt).all()]


def open_procedure(session: Session, who: Principal, sanction_id: int, today: dt.date,
                   policy: SanctionPolicy | None = None) -> tuple[Item, bool]:
    """One procedure for the management or the student's class teacher, and may the caller do its next step.

    ``item.doable`` lists every step open now that the caller may record (Чл. 56–60).
    """
    row = load_row(session, sanction_id)
    student = session.get(Student, row.student_id)
    if not (who.is_management or is_class_teacher(session, who, student.class_code)):
        raise NotAllowedError("Процедурите за налагане на санкции следят ръководството и класният ръководител "
                              "на ученика (Чл. 56–60).")
    item = _item(student, sanction_view(session, row, today, student=student, policy=policy))
    by_name = {s["name"]: s for s in item.view["steps"]}
    for name in item.view["available_steps"]:
        try:
            check_step_owner(session, who, StepName(name), SanctionType(row.type), student.class_code)
        except NotAllowedError:
            continue
        item.doable.append(by_name[name])
    return item, bool(item.doable)


def proposable(session: Session, who: Principal) -> tuple[list[tuple[str, str]], list[Student]]:
    """What the caller may open a procedure for: the types they propose and the students (Чл. 56, ал. 1).

    A class teacher proposes a remark for a student of their class; the management enters the
    pedagogical council's proposals for the other sanctions, for any student.
    """
    if who.is_management:
        kinds = [k for k in SanctionType if k.proposer is Role.PEDAGOGICAL_COUNCIL]
        stmt = sa.select(Student)
    else:
        kinds = [k for k in SanctionType if k.proposer is Role.CLASS_TEACHER]
        stmt = sa.select(Student).where(Student.class_code.in_(led_classes(session, who)))
    students = list(session.scalars(stmt.where(Student.active.is_(True))
                                    .order_by(Student.class_code, Student.last_name, Student.first_name)))
    return [(k.value, f"{k.name_bg} ({k.article})") for k in kinds], students


def needs_child_protection(kind: str) -> bool:
    """The opening of these procedures is notified to child protection as well (Чл. 57, ал. 1)."""
    return SanctionType(kind) in SanctionPolicy().child_protection_types


def needs_protocol(kind: str, step: str) -> bool:
    """The council's decisions carry its protocol number (Чл. 56, ал. 1; Чл. 20, ал. 1, т. 23)."""
    return step in ("decision", "erasure_proposal") and SanctionType(kind).proposer is Role.PEDAGOGICAL_COUNCIL
