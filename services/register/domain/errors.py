"""Domain errors (грешки в данните) carrying the offending field and a Bulgarian message."""

from __future__ import annotations


class DomainError(ValueError):
    """A rule of the domain was broken; ``field`` names the input to fix, ``message`` is shown to people.

    Parameters:
      field: the input field the message is about (API layer maps it to a form field).
      message: complete Bulgarian sentence, ready for display.
      article: the правилник article the refusal rests on, if any.
    """

    def __init__(self, field: str, message: str, article: str | None = None) -> None:
        super().__init__(message)
        self.field = field
        self.message = message
        self.article = article

    def as_dict(self) -> dict[str, str]:
        """Plain data for the HTTP error body."""
        data = {"field": self.field, "message": self.message}
        if self.article:
            data["article"] = self.article
        return data


class CalendarError(DomainError):
    """The school calendar (учебен календар) is inconsistent or a date falls outside it."""


class IdentityError(DomainError):
    """An ЕГН or ЛНЧ failed validation."""


class ExcuseRefusedError(DomainError):
    """An excuse (извиняване на отсъствия) cannot be accepted under Чл. 61."""


class RulePackError(DomainError):
    """The rule pack YAML (пакет правила) is malformed; ``field`` is the path of the bad key."""
