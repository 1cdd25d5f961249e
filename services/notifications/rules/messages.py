"""The texts guardians and staff read, in Bulgarian, from sandboxed Jinja templates.

Each message says what happened, the counts behind it, the article it rests on and what the
reader can do.  Templates run in Jinja's sandbox with undefined variables as errors, so a
missing value fails loudly instead of sending a letter with a hole in it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools

from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from shared.dates import MONTH_NAMES

KIND_TEXT = {
    "unexcused": "отсъствие по неуважителни причини",
    "excused": "отсъствие по уважителни причини",
    "late": "закъснение",
}

ABSENCE = (
    "Отсъствие на {{ student_name }} ({{ class_code }} клас)",
    """Уважаеми родители,

На {{ date | bgdate }} за {{ student_name }} от {{ class_code }} клас в дневника е отбелязано {{ kind_text }} \
в {{ lesson }}. час по {{ subject }}.

Отсъствията по уважителни причини се извиняват от класния ръководител по Чл. 61 от Правилника за дейността \
на училището: с медицински документ, представен до 3 учебни дни след връщането на ученика в училище, \
с документ от спортен клуб или друга организация – до 2 учебни дни, или с Ваше писмено заявление \
(до 3 учебни дни в годината).{% if kind == "late" %} Закъснение до 20 минути за 2 учебни часа се счита \
за едно отсъствие по неуважителни причини (Чл. 61, ал. 5).{% endif %}

При въпроси се обърнете към класния ръководител.

{{ school_name }}""",
)

LADDER = (
    "Уведомление: {{ count | number }} отсъствия по неуважителни причини на {{ student_name }}",
    """Уважаеми родители,

На основание {{ article }} от Правилника за дейността на училището Ви уведомяваме, че {{ student_name }} \
от {{ class_code }} клас е допуснал(а) {{ count | number }} отсъствия по неуважителни причини \
({{ period }}) и достигна прага от {{ threshold | number }} отсъствия, при който родителят се уведомява писмено.

{{ message }}

Какво можете да направите: свържете се с класния ръководител; ако някое от отсъствията е по уважителна \
причина, представете документ в сроковете на Чл. 61 от правилника. Продължаващите отсъствия по \
неуважителни причини водят до санкции по Чл. 52 и до уведомяване на отдел „Закрила на детето“.

{{ school_name }}""",
)

#: The parents' prior written notice before the list to ЗАС (L7, Чл. 97, т. 15); the letter itself,
#: numbered by documents, goes on paper where no other channel reaches the guardian.
BENEFIT_NOTICE = (
    # The month in the subject: a parent told for several months reads which one each is about.
    "Уведомление преди справката до ЗАС за {{ month | bgmonth }} г.: {{ student.name }} (изх. № {{ number }} г.)",
    """Уважаеми родители,

С писмо изх. № {{ number }} г. класният ръководител {{ class_teacher }} Ви уведомява на основание \
Чл. 97, т. 15 от Правилника за дейността на училището, че {{ student.name }} от {{ student.class_name }} \
клас е допуснал(а) {{ count }} отсъствия по неуважителни причини през {{ month | bgmonth }} г. \
({{ criterion }}).

Затова ученикът ще бъде включен в поименната справка, която училището подава до {{ list_due | bgdate }} \
в ЗАС за Дирекция „Социално подпомагане“; при {{ criterion }} отсъствия по неуважителни причини за месеца \
детските надбавки и месечните социални помощи се спират (Чл. 61, ал. 6).

Ако някое от отсъствията е по уважителна причина, представете документ на класния ръководител в сроковете \
на Чл. 61 от правилника.

{{ school_name }}""",
)

STAFF_RULE = (
    "{{ title }}: {{ student_name }} ({{ class_code }} клас)",
    """{{ message }}

Ученик: {{ student_name }}, {{ class_code }} клас. Отсъствия по неуважителни причини: {{ count | number }} \
({{ period }}). Основание: {{ article }}.""",
)

SANCTION = (
    "Процедура за налагане на санкция: {{ student_name }}",
    """Уважаеми родители,

Уведомяваме Ви, че по процедурата за налагане на санкция на {{ student_name }} от {{ class_code }} клас \
на {{ done_on | bgdate }} е изпълнена стъпката „{{ step_title }}“ ({{ article }}).\
{% if next_due %} Следващата стъпка е „{{ next_title }}“ със срок до {{ next_due | bgdate }}.{% endif %}

Имате право да присъствате на изслушването на ученика и да изразите мнение (Чл. 57 от Правилника \
за дейността на училището). За подробности се обърнете към класния ръководител.

{{ school_name }}""",
)

DROPOUT = (
    "Уведомително писмо: риск от отпадане на {{ student_name }}",
    """Уважаеми родители,

На основание {{ article }} от Правилника за дейността на училището Ви уведомяваме, че {{ student_name }} \
от {{ class_code }} клас е застрашен(а) от отпадане от училище. Причини: {{ reasons }}.
{% if activities %}
Предприети до момента дейности:
{% for item in activities %}
- {{ item }}{% endfor %}
{% endif %}
Писмото е регистрирано в дневника на класа под № {{ register_entry }} г. Моля да се свържете с класния \
ръководител до края на срока ({{ term_end | bgdate }}). Непосещаването на училище без уважителни причини \
повече от два месеца е основание за отписване (Чл. 25, ал. 4, т. 2).

{{ school_name }}""",
)

REMINDER = (
    "{% if state == 'overdue' %}Просрочено{% elif state == 'due_today' %}Срокът е днес{% else %}\
Наближава срок{% endif %}: {{ title }}",
    """{{ title }}

Срок: {{ due | bgdate }}.{% if state == 'overdue' %} Срокът е изтекъл.{% endif %}
Вижте таблото „Просрочени“ в модула за планиране.""",
)

MONTHLY_EXPORTS = (
    "{% if status == 'ready' %}Готови са{% else %}Проблеми в{% endif %} месечните справки за {{ label }} г.",
    """{% if status == 'ready' %}Месечните справки за {{ label }} г. са изготвени: файлът за НЕИСПУО \
(Чл. 97, т. 10), справката до ЗАС (Чл. 97, т. 15) и справката за РУО.{% else %}Файлът за НЕИСПУО \
за {{ label }} г. не е изготвен, защото данните в дневника имат проблеми:
{% for problem in problems %}
- {{ problem }}{% endfor %}

Поправете ги и изгответе справките отново. Справките до ЗАС и за РУО са изготвени.{% endif %}

Срок за подаване: {{ submit_by | bgdate }}.
{% if benefit %}
В справката до ЗАС ({{ criterion }} неизвинени отсъствия) са {{ benefit | length }} ученици:
{% for row in benefit %}
- {{ row.name }} ({{ row.class_name }} клас): {{ row.unexcused | number }} ч.\
{% if row.parents_notified_on %}, родителите са уведомени писмено на {{ row.parents_notified_on | bgdate }}\
{% if row.notice_number %} (изх. № {{ row.notice_number }} г.){% endif %}\
{% else %}, РОДИТЕЛИТЕ НЕ СА УВЕДОМЕНИ писмено преди справката – уведомлението трябва да е изпратено \
преди нея (Чл. 97, т. 15)\
{% endif %}{% endfor %}
{% else %}
Няма ученици с {{ criterion }} неизвинени отсъствия през месеца.
{% endif %}
Файловете се изтеглят от „Месечни справки“ в дневника; отбележете там, когато са подадени.""",
)

DIGEST = (
    "Дневно обобщение за {{ student_name }} от {{ day | bgdate }}: {{ items | length }} \
{% if items | length == 1 %}уведомление{% else %}уведомления{% endif %}",
    """Уважаеми родители,

Това е дневното обобщение на уведомленията за {{ student_name }} от {{ day | bgdate }}, \
както сте избрали. Задължителните уведомления по правилника получавате веднага, а не в обобщението.
{% for item in items %}
{{ loop.index }}. {{ item.subject }}

{{ item.body }}
{% endfor %}
Можете да промените начина на уведомяване от профила си или чрез канцеларията на училището.""",
)


def _bgdate(value: dt.date | str) -> str:
    day = dt.date.fromisoformat(value) if isinstance(value, str) else value
    return day.strftime("%d.%m.%Y")


def _bgmonth(value: dt.date | str) -> str:
    """The month of a date in words: „октомври 2023“."""
    day = dt.date.fromisoformat(value) if isinstance(value, str) else value
    return f"{MONTH_NAMES[day.month - 1]} {day.year}"


def _number(value: float | int) -> str:
    """3.0 → „3“, 3.5 → „3,5“ (Bulgarian decimal comma)."""
    value = float(value)
    return str(int(value)) if value.is_integer() else f"{value:.1f}".replace(".", ",")


@functools.cache
def _environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)
    env.filters["bgdate"] = _bgdate
    env.filters["number"] = _number
    env.filters["bgmonth"] = _bgmonth
    return env


@functools.cache
def _compiled(source: str):
    return _environment().from_string(source)


@dataclasses.dataclass(frozen=True)
class Text:
    subject: str
    body: str


def render(template: tuple[str, str], **context) -> Text:
    subject, body = template
    return Text(_compiled(subject).render(**context).strip(), _compiled(body).render(**context).strip())
