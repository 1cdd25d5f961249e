"""The web session: one signed cookie for every service's pages and the API alike.

Every service signs it with the school's one secret key, so signing in once works on every
service; it ends after ``SCHOOL_SESSION_HOURS`` without a request, or at „Изход“.
"""

from __future__ import annotations

import datetime as dt
import secrets
import time
from typing import Any

from flask import session

from shared.auth.credentials import token_digest
from shared.runtime import ServiceRuntime

#: The session key holding the signed-in user's id (``shared.auth.flask_auth`` reads it too).
USER_KEY = "user_id"

#: The session key holding the session's own random id, which signing out revokes everywhere.
SESSION_ID_KEY = "sid"

#: The session key set while the user signed in with a one-time password: every page sends them to
#: :data:`PASSWORD_PAGE` until they choose their own (the cookie is signed, so it cannot be dropped).
MUST_CHANGE_KEY = "must_change_password"

#: The session key holding when the session began (POSIX seconds): „Нова парола“ ends those begun before.
SINCE_KEY = "since"

#: „Смяна на паролата“, served by the register at the site's root.
PASSWORD_PAGE = "/password"  # noqa: S105 - a path, not a password


def session_config(runtime: ServiceRuntime) -> dict[str, Any]:
    """Flask settings of the session cookie, the same for every app of every service."""
    settings = runtime.settings
    return {
        "SECRET_KEY": runtime.secret_key(),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": settings.cookie_secure,
        "SESSION_COOKIE_PATH": "/",
        "PERMANENT_SESSION_LIFETIME": dt.timedelta(hours=settings.session_hours),
        "SESSION_REFRESH_EACH_REQUEST": True,
    }


def sign_in(user_id: int, *, must_change_password: bool = False) -> None:
    """Start a new session for the user (a new one, so nothing from before signing in carries over).

    The session gets a random id: signing out revokes that id on every service
    (``identity.session_ended``), so a copy of the cookie is refused too, not only the browser's.
    """
    session.clear()
    session[USER_KEY] = user_id
    session[SESSION_ID_KEY] = secrets.token_urlsafe(32)
    session[SINCE_KEY] = time.time()
    session.permanent = True  # expires after SCHOOL_SESSION_HOURS without a request
    if must_change_password:
        session[MUST_CHANGE_KEY] = True


def password_changed() -> None:
    """The one-time password is replaced: the pages open again."""
    session.pop(MUST_CHANGE_KEY, None)


def session_digest() -> str | None:
    """The SHA-256 of the session's id, as revocation lists hold it; None for a session without one."""
    session_id = session.get(SESSION_ID_KEY)
    return token_digest(session_id) if session_id else None


def session_since() -> dt.datetime | None:
    """When the session began; None for a cookie from before this was recorded."""
    since = session.get(SINCE_KEY)
    return dt.datetime.fromtimestamp(since, dt.UTC) if isinstance(since, int | float) else None


def sign_out() -> None:
    session.clear()
