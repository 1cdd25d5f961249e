"""Domain errors: what application and rule code raises when a request cannot be carried out.

They know nothing of HTTP, so the same functions serve the API, the web pages, background jobs and
the command line. The HTTP layer turns them into answers in one place
(``shared.web.app``: :class:`NotSignedInError` → 401, :class:`NotFoundError` → 404,
:class:`NotAllowedError` → 403, :class:`ConflictError` → 409, :class:`InvalidInputError` → 422,
:class:`TooManyAttemptsError` → 429); a page maps :attr:`DomainError.errors` onto its form's fields.
Every message is a complete Bulgarian sentence, ready to show to a person.
"""

from __future__ import annotations

#: Where a message that belongs to no single field goes (the contract's name for it).
GENERAL = "_schema"


class DomainError(Exception):
    """A request that cannot be carried out; nothing of it may have been stored.

    Parameters:
      message: the sentence shown to people.
      errors: field path (``marks.0.kind``) → its messages; empty when no field is to blame.
    """

    def __init__(self, message: str, errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors: dict[str, list[str]] = errors or {}


class NotSignedInError(DomainError):
    """The name and password (or token) do not identify an active user."""


class TooManyAttemptsError(DomainError):
    """Refused for a while after too many wrong tries, whatever this try holds."""


class NotFoundError(DomainError):
    """What the request names does not exist (or the caller may not know that it does)."""

    def __init__(self, message: str = "Не е намерено.") -> None:
        super().__init__(message)


class NotAllowedError(DomainError):
    """The caller's role or scope does not allow this (a teacher of another class, a parent of another child)."""

    def __init__(self, message: str = "Нямате право на това действие.") -> None:
        super().__init__(message)


class ConflictError(DomainError):
    """The request contradicts what is already stored (a number taken, a step already done)."""

    def __init__(self, message: str, field: str = GENERAL) -> None:
        super().__init__(message, {field: [message]})


class InvalidInputError(DomainError):
    """Input that breaks a rule; each bad field named by its path with a Bulgarian message.

    Parameters:
      errors: field path → a message or a list of messages.
    """

    def __init__(self, errors: dict[str, list[str] | str], message: str = "Невалидни данни.") -> None:
        super().__init__(message, {path: [texts] if isinstance(texts, str) else list(texts)
                                   for path, texts in errors.items()})
