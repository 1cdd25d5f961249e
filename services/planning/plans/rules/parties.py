"""Responsible parties (отговорници): the one place that names every party key the plan can produce.

Not the user roles of ``shared.auth.roles``: a party is whoever a plan's "responsible" cell may name.
The system parties are the user roles of School Office (api-contract: ``schoolctl users add --role``).
The others are parties an annual plan names that are not user roles: bodies, posts without a login,
or people outside the school (РУО experts copied from the regional plan, a project's team). They stay
assignable as free text until someone maps them to staff.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class ResponsibleParty:
    key: str
    title: str
    system: bool
    external: bool = False
    #: the post's wording: a name, plural or article forms; "(?P<subject>…)" where a subject may follow
    pattern: str = ""
    #: teachers and experts take "по X"/"за X"; several subjects make several parties
    takes_subject: bool = False
    #: shown before a subject the cell gives without one ("Учител ИЦ" → "учител по ИЦ")
    preposition: str = "по"


#: Order matters where one wording starts another: "педагогически съветник" before "педагогически
#: съвет", "класен ръководител" before the project's "ръководител", "главен счетоводител" before
#: "счетоводител".
RESPONSIBLE_PARTIES: tuple[ResponsibleParty, ...] = (
    ResponsibleParty("deputy_director", "заместник-директор", system=True,
                     pattern=r"заместник[- ]?директор(?:и|ът|а)?|зам\.?\s*-?\s*директор(?:и)?|ЗДУД|ЗДУПД|ЗДАСД|ЗДУТОД"),
    ResponsibleParty("director", "директор", system=True, pattern=r"директор(?:ът|а)?"),
    ResponsibleParty("class_teacher", "класен ръководител", system=True,
                     pattern=r"(?:класен|класн(?:ите|ият|ия|и))\s+ръководител(?:и|ите|ят|я)?"),
    ResponsibleParty("teacher", "учител", system=True, takes_subject=True,
                     pattern=r"(?P<grade>старши\s+|главен\s+)?учител(?:и|ите|ят|я)?"),
    ResponsibleParty("pedagogical_counsellor", "педагогически съветник", system=False,
                     pattern=r"педагогическ(?:и|ият|ия)\s+съветни(?:к|ци|кът|ка)"),
    ResponsibleParty("psychologist", "психолог", system=True, pattern=r"(?:училищен\s+)?психолог(?:ът|а|зи)?"),
    ResponsibleParty("secretary", "секретар", system=True, pattern=r"секретар(?:ят|я|и)?"),
    ResponsibleParty("secretary", "ЗАС", system=True, pattern=r"ЗАС|завеждащ\s+административна\s+служба"),
    ResponsibleParty("parent", "родител", system=True, pattern=r"родител(?:и|ите|ят|я)?"),
    ResponsibleParty("it_admin", "ИТ администратор", system=True,
                     pattern=r"(?:системен\s+)?администратор|(?:ИТ|IT|ИКТ)\s+специалист"),
    ResponsibleParty("pedagogical_council", "педагогически съвет", system=False,
                     pattern=r"педагогическ(?:и|ият|ия)\s+съвет"),
    ResponsibleParty("chief_accountant", "главен счетоводител", system=False, pattern=r"главен\s+счетоводител"),
    ResponsibleParty("accountant", "счетоводител", system=False,
                     pattern=r"(?P<grade>старши\s+)?счетоводител(?:и|ят|я)?"),
    ResponsibleParty("commission", "комисия", system=False,
                     pattern=r"(?P<grade>училищн(?:а|ата)\s+)?комиси(?:я|и|ята|ите)"),
    ResponsibleParty("coverage_team", "член на екип за обхват", system=False,
                     pattern=r"член(?:ове)?\s+на\s+екип(?:и|а)?\s+за\s+обхват|екип(?:ът|и)?\s+за\s+обхват"),
    ResponsibleParty("project_team", "ТЕУП", system=False, external=True,
                     pattern=r"ТЕУП|екип\s+за\s+управление\s+на\s+проекта"),
    ResponsibleParty("project_manager", "ръководител на проекта", system=False,
                     pattern=r"ръководител(?:и|ят|я)?(?:\s+на\s+проекта?)?"),
    ResponsibleParty("rue_head_of_department", "началник на отдел", system=False, external=True, takes_subject=True,
                     preposition="", pattern=r"началник\s+на\s+отдел"),
    ResponsibleParty("rue_expert", "експерт", system=False, external=True, takes_subject=True,
                     pattern=r"(?P<grade>старши\s+|главен\s+|младши\s+)?експерт(?:и)?"),
    ResponsibleParty("other", "друг", system=False),
)

SYSTEM_ROLES: tuple[str, ...] = tuple(dict.fromkeys(role.key for role in RESPONSIBLE_PARTIES if role.system))
#: a key's first entry is its main wording ("секретар", not "ЗАС")
PARTY_BY_KEY: dict[str, ResponsibleParty] = {role.key: role for role in reversed(RESPONSIBLE_PARTIES)}
COMPILED: tuple[tuple[ResponsibleParty, re.Pattern[str]], ...] = tuple(
    (role, re.compile(rf"(?:{role.pattern})(?!\w)", re.IGNORECASE)) for role in RESPONSIBLE_PARTIES if role.pattern
)
