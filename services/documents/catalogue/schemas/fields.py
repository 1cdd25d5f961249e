"""marshmallow building blocks whose error messages are Bulgarian (полета на шаблоните).

The schemas' messages end up in the 422 answer a secretary reads, so every default message a
template schema can produce is replaced here instead of at each field.
"""

from __future__ import annotations

from typing import Any, ClassVar

from marshmallow import Schema, ValidationError, fields, validate

_COMMON = {
    "required": "Полето е задължително.",
    "null": "Полето не може да бъде празно.",
    "validator_failed": "Невалидна стойност.",
}


class BaseSchema(Schema):
    """Root of every template context schema."""

    error_messages: ClassVar[dict[str, str]] = {
        "unknown": "Непознато поле.",
        "type": "Очаква се обект с полета.",
    }


class Text(fields.String):
    """Non-empty text (текст); blank strings are refused because they would print as gaps."""

    default_error_messages: ClassVar[dict[str, str]] = {
        **_COMMON,
        "invalid": "Очаква се текст.",
        "invalid_utf8": "Текстът не е валиден UTF-8.",
    }

    def __init__(self, *, max_length: int = 2000, **kwargs: Any) -> None:
        validators = [validate.Length(min=1, max=max_length, error="Текстът трябва да е между {min} "
            "и {max} знака.")]
        super().__init__(validate=validators + list(kwargs.pop("validate", [])), **kwargs)


class Integer(fields.Integer):
    """Whole number (цяло число)."""

    default_error_messages: ClassVar[dict[str, str]] = {
        **_COMMON,
        "invalid": "Очаква се цяло число.",
        "too_large": "Числото е твърде голямо.",
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(strict=True, **kwargs)


class Hours(fields.Float):
    """Hours of absence: whole or half (a lateness counts as half an hour, Чл. 61, ал. 5)."""

    default_error_messages: ClassVar[dict[str, str]] = {
        **_COMMON,
        "invalid": "Очаква се брой часове, например 7 или 6,5.",
        "special": "Очаква се брой часове, например 7 или 6,5.",
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(validate=[_whole_or_half, *kwargs.pop("validate", [])], **kwargs)


def _whole_or_half(value: float) -> None:
    if not (value * 2).is_integer():
        raise ValidationError("Часовете са цели или половин час.")


class Date(fields.Date):
    """Calendar date given as ISO ``yyyy-mm-dd``; printed as dd.mm.yyyy by the ``date`` filter."""

    default_error_messages: ClassVar[dict[str, str]] = {
        **_COMMON,
        "invalid": "Очаква се дата във формат ГГГГ-ММ-ДД.",
        "format": "Датата не може да бъде форматирана.",
    }


class Boolean(fields.Boolean):
    """Yes/no (да/не)."""

    default_error_messages: ClassVar[dict[str, str]] = {**_COMMON, "invalid": "Очаква се да или не."}


class Email(fields.Email):
    """E-mail address (електронна поща)."""

    default_error_messages: ClassVar[dict[str, str]] = {
        **_COMMON,
        "invalid": "Невалиден адрес на електронна поща.",
    }


class Nested(fields.Nested):
    """A nested object described by another schema."""

    default_error_messages: ClassVar[dict[str, str]] = {**_COMMON, "type": "Очаква се обект с полета."}


class List(fields.List):
    """A list; ``min_items`` refuses empty lists where a document needs at least one row."""

    default_error_messages: ClassVar[dict[str, str]] = {**_COMMON, "invalid": "Очаква се списък."}

    def __init__(self, inner: fields.Field, *, min_items: int = 1, **kwargs: Any) -> None:
        validators = [validate.Length(min=min_items, error="Списъкът трябва да има поне {min} елемента.")]
        super().__init__(inner, validate=validators, **kwargs)


def one_of(choices: tuple[Any, ...]) -> validate.OneOf:
    """OneOf with a Bulgarian message listing the allowed values."""
    return validate.OneOf(choices, error="Позволени стойности: {choices}.")


def at_least(minimum: int) -> validate.Range:
    """Range with only a lower bound, Bulgarian message."""
    return validate.Range(min=minimum, error="Стойността трябва да е поне {min}.")
