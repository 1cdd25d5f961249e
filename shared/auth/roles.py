"""The roles (роли) of School Office and the groups the rulebook gives rights to, defined once.

A service that needs a narrower or wider group builds it from these (``(*OFFICE, "it_admin")``)
next to the operations it guards, so a reader sees in one place who may do what.
"""

from __future__ import annotations

#: Every role a user can have, as the API and ``schoolctl users add --role`` spell them.
ROLES: tuple[str, ...] = (
    "director", "deputy_director", "class_teacher", "teacher", "secretary", "psychologist", "parent",
    "it_admin",
)

#: ръководство: the director and the deputies, who see and manage the whole school.
MANAGEMENT: tuple[str, ...] = ("director", "deputy_director")

#: канцелария: the management and the secretary, who keep the school's records and papers.
OFFICE: tuple[str, ...] = (*MANAGEMENT, "secretary")

#: The roles' names as people read them (pages, the demo's accounts).
ROLE_TITLES: dict[str, str] = {
    "director": "Директор",
    "deputy_director": "Заместник-директор",
    "class_teacher": "Класен ръководител",
    "teacher": "Учител",
    "secretary": "Секретар",
    "psychologist": "Психолог",
    "parent": "Родител",
    "it_admin": "Администратор",
}

#: Teachers of lessons: a class teacher also teaches.
TEACHERS: tuple[str, ...] = ("teacher", "class_teacher")
