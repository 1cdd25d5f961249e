"""Request authentication for every service's Flask app, from its own principals replica."""

from __future__ import annotations

import functools
from collections.abc import Callable

import sqlalchemy as sa
from flask import abort, current_app, g, request, session

from shared.auth.credentials import token_digest
from shared.auth.principal import Principal
from shared.web.context import RUNTIME_KEY
from shared.web.session import USER_KEY

#: Paths that answer without credentials (probes, metrics, the API description, the login form).
PUBLIC_SUFFIXES = ("/healthz", "/readyz", "/metrics", "/openapi.json", "/login")


@functools.cache
def _principal_queries(token_table: type, principal_table: type) -> tuple[sa.Select, sa.Select]:
    """The two lookups as plain statements, built once per service: every request runs one of them."""
    principals = principal_table.__table__
    columns = (principals.c.id, principals.c.name, principals.c.role, principals.c.class_codes,
               principals.c.student_ids)
    active = principals.c.active.is_(True)
    by_token = sa.select(*columns).join(token_table.__table__,
                                        token_table.__table__.c.principal_id == principals.c.id).where(
        token_table.__table__.c.token_hash == sa.bindparam("digest"), active)
    by_id = sa.select(*columns).where(principals.c.id == sa.bindparam("principal_id"), active)
    return by_token, by_id


def load_principal(runtime, principal_id: int | None = None, digest: str | None = None) -> Principal | None:
    """The active principal of a token digest (or a session's user id), in one query; None if there is none."""
    by_token, by_id = _principal_queries(runtime.tables.token, runtime.tables.principal)
    with runtime.db.engine.connect() as conn:
        if digest is not None:
            row = conn.execute(by_token, {"digest": digest}).first()
        elif principal_id is not None:
            row = conn.execute(by_id, {"principal_id": principal_id}).first()
        else:
            return None
    if row is None:
        return None
    return Principal(id=row.id, name=row.name, role=row.role, class_codes=tuple(row.class_codes or ()),
                     student_ids=tuple(row.student_ids or ()))


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
    elif USER_KEY in session:
        principal = load_principal(runtime, principal_id=int(session[USER_KEY]))
    if principal is None:
        abort(401, description="Необходимо е влизане: липсва валиден ключ за достъп.")
    g.principal = principal


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
