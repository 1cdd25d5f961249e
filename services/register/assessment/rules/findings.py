"""Findings of the grade rules: a broken rule with its Bulgarian message and its article."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from services.register.school.rules.errors import RuleViolation


@dataclass(frozen=True)
class Violation:
    """One broken rule (нарушение на правило).

    Parameters:
      code: stable machine key, e.g. ``grade.entry.late``.
      message: complete Bulgarian sentence for people, dates as dd.mm.yyyy.
      article: the правилник article the rule rests on, e.g. ``Чл. 139, ал. 2, т. 1``.
    """

    code: str
    message: str
    article: str

    def as_dict(self) -> dict[str, str]:
        """Plain data for an HTTP body."""
        return {"code": self.code, "message": self.message, "article": self.article}


class AssessmentError(RuleViolation):
    """A grade, term result or exam list cannot be produced under Чл. 124–144."""


def format_decimal(value: Decimal) -> str:
    """A number as Bulgarian documents print it: decimal comma, e.g. ``4,75``."""
    return str(value).replace(".", ",")
