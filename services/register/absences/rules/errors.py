"""The refusals of the absence rules: an excuse that Чл. 61 does not allow, a malformed rule pack."""

from __future__ import annotations

from services.register.school.rules.errors import RuleViolation


class ExcuseRefusedError(RuleViolation):
    """An excuse (извиняване на отсъствия) cannot be accepted under Чл. 61."""


class RulePackError(RuleViolation):
    """The rule pack YAML (пакет правила) is malformed; ``field`` is the path of the bad key."""
