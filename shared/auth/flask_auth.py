"""Request authentication for every service's Flask app, from its own principals replica."""

from __future__ import annotations

import functools
from collections.abc import Callable

import sqlalchemy as sa
from flask import abort, current_app, g, request, session

from shared.auth.credentials import token_digest
from shared.auth.principal import Principal

#: Paths that answer without credentials (probes, metrics, the API description, the login form).
PUBLIC_SUFFIXES = ("/healthz", "/readyz", "/metrics", "/openapi.json", "/login")


def _load_principal(runtime, principal_id: int | None = None, digest: str | None = None) -> Principal | None:
    tables = runtime.tables
    with runtime.db.sessions() as s:
        if digest is not None:
            principal_id = s.scalar(sa.select(tables.token.principal_id).where(tables.token.token_hash == digest))
        if principal_id is None:
            return None
        row = s.get(tables.principal, principal_id)
        if row is None or not row.active:
            return None
        return Principal(id=row.id, name=row.name, role=row.role, class_codes=tuple(row.class_codes or ()),
                         student_ids=tuple(row.student_ids or ()))


def authenticate() -> None:
    """``before_request``: sets ``g.principal`` or answers 401 (public paths excepted)."""
    g.principal = None
    if request.path.endswith(PUBLIC_SUFFIXES) or request.method == "OPTIONS":
        return
    runtime = current_app.extensions["school_runtime"]
    header = request.headers.get("Authorization", "")
    principal = None
    if header.startswith("Bearer "):
        principal = _load_principal(runtime, digest=token_digest(header.removeprefix("Bearer ").strip()))
    elif "user_id" in session:
        principal = _load_principal(runtime, principal_id=int(session["user_id"]))
    if principal is None:
        abort(401, description="Необходимо е влизане: липсва валиден ключ за достъп.")
    g.principal = principal


def current_principal() -> Principal:
    return g.principal


def require_roles(*roles: str) -> Callable:
    """Allow only these roles (403 otherwise); scope checks happen in the view with the data."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            if g.principal is None or g.principal.role not in roles:
                abort(403, description="Вашата роля няма право на това действие.")
            return view(*args, **kwargs)

        return wrapper

    return decorator
