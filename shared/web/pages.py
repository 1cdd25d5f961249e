"""The web pages' app factory: the shared look, the session, CSRF and the Bulgarian error pages.

Each service renders its own pages (``../shared/spec/web-ui.md``) in a Flask app of its own,
mounted under ``/<service>``; the register's front app also answers ``/``, ``/login`` and
``/logout``. Every page app is built here, so they all share one layout, one session cookie
(signed with the school's one secret key, so signing in once works on every service) and one CSRF
token. Page handlers call the same application functions as the JSON API.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
import uuid
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlencode

from flask import Blueprint, Flask, g, redirect, render_template, request, session
from flask_wtf.csrf import CSRFError, CSRFProtect
from jinja2 import ChoiceLoader, FileSystemLoader
from werkzeug.exceptions import HTTPException

from shared.auth.flask_auth import session_principal
from shared.auth.principal import Principal
from shared.auth.roles import ROLE_TITLES
from shared.errors import DomainError
from shared.outage import RETRY_AFTER_S, storage_failure
from shared.runtime import ServiceRuntime
from shared.web.app import http_status
from shared.web.arguments import DatabaseIntegerConverter
from shared.web.context import RUNTIME_KEY, current_runtime
from shared.web.formats import install_formats
from shared.web.navigation import navigation_for
from shared.web.security import install_security_headers
from shared.web.session import MUST_CHANGE_KEY, PASSWORD_PAGE, session_config

log = logging.getLogger(__name__)

HERE = Path(__file__).parent
#: Where the shared layout, macros and error pages live (a service's own templates come first).
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"

#: What an error page says, by status; the request id lets the administrator find the log line.
ERROR_TEXTS = {
    400: ("Невалидна заявка", "Заявката не може да бъде обработена."),
    403: ("Нямате достъп", "Нямате право да отворите тази страница."),
    404: ("Няма такава страница", "Страницата не съществува или е преместена."),
    405: ("Непозволено действие", "Това действие не се поддържа на тази страница."),
    413: ("Файлът е твърде голям", "Файлът е по-голям от разрешените 20 MB."),
    429: ("Твърде много опити", "Направени са твърде много опити. Опитайте отново по-късно."),
    500: ("Вътрешна грешка", "Нещо се обърка. Опитайте отново или се обърнете към администратора."),
    503: ("Временно недостъпно", "Базата данни временно не е достъпна. Опитайте отново след минута."),
    507: ("Дискът е пълен", "Дискът с данните е пълен. Обърнете се към администратора."),
}

CSRF_EXPIRED = ("Формулярът е изтекъл или е подаден от друго място. Заредете страницата отново "
                "и опитайте пак.")

csrf = CSRFProtect()


def current_user() -> Principal | None:
    """The signed-in user of this request (from the service's own principals replica), if any.

    Kept as ``g.principal``, like the API's, so a page is guarded by the same
    ``shared.auth.flask_auth.require_roles`` (a refused role gets the 403 page).
    """
    return g.get("principal")


def _load_user() -> None:
    """Find the session's user; a page that needs one sends an anonymous visitor to /login."""
    g.request_id = uuid.uuid4().hex[:12]
    g.principal = session_principal(current_runtime())  # signed out or deactivated: the session is over


def url_for_login(next_path: str | None = None) -> str:
    """The sign-in form, coming back to ``next_path`` (its own query string kept whole) after it."""
    return "/login" + (f"?{urlencode({'next': next_path})}" if next_path and next_path != "/" else "")


def error_page(status: int, message: str | None = None):
    title, text = ERROR_TEXTS.get(status, ERROR_TEXTS[500])
    return render_template("error.html", status=status, title=title, message=message or text,
                           request_id=g.get("request_id", "")), status


@functools.cache
def asset_url(name: str) -> str:
    """``/static/<name>`` with its content's hash: the assets are cached for a year
    (``SEND_FILE_MAX_AGE_DEFAULT``), so a changed file must get a new URL or browsers keep the old one."""
    digest = hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:12]
    return f"/static/{name}?v={digest}"


def _template_globals() -> dict:
    user = current_user()
    return {"user": user, "navigation": navigation_for(user), "role_titles": ROLE_TITLES,
            "today": current_runtime().clock.today(), "asset_url": asset_url,
            # The page's path as the menu's links write it: a page app is mounted under /<service>.
            "here": request.script_root + request.path}


def create_pages_app(runtime: ServiceRuntime, blueprints: Iterable[Blueprint], *, name: str,
                     public: Iterable[str] = ()) -> Flask:
    """A Flask app for a service's pages, with the shared look and wiring.

    Parameters:
      runtime: the service's runtime (database, settings, clock).
      blueprints: the service's page blueprints.
      name: the app's name, for logs.
      public: endpoints that answer without a session (the sign-in form).
    """
    settings = runtime.settings
    app = Flask(f"school_office.pages.{name}", static_folder=str(STATIC), static_url_path="/static")
    app.config.update(
        **session_config(runtime),
        # A page left open for a whole school day still posts: the token lives as long as the session.
        WTF_CSRF_TIME_LIMIT=settings.session_hours * 3600,
        MAX_CONTENT_LENGTH=20 * 1024 * 1024,
        SEND_FILE_MAX_AGE_DEFAULT=dt.timedelta(days=365),
    )
    app.extensions[RUNTIME_KEY] = runtime
    app.jinja_loader = ChoiceLoader([FileSystemLoader(str(TEMPLATES))])
    # An id no database can hold matches no route (404), as in the API, instead of failing in the driver.
    app.url_map.converters["int"] = DatabaseIntegerConverter
    install_formats(app, settings.timezone)
    install_security_headers(app)
    csrf.init_app(app)
    public_endpoints = set(public)
    app.before_request(_load_user)

    @app.before_request
    def require_user():
        if request.endpoint in public_endpoints or request.endpoint == "static":
            return None
        if g.principal is None:
            # script_root: a page app is mounted under /<service>, which full_path leaves out.
            return redirect(url_for_login(request.script_root + request.full_path.rstrip("?")))
        must_change = session.get(MUST_CHANGE_KEY) or g.principal.must_change_password
        if must_change and request.script_root + request.path not in (PASSWORD_PAGE, "/logout"):
            # A one-time password is changed before anything else, on every service's pages.
            if request.headers.get("HX-Request"):
                return "", 204, {"HX-Redirect": PASSWORD_PAGE}
            return redirect(PASSWORD_PAGE, code=303)
        return None

    @app.after_request
    def mark(response):
        response.headers["X-Request-Id"] = g.get("request_id", "")
        if request.endpoint != "static":
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    app.context_processor(_template_globals)
    for blueprint in blueprints:
        app.register_blueprint(blueprint)

    @app.errorhandler(CSRFError)
    def csrf_refused(_error: CSRFError):
        return error_page(400, CSRF_EXPIRED)

    @app.errorhandler(DomainError)
    def refused(error: DomainError):
        return error_page(http_status(error), error.message)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code in (301, 302, 303, 307, 308):
            return error
        return error_page(error.code or 500)

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        if failure := storage_failure(error):
            status, message = failure
            log.error("storage failure in %s %s (request %s): %s", request.method, request.path,
                      g.get("request_id"), error)
            body, status = error_page(status, message)
            return body, status, {"Retry-After": str(RETRY_AFTER_S)}
        log.error("unhandled error in %s %s (request %s)", request.method, request.path, g.get("request_id"),
                  exc_info=error)
        return error_page(500)

    return app


__all__ = ["create_pages_app", "csrf", "current_user", "error_page", "url_for_login"]
