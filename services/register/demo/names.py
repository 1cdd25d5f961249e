"""Generated Bulgarian names for the demo school (no real person is meant)."""

from __future__ import annotations

import random

MALE = ("Александър", "Георги", "Димитър", "Иван", "Николай", "Петър", "Стефан", "Христо", "Калоян", "Мартин",
        "Виктор", "Даниел", "Борислав", "Радослав", "Симеон", "Теодор", "Йордан", "Емил", "Васил", "Кристиян")
FEMALE = ("Мария", "Елена", "Виктория", "Гергана", "Десислава", "Ивана", "Никол", "Габриела", "Теодора", "Йоана",
          "Цветелина", "Радина", "Симона", "Александра", "Кристина", "Мирела", "Петя", "Ралица", "Божидара", "Дария")
#: Surnames in the male form; the female form adds „а“.
SURNAMES = ("Иванов", "Петров", "Георгиев", "Димитров", "Николов", "Стоянов", "Христов", "Тодоров", "Колев",
            "Атанасов", "Маринов", "Попов", "Костадинов", "Ангелов", "Илиев", "Русев", "Вълчев", "Генчев")

#: Streets of the demo school's town, for the families' postal addresses (letters on paper).
STREETS = ("Александровска", "Борисова", "Цар Освободител", "Славянска", "Николаевска", "Доростол", "Тутракан",
           "Липник", "Мидия Енос", "Генерал Скобелев", "Отец Паисий", "Пирот", "Шипка", "Плиска", "Чипровци")


def patronymic(father: str, female: bool) -> str:
    """The middle name from the father's first name: Иван → Иванов/Иванова, Никола → Николов."""
    if father.endswith("ър"):
        base = father[:-2] + "ров"  # Петър → Петров, Димитър → Димитров
    elif father.endswith("й"):
        base = father[:-1] + "ев"  # Николай → Николаев
    elif father.endswith("и"):
        base = father + "ев"  # Георги → Георгиев
    elif father.endswith(("о", "а")):
        base = father[:-1] + "ов"  # Христо → Христов
    else:
        base = father + "ов"
    return base + ("а" if female else "")


def person(rng: random.Random, female: bool, *, father: str | None = None,
           surname: str | None = None) -> tuple[str, str, str]:
    """First, middle and last name; ``father`` and ``surname`` (male form) tie a child to a parent."""
    first = rng.choice(FEMALE if female else MALE)
    middle = patronymic(father or rng.choice(MALE), female)
    last = (surname or rng.choice(SURNAMES)) + ("а" if female else "")
    return first, middle, last
