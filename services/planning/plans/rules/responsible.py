"""The "Отговорник" cell split into parties with role keys, spec annual-plan.md §7, §8.9.

Cells list several parties with ",", " и " or only a space ("Директор Учители по ПОО"), teachers
name one or more subjects with or without "по" ("Учител ИЦ", "Учители по БЕЛ и математика").
A new party starts where a known post starts; wording that names no known post is kept as an
"other" party with its text, never dropped.
"""

from __future__ import annotations

import re

from services.planning.plans.rules.model import Responsible
from services.planning.plans.rules.parties import COMPILED, PARTY_BY_KEY, ResponsibleParty
from services.planning.plans.rules.repair import repair_cell

#: full subject names a cell may use instead of the usual abbreviation
SUBJECT_ALIASES: dict[str, str] = {
    "български език и литература": "БЕЛ",
    "история и цивилизации": "ИЦ",
    "география и икономика": "ГИ",
    "гражданско образование": "ГО",
    "биология и здравно образование": "БЗО",
    "химия и опазване на околната среда": "ХООС",
    "физическо възпитание и спорт": "ФВС",
    "информационни технологии": "ИТ",
    "професионално образование и обучение": "ПОО",
}
_ALIAS = re.compile("|".join(sorted(map(re.escape, SUBJECT_ALIASES), key=len, reverse=True)), re.IGNORECASE)
_SEPARATOR = re.compile(r"(?:[\s,;/]+|\bи(?=\s))+")
_PREPOSITION = re.compile(r"\s+(?P<prep>по|за)\s+", re.IGNORECASE)
_ABBREVIATION = re.compile(r"[А-ЯA-Z][А-ЯA-Z0-9]+(?!\w)")
_WORD = re.compile(r"[а-яѝa-z][а-яѝa-z-]*(?!\w)")
_SPACES = re.compile(r"\s+")
_NON_SPACE = re.compile(r"\S+")
_LIST_SEPARATOR = re.compile(r"\s*,\s*|\s+и\s+")
_TRAILING_SEPARATORS = re.compile(r"(?:[\s,;/]+|\s+и)+$")
_GRADES = {"училищната": "училищна"}


def normalise_responsible(text: str) -> tuple[str, ...]:
    """Role keys named by an "Отговорник" cell, each once, in the cell's order."""
    return tuple(dict.fromkeys(party.role for party in parse_responsible(text)))


def parse_responsible(text: str) -> tuple[Responsible, ...]:
    """Every party of the cell with its normalised Bulgarian title ("учител по БЕЛ")."""
    cell = repair_cell(text)
    parties: list[Responsible] = []
    position, unknown_from = 0, None
    while position < len(cell):
        if separator := _SEPARATOR.match(cell, position):
            position = separator.end()
            continue
        found = _match_role(cell, position)
        if found is None:
            unknown_from = position if unknown_from is None else unknown_from
            word = _NON_SPACE.match(cell, position)
            position = word.end() if word else position + 1
            continue
        if unknown_from is not None:
            parties.append(_unknown(cell[unknown_from:position]))
            unknown_from = None
        role, match = found
        found_parties, position = _parties(cell, role, match)
        parties.extend(found_parties)
    if unknown_from is not None:
        parties.append(_unknown(cell[unknown_from:]))
    return tuple(parties)


def _match_role(cell: str, position: int) -> tuple[ResponsibleParty, re.Match[str]] | None:
    for role, pattern in COMPILED:
        if match := pattern.match(cell, position):
            return role, match
    return None


def _parties(cell: str, role: ResponsibleParty, match: re.Match[str]) -> tuple[list[Responsible], int]:
    grade = (match.groupdict().get("grade") or "").strip().casefold()
    grade = _GRADES.get(grade, grade)
    if not role.takes_subject:
        title = f"{grade} {role.title}" if grade else role.title
        return [Responsible(role.key, title, external=role.external)], match.end()
    subjects, preposition, end = _subjects(cell, match.end())
    head = f"{grade} {role.title}" if grade else role.title
    if not subjects:
        return [Responsible(role.key, head, external=role.external)], end
    shown = preposition if preposition is not None else role.preposition
    joiner = f" {shown} " if shown else " "
    return [Responsible(role.key, f"{head}{joiner}{subject}", subject, external=role.external)
            for subject in subjects], end


def _subjects(cell: str, position: int) -> tuple[list[str], str | None, int]:
    """("БЕЛ", "математика"), the cell's preposition (None when it gives none) and where the list ends."""
    preposition = _PREPOSITION.match(cell, position)
    if preposition:
        start, shown = preposition.end(), preposition["prep"].casefold()
    else:
        # "Учител ИЦ": without "по" only an abbreviation can be a subject
        spaces = _SPACES.match(cell, position)
        start, shown = (spaces.end() if spaces else position), None
        if not _ABBREVIATION.match(cell, start) or _match_role(cell, start):
            return [], None, position
    subjects: list[str] = []
    end = position
    while (found := _subject(cell, start, allow_words=bool(preposition))) is not None:
        subjects.append(found[0])
        end = found[1]
        separator = _LIST_SEPARATOR.match(cell, end)
        if separator is None:
            break
        start = separator.end()
    if not subjects:
        return [], None, position
    return subjects, shown, end


def _subject(cell: str, start: int, *, allow_words: bool) -> tuple[str, int] | None:
    if _match_role(cell, start):
        return None
    if alias := _ALIAS.match(cell, start):
        return SUBJECT_ALIASES[alias.group().casefold()], alias.end()
    if abbreviation := _ABBREVIATION.match(cell, start):
        return abbreviation.group(), abbreviation.end()
    if allow_words and (word := _WORD.match(cell, start)):
        return word.group(), word.end()
    return None


def _unknown(fragment: str) -> Responsible:
    title = _TRAILING_SEPARATORS.sub("", fragment.strip(" ,;/"))
    return Responsible(PARTY_BY_KEY["other"].key, title, known=False)
