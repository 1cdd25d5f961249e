"""The monthly exports page (месечни справки): each prepared month with its files, „Подготви отново“
and „Отбележи като подадено“, for the office (``../shared/spec/web-ui.md``).

It calls the same functions as ``exports/api.py`` (``prepared.py``); forms post plainly and htmx
swaps the page's ``<main>`` from the answer, so the page works the same without JavaScript.
"""

from __future__ import annotations

import datetime as dt
import re

from flask import Blueprint, Response, flash, redirect, render_template, request

from services.register.exports import prepared
from shared.auth.flask_auth import require_roles
from shared.auth.roles import OFFICE
from shared.errors import GENERAL, DomainError, InvalidInputError, NotAllowedError, NotFoundError
from shared.web.context import current_runtime
from shared.web.pages import current_user

exports_pages = Blueprint("exports_pages", __name__, template_folder="templates")

PAGE = "/register/exports"
#: What each file is called on the page, in the order shown.
FILE_TITLES = {"neispuo": "НЕИСПУО (.txt)", "benefit": "ЗАС (.xlsx)", "ruo": "РУО (.xlsx)"}


def _school_year_of(month_value: str) -> tuple[int, int]:
    """``2023-10`` (a month field's ISO value) as НЕИСПУО names it: the school year's first year and the month."""
    found = re.fullmatch(r"(\d{4})-(\d{2})", month_value.strip())
    if not found or not 1 <= int(found[2]) <= 12:
        raise InvalidInputError({"month": ["Изберете месец (например 2023-10)."]})
    year, month = int(found[1]), int(found[2])
    return (year if month >= 9 else year - 1), month


def _months(session) -> list[dict]:
    """The preparations grouped by month, the newest month first; each month's newest version leads."""
    grouped: dict[tuple[int, int], list[dict]] = {}
    for version in prepared.list_months(session):
        grouped.setdefault((version["school_year"], version["month"]), []).append(version)
    months = [{"label": versions[0]["label"], "school_year": key[0], "month": key[1], "latest": versions[0],
               "earlier": versions[1:], "submitted": next((v for v in versions if v["submitted_on"]), None)}
              for key, versions in grouped.items()]
    months.sort(key=lambda m: (m["school_year"], (m["month"] - 9) % 12), reverse=True)
    return months


def _page(errors: dict | None = None, *, form: str = "", values: dict | None = None, status: int = 200):
    rt = current_runtime()
    with rt.db.sessions() as s:
        months = _months(s)
    # The month handed in now is the last one: the form offers it.
    suggested = rt.clock.today().replace(day=1) - dt.timedelta(days=1)
    return render_template("register/exports.html", months=months, file_titles=FILE_TITLES, errors=errors or {},
                           failed_form=form, values=values or {}, suggested_month=f"{suggested:%Y-%m}"), status


def _refused(error: DomainError, form: str, values: dict):
    """A refused form comes back with each field's error beside it (422); missing or forbidden is a page of its own."""
    if isinstance(error, (NotFoundError, NotAllowedError)):
        raise error
    known = {"month", "submitted_on"}
    errors: dict[str, list[str]] = {}
    for path, texts in (error.errors or {GENERAL: [error.message]}).items():
        errors.setdefault(path if path in known else GENERAL, []).extend(texts)
    return _page(errors, form=form, values=values, status=422)


@exports_pages.route("/exports")
@require_roles(*OFFICE)
def exports_page():
    return _page()


@exports_pages.route("/exports/prepare", methods=["POST"])
@require_roles(*OFFICE)
def prepare():
    """Prepare a month for the first time or again (a new version; the earlier ones stay)."""
    month_value = request.form.get("month", "")
    rt = current_runtime()
    try:
        year, month = _school_year_of(month_value)
        with rt.db.transaction() as s:
            export = prepared.prepare_month(s, rt, year, month, current_user())
            label = prepared.month_view(s, export)["label"]
    except DomainError as error:
        return _refused(error, "prepare", {"month": month_value})
    flash(f"Справките за {label} г. са изготвени.", "success")
    return redirect(PAGE, code=303)


@exports_pages.route("/exports/<int:export_id>/submitted", methods=["POST"])
@require_roles(*OFFICE)
def submit(export_id: int):
    rt = current_runtime()
    value = request.form.get("submitted_on", "")
    try:
        try:
            submitted_on = dt.date.fromisoformat(value)
        except ValueError:
            raise InvalidInputError({"submitted_on": ["Въведете датата на подаване."]}) from None
        with rt.db.transaction() as s:
            export = prepared.submit_month(s, rt, export_id, current_user(), submitted_on)
            label = prepared.month_view(s, export)["label"]
    except DomainError as error:
        return _refused(error, f"submit-{export_id}", {"submitted_on": value})
    flash(f"Справките за {label} г. са отбелязани като подадени.", "success")
    return redirect(PAGE, code=303)


@exports_pages.route("/exports/<int:export_id>/files/<kind>")
@require_roles(*OFFICE)
def download(export_id: int, kind: str):
    with current_runtime().db.sessions() as s:
        file = prepared.month_file(s, export_id, kind)
        return Response(file.content, mimetype=file.mimetype,
                        headers={"Content-Disposition": f'attachment; filename="{file.name}"'})
