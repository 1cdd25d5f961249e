"""Request authentication for every service's Flask app, from its own principals replica."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable

import sqlalchemy as sa
from flask import abort, current_app, g, request, session

from shared.auth.credentials import token_digest
from shared.auth.principal import Principal
from shared.platform_models import as_utc
from shared.web.context import RUNTIME_KEY
from shared.web.session import USER_KEY, session_digest, session_since

#: Paths that answer without credentials (probes, metrics, the API description, the login form).
PUBLIC_SUFFIXES = ("/healthz", "/readyz", "/metrics", "/openapi.json", "/login")


@functools.cache
def _principal_queries(token_table: type, principal_table: type,
                       revoked_table: type) -> tuple[sa.Select, sa.Select]:
    """The two lookups as plain statements, built once per service: every request runs one of them."""
    principals = principal_table.__table__
    columns = (principals.c.id, principals.c.name, principals.c.role, principals.c.class_codes,
               principals.c.student_ids, principals.c.must_change_password, principals.c.sessions_from)
    active = principals.c.active.is_(True)
    by_token = sa.select(*columns).join(token_table.__table__,
                                        token_table.__table__.c.principal_id == principals.c.id).where(
        token_table.__table__.c.token_hash == sa.bindparam("digest"), active)
    revoked = revoked_table.__table__
    signed_out = sa.exists().where(revoked.c.session_digest == sa.bindparam("session_digest"))
    by_session = sa.select(*columns).where(principals.c.id == sa.bindparam("principal_id"), active, ~signed_out)
    return by_token, by_session


def load_principal(runtime, *, digest: str | None = None, principal_id: int | None = None,
                   session_digest: str | None = None, since: dt.datetime | None = None) -> Principal | None:
    """The active principal of a token digest, or of a session (its user id and session digest) that
    was not signed out nor begun before the user's sessions were ended (``since``), in one query;
    None if there is none."""
    tables = runtime.tables
    by_token, by_session = _principal_queries(tables.token, tables.principal, tables.revoked_session)
    with runtime.db.read_engine.connect() as conn:  # one question: no BEGIN and ROLLBACK around it
        if digest is not None:
            row = conn.execute(by_token, {"digest": digest}).first()
        elif principal_id is not None and session_digest is not None:
            row = conn.execute(by_session, {"principal_id": principal_id, "session_digest": session_digest}).first()
        else:
            return None
    if row is None:
        return None
    if digest is None and row.sessions_from is not None and (since is None or since < as_utc(row.sessions_from)):
        return None  # „Нова парола“ ended every session begun before it
    return Principal(id=row.id, name=row.name, role=row.role, class_codes=tuple(row.class_codes or ()),
                     student_ids=tuple(row.student_ids or ()), must_change_password=bool(row.must_change_password))


def session_principal(runtime) -> Principal | None:
    """The signed-in user of the request's session cookie, or None.

    A session that is refused (signed out, its user deactivated, or from before sessions had ids)
    is cleared, so the response deletes the cookie instead of signing the refused one afresh.
    """
    user_id = session.get(USER_KEY)
    if user_id is None:
        return None
    principal = load_principal(runtime, principal_id=int(user_id), session_digest=session_digest(),
                               since=session_since())
    if principal is None:
        session.clear()
    return principal


def authenticate() -> None:
    """``before_request``: sets ``g.principal`` or answers 401 (public paths excepted)."""
    g.principal = None
    if request.path.endswith(PUBLIC_SUFFIXES) or request.method == "OPTIONS":
        return
    runtime = current_app.extensions[RUNTIME_KEY]
    header = request.headers.get("Authorization", "")
    principal = None
    if header.startswith("Bearer "):
        principal = load_principal(runtime, digest=token_digest(header.removeprefix("Bearer ").strip()))
    else:
        principal = session_principal(runtime)
    if principal is None:
        abort(401, description="Необходимо е влизане: липсва валиден ключ за достъп.")
    if principal.must_change_password and not request.path.endswith(WHILE_PASSWORD_MUST_CHANGE):
        abort(403, description=CHANGE_ONE_TIME_FIRST)
    g.principal = principal


#: What a user with a one-time password may still do through the API: sign in, and change it
#: (``POST /api/register/password``); signing out is the page's „Изход“, allowed the same way.
WHILE_PASSWORD_MUST_CHANGE = ("/login", "/logout", "/password")

#: The answer to any other operation of such a user, on every service.
CHANGE_ONE_TIME_FIRST = ("Трябва първо да смените еднократната си парола: отворете „Смяна на паролата“ "
                         "(/password) или изпратете POST /api/register/password с текущата и новата парола.")


def current_principal() -> Principal:
    return g.principal


def require_roles(*roles: str) -> Callable:
    """Allow only these roles (403 otherwise); scope checks happen in the view with the data.

    Put it right under the route, above ``arguments``: a role that may not do the operation gets
    403 whatever it sent, before its input is validated (the contract's order).
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            if g.principal is None or g.principal.role not in roles:
                abort(403, description="Вашата роля няма право на това действие.")
            return view(*args, **kwargs)

        wrapper.allowed_roles = frozenset(roles)  # read by the authorization tests
        return wrapper

    return decorator
