"""The documents service's HTTP surface: its features' blueprints, in the order the API document lists them."""

from __future__ import annotations

from flask_smorest import Blueprint

from services.documents import api


def blueprints() -> list[Blueprint]:
    return [api.templates_bp, api.documents_bp]
