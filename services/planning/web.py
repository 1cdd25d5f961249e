"""The planning service's HTTP surface: its features' blueprints, in the order the API document lists them."""

from __future__ import annotations

from flask_smorest import Blueprint

from services.planning import api, api_plans


def blueprints() -> list[Blueprint]:
    return [api.overdue_bp, api_plans.plans_bp]
