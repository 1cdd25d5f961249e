"""The planning service's HTTP surface: its features' blueprints, in the order the API document lists them,
and its web pages."""

from __future__ import annotations

import flask
from flask_smorest import Blueprint

from services.planning.plans import api as plans_api
from services.planning.plans import import_pages as plan_import_pages
from services.planning.plans import pages as plan_pages
from services.planning.tracking import api as tracking_api
from services.planning.tracking import pages as tracking_pages


def blueprints() -> list[Blueprint]:
    return [tracking_api.overdue_bp, plans_api.plans_bp]


def pages() -> list[flask.Blueprint]:
    """Under /planning."""
    return [tracking_pages.tracking_pages, plan_import_pages.plan_import, plan_pages.plan_pages]
