"""The register's HTTP surface: its features' API blueprints, in the order the API document lists
them, and its web pages."""

from __future__ import annotations

import flask
from flask_smorest import Blueprint

from services.register.absences import pages as absences_pages
from services.register.absences.api import absences_bp, rules_bp
from services.register.absences.application_api import applications_bp
from services.register.absences.dropout_api import dropout_bp
from services.register.absences.permission_api import permissions_bp
from services.register.absences.scholarship_api import scholarships_bp
from services.register.assessment import pages as assessment_pages
from services.register.assessment.api import grades_bp
from services.register.exams import pages as exams_pages
from services.register.exams.api import exams_bp
from services.register.exports.api import exports_bp
from services.register.exports.pages import exports_pages
from services.register.people import (
    application_pages,
    card_pages,
    deregistration_pages,
    import_pages,
    permission_pages,
    user_pages,
)
from services.register.people import pages as people_pages
from services.register.people.api import auth_bp, people_bp
from services.register.sanctions import pages as sanctions_pages
from services.register.sanctions.api import sanctions_bp
from services.register.school.api import school_bp
from services.register.system.pages import system_pages
from services.register.timetable.api import timetable_bp
from services.register.timetable.pages import timetable_pages


def blueprints() -> list[Blueprint]:
    return [school_bp, people_bp, absences_bp, rules_bp, exports_bp, auth_bp, grades_bp, sanctions_bp,
            applications_bp, permissions_bp, scholarships_bp, timetable_bp, exams_bp, dropout_bp]


def pages() -> list[flask.Blueprint]:
    """Under /register."""
    return [people_pages.register_pages, card_pages.student_card, import_pages.student_import, exports_pages,
            absences_pages.absences_pages, assessment_pages.assessment_pages,
            sanctions_pages.sanctions_pages, user_pages.users_pages, application_pages.application_pages,
            permission_pages.permission_pages, deregistration_pages.deregistration_pages,
            timetable_pages, exams_pages.exams_pages]


def front_pages() -> list[flask.Blueprint]:
    """At the site's root: /, /login, /logout, /password and /admin/system."""
    return [people_pages.front, user_pages.password_page, system_pages]


#: Pages that answer without a session.
PUBLIC_PAGES = ("front.login",)
