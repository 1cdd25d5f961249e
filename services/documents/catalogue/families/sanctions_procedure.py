"""The sanction procedure's documents beyond the notice, the orders and the parents' letters (Чл. 52–60).

Each is drawn up where its event happens (``services/documents/handlers.py``, ``tasks.py``):

- ``sanction_hearing_protocol`` — протокол от изслушването, on the hearing step (Чл. 57, ал. 3–4);
- ``sanction_erasure_order`` — O2, заповед за предсрочно заличаване, on the erasure order step (Чл. 60);
- ``sanction_child_protection_notice`` — L3, on opening a procedure of the types the school's policy
  names (Чл. 57, ал. 1; default S2, S3, S5, spec §10.A-6);
- ``sanction_ruo_letter`` — L5, the transfer order to the head of РУО once the order is numbered,
  with the parents' letter (Чл. 58, ал. 3);
- ``removal_notice`` — L16, advance notice of a removal from school to the parent and the
  psychologist (Чл. 52, ал. 3).
"""

from __future__ import annotations

from typing import Any

from services.documents.catalogue.examples import _LETTER, SCHOOL, STUDENT
from services.documents.catalogue.layouts.sanctions_procedure import (
    build_child_protection_notice,
    build_erasure_order,
    build_hearing_protocol,
    build_removal_notice,
    build_ruo_transfer_letter,
)
from services.documents.catalogue.schemas.sanctions_procedure import (
    ChildProtectionNoticeSchema,
    ErasureOrderSchema,
    HearingProtocolSchema,
    RemovalNoticeSchema,
    RuoTransferLetterSchema,
)
from services.documents.catalogue.spec import DocumentKind, TemplateDefinition

#: Who is told of a procedure under Чл. 57, ал. 1, when the school has not named its office.
CHILD_PROTECTION = "Отдел „Закрила на детето“ при Дирекция „Социално подпомагане“"

HEARING_PROTOCOL: dict[str, Any] = {
    "school": SCHOOL, "student": STUDENT, "sanction": "warning_transfer",
    "reasons": "19 отсъствия по неуважителни причини и напускане на час без разрешение <3 пъти> "
               "(чл. 26, ал. 4, т. 5 & т. 8 от Правилника).",
    "held_on": "2023-11-27", "mode": "both",
    "explanation": "Ученикът призна отсъствията и обясни, че е „помагал у дома“; писменото обяснение е приложено.",
    "class_teacher": "Стефка Иванова", "psychologist": "Весела Николова", "parent_attended": True,
}
ERASURE_ORDER: dict[str, Any] = {
    "school": SCHOOL, "number": "1204/04.05.2024", "issued_on": "2024-05-04", "student": STUDENT,
    "sanction": "warning_transfer", "imposed_by": {"number": "1058/14.12.2023", "issued_on": "2023-12-14"},
    "erasure_proposal_ref": "решение на Педагогическия съвет, протокол № 12",
    "erasure_proposed_on": "2024-04-26",
    "motives": "Ученикът няма нови отсъствия по неуважителни причини от януари & участва активно в „часа на класа“.",
    "class_teacher": "Стефка Иванова",
}
CHILD_PROTECTION_NOTICE: dict[str, Any] = {
    "school": SCHOOL, "outgoing_number": "1250", "sent_on": "2023-11-21",
    "recipient": f"{CHILD_PROTECTION} – Русе", "student": STUDENT, "sanction": "transfer",
    "reasons": "Груби нарушения на Правилника & 22 отсъствия по неуважителни причини <след две предупреждения>.",
    "proposed_on": "2023-11-20",
}
RUO_LETTER: dict[str, Any] = {
    "school": SCHOOL, "outgoing_number": "1262", "sent_on": "2023-12-15",
    "recipient": "Началника на РУО – Русе", "student": STUDENT,
    "order": {"number": "1058/14.12.2023", "issued_on": "2023-12-14"}, "school_year": "2023/2024",
    "motives": "Ученикът е допуснал 22 отсъствия по неуважителни причини и груби нарушения на „реда в час“.",
}
REMOVAL_NOTICE: dict[str, Any] = {
    **_LETTER, "sent_on": "2023-12-14", "removal_on": "2023-12-14",
    "reason": "облекло или вид в нарушение на Правилника (чл. 26, ал. 4, т. 10) – „униформата“ липсва",
    "psychologist": "Весела Николова",
}

DEFINITIONS: tuple[TemplateDefinition, ...] = (
    TemplateDefinition(
        "sanction_hearing_protocol", "Протокол от изслушване на ученик преди налагане на санкция",
        DocumentKind.LIST, 1, ("Чл. 57, ал. 2–4", "Чл. 52, ал. 1", "Чл. 58, ал. 1"),
        HearingProtocolSchema, HEARING_PROTOCOL, build_hearing_protocol,
    ),
    TemplateDefinition(
        "sanction_erasure_order", "Заповед за предсрочно заличаване на санкция", DocumentKind.ORDER, 1,
        ("Чл. 11, ал. 1", "Чл. 60, ал. 1", "Чл. 60, ал. 3", "Чл. 56, ал. 1", "Чл. 55, ал. 2"),
        ErasureOrderSchema, ERASURE_ORDER, build_erasure_order,
    ),
    TemplateDefinition(
        "sanction_child_protection_notice",
        "Уведомление до структурите за закрила на детето за откриване на процедура за налагане на санкция",
        DocumentKind.LETTER, 1, ("Чл. 57, ал. 1", "Чл. 52, ал. 1", "Чл. 57, ал. 3"),
        ChildProtectionNoticeSchema, CHILD_PROTECTION_NOTICE, build_child_protection_notice,
    ),
    TemplateDefinition(
        "sanction_ruo_letter", "Писмо до началника на РУО със заповедта за преместване в друго училище",
        DocumentKind.LETTER, 1, ("Чл. 58, ал. 3", "Чл. 52, ал. 1, т. 3", "Чл. 59, ал. 2"),
        RuoTransferLetterSchema, RUO_LETTER, build_ruo_transfer_letter,
    ),
    TemplateDefinition(
        "removal_notice", "Предварително уведомление за отстраняване на ученик от училище",
        DocumentKind.LETTER, 1, ("Чл. 52, ал. 3", "Чл. 52, ал. 4"),
        RemovalNoticeSchema, REMOVAL_NOTICE, build_removal_notice,
    ),
)
