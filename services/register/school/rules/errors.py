"""A broken rule of the register (нарушено правило), with the field to fix, a Bulgarian message and its article.

Every rule module of the register raises a subclass of :class:`RuleViolation`. It is an
:class:`shared.errors.InvalidInputError`, so application code that does not translate one still
answers 422 naming the field; and a ``ValueError``, as the rules have always raised.
"""

from __future__ import annotations

from shared.errors import InvalidInputError


# The rulebook's word for it; a subclass per feature (CalendarError, SanctionError …) carries the suffix.
class RuleViolation(InvalidInputError, ValueError):  # noqa: N818
    """A rule of the domain was broken; ``field`` names the input to fix, ``message`` is shown to people.

    Parameters:
      field: the input field the message is about (API layer maps it to a form field).
      message: complete Bulgarian sentence, ready for display.
      article: the правилник article the refusal rests on, if any.
    """

    def __init__(self, field: str, message: str, article: str | None = None) -> None:
        super().__init__({field: message}, message)
        self.field = field
        self.article = article

    def as_dict(self) -> dict[str, str]:
        """Plain data for the HTTP error body."""
        data = {"field": self.field, "message": self.message}
        if self.article:
            data["article"] = self.article
        return data


class CalendarError(RuleViolation):
    """The school calendar (учебен календар) is inconsistent or a date falls outside it."""
