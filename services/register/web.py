"""The register's HTTP surface: its features' blueprints, in the order the API document lists them."""

from __future__ import annotations

from flask_smorest import Blueprint

from services.register.absences.api import absences_bp, rules_bp
from services.register.assessment.api import grades_bp
from services.register.exports.api import exports_bp
from services.register.people.api import auth_bp, people_bp
from services.register.sanctions.api import sanctions_bp
from services.register.school.api import school_bp


def blueprints() -> list[Blueprint]:
    return [school_bp, people_bp, absences_bp, rules_bp, exports_bp, auth_bp, grades_bp, sanctions_bp]
