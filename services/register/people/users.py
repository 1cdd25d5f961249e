"""Users of the school (потребители): created here, replicated to the other services by events."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.register.models import TABLES
from services.register.models.people import User
from shared import audit
from shared.auth.credentials import hash_password, new_token, token_digest, verify_password
from shared.auth.principal import SYSTEM
from shared.auth.principal import Principal as Caller
from shared.auth.replica import revoke_session
from shared.errors import NotFoundError, NotSignedInError, TooManyAttemptsError
from shared.messaging.identity import Propagation, propagate
from shared.messaging.outbox import urgent_events
from shared.platform_models import as_utc, utcnow
from shared.runtime import ServiceRuntime


def create_user(
    runtime: ServiceRuntime, session: Session, *, name: str, role: str, class_codes: list[str] | None = None,
    student_ids: list[int] | None = None, email: str | None = None, password: str | None = None,
    by: Caller = SYSTEM, must_change_password: bool = False,
) -> tuple[User, str]:
    """Create a user with one API token; returns the user and the token (shown once, stored hashed).

    Parameters:
      must_change_password: the password is a one-time one: until it is changed, every service's
        API refuses the user everything but the change (and the pages send them to „Смяна на паролата“).
    """
    user = User(name=name, role=role, class_codes=list(class_codes or []), student_ids=list(student_ids or []),
                email=email, password_hash=hash_password(password) if password else None, active=True,
                must_change_password=must_change_password)
    session.add(user)
    session.flush()
    token = new_token()
    digest = token_digest(token)
    session.add(TABLES.principal(id=user.id, name=name, role=role, class_codes=user.class_codes,
                                 student_ids=user.student_ids, email=email, active=True,
                                 must_change_password=must_change_password))
    session.flush()  # the token row refers to the principal; no ORM relationship orders them
    session.add(TABLES.token(token_hash=digest, principal_id=user.id))
    _announce(runtime, session, user, [digest])
    audit.record(session, TABLES, by, "user.create", "user", user.id,
                 after={"name": name, "role": role, "class_codes": user.class_codes,
                        "student_ids": user.student_ids})
    return user, token


def _announce(rt: ServiceRuntime, session: Session, user: User, token_hashes: list[str]) -> None:
    """``identity.user_saved``: the user as every service's replica must know them, tokens complete."""
    principal = session.get(TABLES.principal, user.id)
    sessions_from = principal.sessions_from if principal is not None else None
    rt.publish(session, "identity.user_saved", {
        "user_id": user.id, "name": user.name, "role": user.role, "class_codes": list(user.class_codes),
        "student_ids": list(user.student_ids), "email": user.email, "active": user.active,
        "token_hashes": token_hashes, "must_change_password": bool(user.must_change_password),
        "sessions_from": as_utc(sessions_from).isoformat() if sessions_from else None,
    })


def _token_hashes(session: Session, user_id: int) -> list[str]:
    return list(session.scalars(sa.select(TABLES.token.token_hash).where(TABLES.token.principal_id == user_id)
                                .order_by(TABLES.token.token_hash)))


def list_users(session: Session) -> list[dict]:
    """Every user, for ``schoolctl users list`` (never a password or a token)."""
    tokens = dict(session.execute(sa.select(TABLES.token.principal_id, sa.func.count())
                                  .group_by(TABLES.token.principal_id)).all())
    return [{"id": u.id, "name": u.name, "role": u.role, "classes": list(u.class_codes),
             "students": list(u.student_ids), "active": u.active, "password": u.password_hash is not None,
             "tokens": tokens.get(u.id, 0)}
            for u in session.scalars(sa.select(User).order_by(User.id))]


def deactivate_user(rt: ServiceRuntime, session: Session, user_id: int, by: Caller = SYSTEM) -> bool:
    """Deactivate the user here at once and, through the event, on every service; False if already inactive."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFoundError(f"Няма потребител с номер {user_id}.")
    if not user.active:
        return False
    user.active = False
    principal = session.get(TABLES.principal, user_id)
    if principal is not None:
        principal.active = False
    _announce(rt, session, user, _token_hashes(session, user_id))
    audit.record(session, TABLES, by, "user.deactivate", "user", user.id, after={"active": False})
    return True


def change_user(rt: ServiceRuntime, session: Session, user_id: int, *, role: str, class_codes: list[str],
                student_ids: list[int], by: Caller = SYSTEM) -> User:
    """A new role, classes or children: here at once and, through the event, on every service."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFoundError(f"Няма потребител с номер {user_id}.")
    before = {"role": user.role, "class_codes": list(user.class_codes), "student_ids": list(user.student_ids)}
    user.role, user.class_codes, user.student_ids = role, list(class_codes), list(student_ids)
    principal = session.get(TABLES.principal, user_id)
    if principal is not None:
        principal.role, principal.class_codes, principal.student_ids = role, list(class_codes), list(student_ids)
    _announce(rt, session, user, _token_hashes(session, user_id))
    audit.record(session, TABLES, by, "user.change", "user", user.id, before=before,
                 after={"role": role, "class_codes": list(class_codes), "student_ids": list(student_ids)})
    return user


def revoke_token(rt: ServiceRuntime, session: Session, token: str, by: Caller = SYSTEM) -> int:
    """Revoke one API token (here at once, elsewhere through the event); returns its user's id."""
    row = session.get(TABLES.token, token_digest(token.strip()))
    if row is None:
        raise NotFoundError("Няма такъв ключ за достъп (или вече е отменен).")
    user_id = row.principal_id
    session.delete(row)
    session.flush()
    _announce(rt, session, session.get(User, user_id), _token_hashes(session, user_id))
    audit.record(session, TABLES, by, "user.token.revoke", "user", user_id)
    return user_id


def end_session(rt: ServiceRuntime, by: Caller, session_digest: str) -> Propagation:
    """Изход: the session is refused here at once and on every service once it confirms (waited for).

    The cookie's signature outlives no more than ``SCHOOL_SESSION_HOURS`` from now, so neither
    does the revocation.
    """
    expires_at = utcnow() + dt.timedelta(hours=rt.settings.session_hours)
    with rt.db.transaction() as s:
        revoke_session(s, TABLES, by.id, session_digest, expires_at)
        rt.publish(s, "identity.session_ended", {"user_id": by.id, "session_digest": session_digest,
                                                 "expires_at": expires_at.isoformat()})
        audit.record(s, TABLES, by, "session.end", "user", by.id)
        events = urgent_events(s)
    return propagate(rt, events)


def add_user_command(runtime: ServiceRuntime, session: Session, **fields) -> tuple[int, str]:
    """``schoolctl users add``: the new user's id and token."""
    user, token = create_user(runtime, session, **fields)
    return user.id, token


def user_with_password(rt: ServiceRuntime, name: str, password: str) -> int | None:
    """The id of the one active user with this name whose password matches; ``None`` if none or several do."""
    with rt.db.sessions() as s:
        users = s.scalars(sa.select(User).where(User.name == name, User.active.is_(True))).all()
    matching = [u for u in users if u.password_hash and verify_password(u.password_hash, password)]
    return matching[0].id if len(matching) == 1 else None


WRONG_NAME_OR_PASSWORD = "Грешно име или парола."  # noqa: S105 - a message, not a password


def check_sign_in(rt: ServiceRuntime, name: str, password: str) -> int:
    """The id of the user signing in, for the login page and the API alike.

    After ``SCHOOL_SIGN_IN_ATTEMPTS`` wrong passwords for a name within the window, that name is
    refused until the window ends, even with the right password (``../shared/spec/web-ui.md``).
    """
    throttle = rt.components.sign_in_throttle
    if not throttle.allowed(name):
        raise TooManyAttemptsError(throttle.message())
    user_id = user_with_password(rt, name, password)
    if user_id is None:
        throttle.failed(name)
        raise NotSignedInError(WRONG_NAME_OR_PASSWORD)
    return user_id


def set_password(rt: ServiceRuntime, by: Caller, user_id: int, password: str, *, one_time: bool = False) -> Propagation:
    """A new password for the user (stored argon2-hashed); audited, the password never.

    Every service learns whether a one-time password waits to be changed (their APIs refuse the
    user all else until then); the answer comes once they have confirmed (waited for, as „Изход“).

    Parameters:
      one_time: given by an administrator („Нова парола“): the user must change it at the next
        sign-in, and every session the user has open ends on every service.
    """
    with rt.db.transaction() as s:
        user = s.get(User, user_id)
        if user is None:
            raise NotFoundError("Няма такъв потребител.")
        user.password_hash = hash_password(password)
        replicas_change = one_time or user.must_change_password  # a plain change of password: nothing to tell
        user.must_change_password = one_time
        principal = s.get(TABLES.principal, user_id)
        if principal is not None:
            principal.must_change_password = one_time
            if one_time:
                principal.sessions_from = utcnow()
        if replicas_change:
            _announce(rt, s, user, _token_hashes(s, user_id))
        audit.record(s, TABLES, by, "user.password.reset" if one_time else "user.password", "user", user.id)
        events = urgent_events(s)
    return propagate(rt, events)


def after_sign_in(rt: ServiceRuntime, user_id: int) -> bool:
    """Note the sign-in (the users page shows it); True if the user must first change a one-time password."""
    with rt.db.transaction() as s:
        user = s.get(User, user_id)
        user.last_sign_in_at = utcnow()
        return user.must_change_password
