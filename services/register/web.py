"""The register's HTTP surface: its features' blueprints, in the order the API document lists them."""

from __future__ import annotations

from flask_smorest import Blueprint

from services.register import api, api_assessment
from services.register.exports.api import exports_bp


def blueprints() -> list[Blueprint]:
    return [api.school_bp, api.people_bp, api.absences_bp, api.rules_bp, exports_bp, api.auth_bp,
            api_assessment.grades_bp, api_assessment.sanctions_bp]
