"""The notifications service's HTTP surface: its features' blueprints, in the order the API document lists
them, and its web pages."""

from __future__ import annotations

import flask
from flask_smorest import Blueprint

from services.notifications import api
from services.notifications import pages as notice_pages


def blueprints() -> list[Blueprint]:
    return [api.deliveries_bp, api.inbox_bp]


def pages() -> list[flask.Blueprint]:
    """Under /notifications."""
    return [notice_pages.notifications_pages]
