"""The refusal raised by the sanction rules."""

from __future__ import annotations

from services.register.school.rules.errors import RuleViolation


class SanctionError(RuleViolation):
    """A sanction or measure cannot be opened, advanced or recorded under Чл. 52–60."""
