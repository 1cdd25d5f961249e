"""The planning service's HTTP surface: its features' blueprints, in the order the API document lists them."""

from __future__ import annotations

from flask_smorest import Blueprint

from services.planning.plans import api as plans_api
from services.planning.tracking import api as tracking_api


def blueprints() -> list[Blueprint]:
    return [tracking_api.overdue_bp, plans_api.plans_bp]
