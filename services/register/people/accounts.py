"""Managing the school's accounts (потребители) from the users page: who may manage whom, and the rules.

The changes themselves are :mod:`services.register.people.users`' functions, the same ones
``schoolctl users`` calls; the caller then sends the committed identity events with
``propagate(rt, urgent_events(session))`` so that every service applies them at once.

The IT administrator and the director manage users (``../shared/spec/web-ui.md``); a director
manages neither an IT administrator's account nor the role itself: the administrator keeps the
system, the director the school.
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.register.models.people import Assignment, SchoolClass, Student, User
from services.register.people import users
from shared.auth.credentials import verify_password
from shared.auth.principal import Principal
from shared.auth.roles import ROLES
from shared.errors import ConflictError, InvalidInputError, NotAllowedError, NotFoundError
from shared.runtime import ServiceRuntime

#: Who opens the users page.
MANAGERS: tuple[str, ...] = ("it_admin", "director")
#: Roles whose scope is a set of classes (the classes they teach; a class teacher's own class among them).
CLASS_ROLES = ("teacher", "class_teacher")
#: Letters of a one-time password: no 0/o, 1/l/i, so that it can be read out and typed.
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
#: The shortest password a user may choose (as ``schoolctl users add --password-stdin``).
MIN_PASSWORD = 8


def one_time_password() -> str:
    """Like ``k7pm-2xqa-9hbt``: 12 random letters (≈ 58 bits), shown once and stored only hashed."""
    return "-".join("".join(secrets.choice(_ALPHABET) for _ in range(4)) for _ in range(3))


def assignable_roles(by: Principal) -> tuple[str, ...]:
    """The roles ``by`` may give: a director every role but the IT administrator's."""
    return ROLES if by.role == "it_admin" else tuple(r for r in ROLES if r != "it_admin")


def _check_may_manage(by: Principal, user: User) -> None:
    if by.role != "it_admin" and user.role == "it_admin":
        raise NotAllowedError("Профилите на администраторите управлява само администратор.")


def _scope(session: Session, by: Principal, role: str, class_codes: list[str], student_ids: list[int],
           ) -> tuple[list[str], list[int]]:
    """Validate the role and the scope it needs; the scope a role does not use is dropped."""
    if role not in assignable_roles(by):
        raise InvalidInputError({"role": ["Изберете роля от списъка."]})
    classes = sorted(set(class_codes)) if role in CLASS_ROLES else []
    children = sorted(set(student_ids)) if role == "parent" else []
    known = set(session.scalars(sa.select(SchoolClass.code).where(SchoolClass.code.in_(classes))))
    if unknown := [code for code in classes if code not in known]:
        raise InvalidInputError({"class_codes": [f"Няма паралелка {', '.join(unknown)}."]})
    if role == "class_teacher" and not classes:
        raise InvalidInputError({"class_codes": ["Изберете паралелката на класния ръководител."]})
    found = set(session.scalars(sa.select(Student.id).where(Student.id.in_(children))))
    if role == "parent" and (not children or found != set(children)):
        raise InvalidInputError({"student_ids": ["Изберете поне едно дете (потърсете ученика по име)."]})
    return classes, children


def add_account(rt: ServiceRuntime, session: Session, by: Principal, *, name: str, role: str,
                class_codes: list[str], student_ids: list[int]) -> tuple[int, str]:
    """A new user with a one-time password (returned, to be shown once); they change it at the first sign-in."""
    name = " ".join(name.split())
    if not 1 <= len(name) <= 200:
        raise InvalidInputError({"name": ["Въведете име (до 200 знака)."]})
    classes, children = _scope(session, by, role, class_codes, student_ids)
    # Signing in is by name: a second active user of the same name could sign in as neither.
    if session.scalar(sa.select(User.id).where(User.name == name, User.active.is_(True))):
        raise ConflictError("Вече има активен потребител с това име; добавете напр. презиме.", "name")
    password = one_time_password()
    user, _token = users.create_user(rt, session, name=name, role=role, class_codes=classes, student_ids=children,
                                     password=password, by=by, must_change_password=True)
    return user.id, password


def change_account(rt: ServiceRuntime, session: Session, by: Principal, user_id: int, *, role: str,
                   class_codes: list[str], student_ids: list[int]) -> User:
    user = _user(session, user_id)
    _check_may_manage(by, user)
    if user.id == by.id and role != user.role:
        raise InvalidInputError({"role": ["Не можете да промените собствената си роля."]})
    classes, children = _scope(session, by, role, class_codes, student_ids)
    return users.change_user(rt, session, user_id, role=role, class_codes=classes, student_ids=children, by=by)


def reset_password(rt: ServiceRuntime, by: Principal, user_id: int) -> str:
    """„Нова парола“: a one-time password, returned to be shown once; the old one stops working."""
    with rt.db.sessions() as s:
        user = _user(s, user_id)
        _check_may_manage(by, user)
        if not user.active:
            raise ConflictError("Потребителят е деактивиран.")
    password = one_time_password()
    users.set_password(rt, by, user_id, password, one_time=True)
    return password


def deactivate_account(rt: ServiceRuntime, session: Session, by: Principal, user_id: int) -> bool:
    """„Деактивирай“, as ``schoolctl users deactivate``; False if the user was already inactive."""
    user = _user(session, user_id)
    _check_may_manage(by, user)
    if user.id == by.id:
        raise ConflictError("Не можете да деактивирате собствения си профил.")
    return users.deactivate_user(rt, session, user_id, by)


def change_own_password(rt: ServiceRuntime, by: Principal, current: str, new: str, repeated: str) -> None:
    """„Смяна на паролата“: the current password, then a new one of at least 8 characters, twice."""
    with rt.db.sessions() as s:
        user = _user(s, by.id)
        errors: dict[str, list[str]] = {}
        if not (user.password_hash and verify_password(user.password_hash, current)):
            errors["current"] = ["Текущата парола не е вярна."]
        if len(new) < MIN_PASSWORD:
            errors["new"] = [f"Новата парола трябва да е поне {MIN_PASSWORD} знака."]
        elif new == current:
            errors["new"] = ["Новата парола трябва да е различна от текущата."]
        elif new != repeated:
            errors["repeated"] = ["Двете нови пароли не съвпадат."]
    if errors:
        raise InvalidInputError(errors)
    users.set_password(rt, by, by.id, new)


def _user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFoundError("Няма такъв потребител.")
    return user


# -- reads of the users page ------------------------------------------------------------------
def list_accounts(session: Session, *, text: str = "", role: str = "", state: str = "") -> list[dict]:
    """The users, filtered by a part of the name, the role and active/inactive; with what each may see."""
    query = sa.select(User).order_by(User.active.desc(), User.name, User.id)
    if role in ROLES:
        query = query.where(User.role == role)
    if state in ("active", "inactive"):
        query = query.where(User.active.is_(state == "active"))
    # Matched here, not in SQL: SQLite's lower() folds only ASCII, and names are Cyrillic.
    needle = text.strip().casefold()
    rows = [u for u in session.scalars(query) if needle in u.name.casefold()]
    child_ids = {sid for u in rows for sid in u.student_ids}
    children = {s.id: s for s in session.scalars(sa.select(Student).where(Student.id.in_(child_ids)))}
    teaching: dict[int, list[str]] = {}
    for teacher_id, code, subject in session.execute(
            sa.select(Assignment.teacher_id, Assignment.class_code, Assignment.subject)
            .where(Assignment.teacher_id.in_([u.id for u in rows])).order_by(Assignment.class_code)):
        teaching.setdefault(teacher_id, []).append(f"{subject} ({code})")
    return [{"id": u.id, "name": u.name, "role": u.role, "active": u.active, "classes": list(u.class_codes),
             "children": [children[sid] for sid in u.student_ids if sid in children],
             "teaching": teaching.get(u.id, []), "last_sign_in_at": u.last_sign_in_at,
             "must_change_password": u.must_change_password}
            for u in rows]


def account(session: Session, user_id: int) -> dict:
    user = _user(session, user_id)
    [found] = [a for a in list_accounts(session, text=user.name) if a["id"] == user_id]
    return found


def class_codes(session: Session) -> list[str]:
    return list(session.scalars(sa.select(SchoolClass.code).order_by(SchoolClass.grade, SchoolClass.code)))


def find_students(session: Session, text: str, limit: int = 20) -> list[Student]:
    """Students whose name holds ``text`` (two letters at least), for linking a parent to a child."""
    words = text.strip().casefold().split()
    if not words or len("".join(words)) < 2:
        return []
    query = sa.select(Student).where(Student.active.is_(True)).order_by(
        Student.class_code, Student.first_name, Student.last_name, Student.id)
    # In Python, as the users' names: SQLite cannot fold Cyrillic letters.
    found = [s for s in session.scalars(query) if all(w in s.full_name.casefold() for w in words)]
    return found[:limit]


def students_by_id(session: Session, ids: list[int]) -> list[Student]:
    return list(session.scalars(sa.select(Student).where(Student.id.in_(ids)).order_by(Student.class_code, Student.id)))
