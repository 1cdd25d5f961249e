"""The register's declarative base and its platform tables (outbox, inbox, principals, tokens, audit)."""

from __future__ import annotations

from shared.db import new_base
from shared.platform_models import platform_tables

Base = new_base()

TABLES = platform_tables(Base)
