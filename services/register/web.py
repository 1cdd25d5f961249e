"""The register's HTTP surface: its features' API blueprints, in the order the API document lists
them, and its web pages."""

from __future__ import annotations

import flask
from flask_smorest import Blueprint

from services.register import api, api_assessment
from services.register.exports.api import exports_bp
from services.register.signin import pages as signin_pages


def blueprints() -> list[Blueprint]:
    return [api.school_bp, api.people_bp, api.absences_bp, api.rules_bp, exports_bp, api.auth_bp,
            api_assessment.grades_bp, api_assessment.sanctions_bp]


def pages() -> list[flask.Blueprint]:
    """Under /register."""
    return [signin_pages.register_pages]


def front_pages() -> list[flask.Blueprint]:
    """At the site's root: /, /login, /logout."""
    return [signin_pages.front]


#: Pages that answer without a session.
PUBLIC_PAGES = ("front.login",)
