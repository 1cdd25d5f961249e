"""One account with a password for each role of the demo school, so a newcomer can sign in.

Chosen so each has something to see: the class teacher of the class with the most unexcused
absences, the parent of a child with absences and grades. The passwords are made anew for each
data folder (never a default password a real school could be left with) and shown once.
"""

from __future__ import annotations

import dataclasses
import secrets

import sqlalchemy as sa

from services.register.models.absences import Absence
from services.register.models.assessment import Grade
from services.register.models.people import Guardian, SchoolClass, Student, User
from services.register.people.users import create_user, set_password
from shared.auth.principal import SYSTEM
from shared.runtime import ServiceRuntime

#: The order the accounts are printed in.
ROLE_ORDER = ("director", "deputy_director", "secretary", "class_teacher", "teacher", "psychologist", "parent",
              "it_admin")


@dataclasses.dataclass(frozen=True)
class DemoAccount:
    role: str
    name: str
    password: str
    note: str = ""


def _password() -> str:
    return secrets.token_urlsafe(9)


def _first_of_role(s, role: str) -> User:
    return s.scalars(sa.select(User).where(User.role == role).order_by(User.id)).first()


def create_accounts(rt: ServiceRuntime, context: dict) -> None:
    """Give a password to one user of each role (adding a parent and an IT administrator)."""
    with rt.db.sessions() as s:
        if s.scalar(sa.select(User.id).where(User.password_hash.is_not(None))) is not None:
            return  # accounts were made before (or the school is real): nothing to show again
        unexcused = (sa.select(Student.class_code, sa.func.count(Absence.id).label("marks"))
                     .join(Absence, Absence.student_id == Student.id).where(Absence.kind == "unexcused")
                     .group_by(Student.class_code).order_by(sa.desc("marks")).limit(1))
        busiest = s.execute(unexcused).first()
        class_teacher_id = s.scalar(sa.select(SchoolClass.class_teacher_id).where(SchoolClass.code == busiest[0]))
        child = s.execute(
            sa.select(Student.id, Student.class_code).join(Absence, Absence.student_id == Student.id)
            .where(Student.id.in_(sa.select(Grade.student_id)))
            .group_by(Student.id, Student.class_code).order_by(sa.desc(sa.func.count(Absence.id))).limit(1)).first()
        guardian = s.scalar(sa.select(Guardian.name).where(Guardian.student_id == child[0]).order_by(Guardian.id))
        chosen = {role: _first_of_role(s, role) for role in ("director", "deputy_director", "secretary", "teacher",
                                                              "psychologist")}
        chosen["class_teacher"] = s.get(User, class_teacher_id)
        chosen = {role: (user.id, user.name) for role, user in chosen.items()}
    accounts = []
    for role, (user_id, name) in chosen.items():
        password = _password()
        set_password(rt, SYSTEM, user_id, password)
        note = f"паралелка {busiest[0]}" if role == "class_teacher" else ""
        accounts.append(DemoAccount(role, name, password, note))
    for role, name, students, note in (("parent", guardian, [child[0]], f"дете в {child[1]} клас"),
                                       ("it_admin", "Иван Димитров", [], "")):
        password = _password()
        with rt.db.transaction() as s:
            create_user(rt, s, name=name, role=role, student_ids=students, email=None, password=password)
        accounts.append(DemoAccount(role, name, password, note))
    context["accounts"] = sorted(accounts, key=lambda a: ROLE_ORDER.index(a.role))
