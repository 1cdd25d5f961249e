"""Bulgarian texts for the validation messages marshmallow and webargs produce in English."""

from __future__ import annotations

import re

_EXACT = {
    "Missing data for required field.": "Задължително поле.",
    "Unknown field.": "Непознато поле.",
    "Field may not be null.": "Полето не може да е празно.",
    "Not a valid integer.": "Не е валидно цяло число.",
    "Not a valid number.": "Не е валидно число.",
    "Not a valid string.": "Не е валиден текст.",
    "Not a valid boolean.": "Не е валидна стойност да/не.",
    "Not a valid date.": "Не е валидна дата (очаква се ГГГГ-ММ-ДД).",
    "Not a valid datetime.": "Не е валидни дата и час.",
    "Not a valid email address.": "Не е валиден адрес на електронна поща.",
    "Not a valid list.": "Не е валиден списък.",
    "Not a valid mapping type.": "Не е валиден обект.",
    "Invalid input type.": "Невалиден вид на данните.",
    "Invalid value.": "Невалидна стойност.",
    "Shorter than minimum length 1.": "Полето не може да е празно.",
    "Invalid JSON body.": "Тялото на заявката не е валиден JSON.",
}

_PATTERNS = [
    (re.compile(r"^Must be one of: (.*)\.$"), "Трябва да е една от стойностите: {0}."),
    (re.compile(r"^Must be greater than or equal to (\S+) and less than or equal to (\S+)\.$"),
     "Трябва да е между {0} и {1} включително."),
    (re.compile(r"^Must be greater than or equal to (\S+)\.$"), "Трябва да е поне {0}."),
    (re.compile(r"^Must be less than or equal to (\S+)\.$"), "Трябва да е най-много {0}."),
    (re.compile(r"^Longer than maximum length (\d+)\.$"), "По-дълго от допустимите {0} знака."),
    (re.compile(r"^Shorter than minimum length (\d+)\.$"), "По-кратко от минималните {0} знака."),
    (re.compile(r"^Length must be between (\d+) and (\d+)\.$"), "Дължината трябва да е между {0} и {1} знака."),
    (re.compile(r"^Length must be (\d+)\.$"), "Дължината трябва да е точно {0} знака."),
]


def translate(message: str) -> str:
    if message in _EXACT:
        return _EXACT[message]
    for pattern, template in _PATTERNS:
        match = pattern.match(message)
        if match:
            return template.format(*match.groups())
    return message
