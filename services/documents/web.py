"""The documents service's HTTP surface: its features' blueprints, in the order the API document lists them,
and its web pages."""

from __future__ import annotations

import flask
from flask_smorest import Blueprint

from services.documents import api
from services.documents import pages as document_pages
from services.documents.printing import api as print_api
from services.documents.printing import pages as print_pages


def blueprints() -> list[Blueprint]:
    return [api.templates_bp, api.documents_bp, print_api.print_sets_bp]


def pages() -> list[flask.Blueprint]:
    """Under /documents."""
    return [document_pages.documents_pages, print_pages.print_pages]
