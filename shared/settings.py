"""One declared, validated, immutable settings object (настройки на системата).

Settings are read from ``SCHOOL_*`` environment variables and, optionally, a TOML file named by
``SCHOOL_CONFIG_FILE``; the environment wins over the file.  Nothing here runs at import time:
callers build a :class:`Settings` with :func:`load_settings` in their factory or CLI command.
An unknown ``SCHOOL_*`` variable stops start-up, naming it, because a typo in a deadline or an
SMTP host must not silently fall back to a default.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import re
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

SERVICES: tuple[str, ...] = ("register", "documents", "notifications", "planning")

_QUIET_HOURS = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$")


class SettingsError(ValueError):
    """Start-up stops with this error; the message names every offending variable."""


def _bool(raw: str) -> bool:
    value = raw.strip().lower()
    if value in {"true", "1", "yes", "on"}:
        return True
    if value in {"false", "0", "no", "off"}:
        return False
    raise ValueError("очаква се true или false")


def _date(raw: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw.strip())
    except ValueError as exc:
        raise ValueError("очаква се дата във формат ГГГГ-ММ-ДД") from exc


def _int(raw: str) -> int:
    try:
        return int(raw.strip())
    except ValueError as exc:
        raise ValueError("очаква се цяло число") from exc


def _quiet_hours(raw: str) -> str:
    value = raw.strip()
    if not _QUIET_HOURS.match(value):
        raise ValueError("очаква се интервал ЧЧ:ММ-ЧЧ:ММ, например 21:00-07:00")
    return value


def _clock_time(raw: str) -> str:
    value = raw.strip()
    if not re.match(r"^([01]\d|2[0-3]):([0-5]\d)$", value):
        raise ValueError("очаква се час ЧЧ:ММ, например 17:00")
    return value


def _day_of_month(raw: str) -> int:
    value = int(raw.strip())
    if not 1 <= value <= 28:
        raise ValueError("очаква се ден от месеца от 1 до 28 (всеки месец го има)")
    return value


def _month_day(raw: str) -> str:
    value = raw.strip()
    try:
        dt.date.fromisoformat(f"2024-{value}")
    except ValueError as exc:
        raise ValueError("очаква се ден от годината във формат ММ-ДД, например 06-30") from exc
    return value


def _bells(raw: str) -> str:
    value = ",".join(part.strip() for part in raw.strip().split(","))
    intervals = value.split(",")
    if not value or not all(_QUIET_HOURS.match(part) for part in intervals):
        raise ValueError("очакват се часове ЧЧ:ММ-ЧЧ:ММ, разделени със запетая, например 08:00-08:40,08:50-09:30")
    bounds = [(part[:5], part[6:]) for part in intervals]
    if any(start >= end for start, end in bounds) or any(a[1] > b[0] for a, b in itertools.pairwise(bounds)):
        raise ValueError("всеки час трябва да започва след края на предишния и да свършва след началото си")
    return value


def _text(raw: str) -> str:
    return raw.strip()


@dataclasses.dataclass(frozen=True)
class Settings:
    """Every knob of the system; see docs in README and ``deploy/``.

    Field names map to variables by upper-casing and prefixing ``SCHOOL_``
    (``smtp_host`` ← ``SCHOOL_SMTP_HOST``).
    """

    #: Where embedded state (SQLite files, broker AOF, generated documents) lives.
    data_dir: Path = Path("var")
    #: Broker URL; empty means "start the embedded broker".
    redis_url: str = ""
    register_database_url: str = ""
    documents_database_url: str = ""
    notifications_database_url: str = ""
    planning_database_url: str = ""
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_from: str = ""
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    #: CA certificates (PEM file) that sign the SMTP server's certificate; empty: the system's.
    smtp_ca_file: str = ""
    #: SMS gateway (HTTP POST of JSON ``{"to", "text"}``); empty disables SMS.
    sms_gateway_url: str = ""
    sms_gateway_user: str = ""
    sms_gateway_password: str = ""
    #: ``HH:MM-HH:MM``; non-urgent notices wait until it ends.  Empty: no quiet hours.
    quiet_hours: str = ""
    #: Overrides today's date for demos and replayed school years.
    today: dt.date | None = None
    #: Days a guardian has to read an in-app notice before a paper letter is produced.
    paper_letter_after_days: int = 3
    #: Tell guardians of every recorded absence mark (optional notices; guardians may opt out).
    notify_each_absence: bool = True
    #: Draw up the day's absence notice (уведомление за отсъствия) for each absent student.
    absence_notice_documents: bool = True
    #: Draw up the parents' personal-data consent (Чл. 152–153) when a student is first registered.
    consent_documents_on_enrolment: bool = True
    #: First retry delay of a temporarily failed delivery (SMTP 4xx, timeout); doubles each try.
    delivery_min_backoff_ms: int = 15_000
    #: Tries after the first before a delivery is given up and dead-lettered.
    delivery_max_retries: int = 8
    #: ``HH:MM``: when the daily digest of optional notices goes to guardians who chose it.
    digest_time: str = "17:00"
    #: ``HH:MM``: from when the day's paper letters are gathered into one print set for the office.
    paper_print_time: str = "07:30"
    #: ``HH:MM`` of the school day before: from then the day's timetable deviation order (Чл. 114) is
    #: numbered with the changes recorded so far; changes recorded later get a further order.
    deviation_order_time: str = "16:00"
    #: Days before a term's start when its timetable approval order is numbered (Чл. 113, ал. 3: no later than 3).
    timetable_order_days_before_term: int = 3
    #: Days after a term's start when the order approving its class-work schedule is numbered from the
    #: papers scheduled by then (Чл. 136, ал. 2: within two weeks, so below 14).
    class_works_order_days: int = 13
    #: The school's time zone: quiet hours, the bells, and every moment the pages show (``date_time``).
    timezone: str = "Europe/Sofia"
    #: Path to a school's own rule pack (YAML); empty: the shipped rulebook's pack.
    rule_pack: str = ""
    #: Weight of a lateness in half-hours of unexcused absence: 1 = half an absence (Чл. 61, ал. 5).
    late_half_hours: int = 1
    #: Days to appeal a sanction order under the АПК, counted from the parents' notification (Чл. 58,
    #: ал. 4): the правилник names no term, the АПК's (чл. 149, ал. 1) is 14 calendar days.
    sanction_appeal_days: int = 14
    #: School days after a lesson's day on which its teacher may still correct its marks (the edit
    #: window); 0, the default, allows corrections only on the same school day.
    absence_edit_days: int = 0
    #: School days a year a parent's application may excuse (Чл. 61, ал. 1, т. 3).
    excuse_parent_quota_days: int = 3
    #: School days a year the director's prior permission may cover (Чл. 61, ал. 1, т. 4).
    excuse_director_quota_days: int = 7
    #: Чл. 137, ал. 2 withholds the term grade when the minimum of current assessments is missing
    #: *because of* absence from more than 25 % of the hours: the default, as the text says.  True
    #: selects the stricter reading: more than 25 % absence alone withholds the term grade.
    term_grade_absence_alone: bool = False
    #: Consecutive days in hospital, of temporary incapacity or abroad for treatment that give the
    #: extended term of the director's order on assessment (Чл. 61, ал. 2).
    extended_term_min_days: int = 20
    #: Calendar days after a written assessment by which its grade is entered (Чл. 139, ал. 2, т. 2:
    #: „до една седмица“).
    written_grade_entry_days: int = 7
    #: Weeks from the school year's start within which the entry-level test is held (Чл. 128, ал. 2).
    entry_level_weeks: int = 3
    #: Weeks before the annual grade (the class's last day of classes) that hold the exit-level test
    #: (Чл. 128, ал. 4).
    exit_level_weeks: int = 2
    #: The bell schedule (звънец): each lesson's start and end, in order, ``HH:MM-HH:MM`` separated by
    #: commas; lesson N is the N-th interval.  The default is the usual Bulgarian day of 40-minute
    #: lessons from 08:00 with 10-minute breaks and a 20-minute long break after the 3rd lesson.
    #: A timetable takes lesson numbers 1 … len(school_bells); the lesson page opens on the lesson
    #: in progress by this schedule, in :attr:`timezone`.
    school_bells: str = ("08:00-08:40,08:50-09:30,09:40-10:20,10:40-11:20,11:30-12:10,12:20-13:00,"
                         "13:10-13:50,14:00-14:40")
    #: Secret for signing web session cookies; empty: generated once under the data dir.
    secret_key: str = ""
    #: Hours of inactivity after which a web session ends (the spec's default: 10).
    session_hours: int = 10
    #: Send the session cookie only over HTTPS (set it when nginx terminates TLS).
    cookie_secure: bool = False
    #: Wrong passwords for one user name within :attr:`sign_in_window_minutes` before sign-in is refused.
    sign_in_attempts: int = 5
    sign_in_window_minutes: int = 15
    #: Milliseconds an idle consumer waits on its queue's doorbell before polling again.
    worker_idle_ms: int = 1000
    #: Worker threads per service worker process.  Four, not eight: each thread's transactions run in
    #: PostgreSQL at the pages' priority, whatever the worker's niceness; with eight the lesson pages'
    #: p95 in the start-of-lesson rush was 2.2–5.0× idle, with four 1.9–2.4×, the letters and notices
    #: done as soon (``bench/bench_rush.py``, issue 17).
    worker_threads: int = 4
    #: Seconds without a heartbeat after which a worker is taken for dead and the messages it held
    #: go back to their queues (crash recovery; live workers beat every 2 s).
    worker_dead_after_s: int = 10
    #: The niceness ``schoolctl worker`` runs at (0–19; 0 keeps the normal priority).  The workers'
    #: jobs (rules, letters, e-mails) can wait seconds; a teacher saving a lesson between two bells
    #: cannot, so on a server the web apps get the processor first (``bench/bench_rush.py``); the
    #: jobs catch up after the rush.  Not 19: the worker's identity lane (a user signed out, refused
    #: everywhere within a second) and its heartbeat share its priority, and at 19 (weight 15 against
    #: a web app's 1024) new users of the rush's set-up were confirmed late; at 10 (110) they were not.
    worker_nice: int = 10
    #: Seconds between scheduler sweeps.
    scheduler_interval_s: int = 60
    #: ``MM-DD``: the day "Учебна 2023/2024 година" in the annual plan ends on, in the ending year.
    school_year_end: str = "06-30"
    #: Day of the month on which the previous month's exports (НЕИСПУО, ЗАС, РУО) are prepared: the
    #: 3rd by default, after class teachers have finalised the month's absences (Чл. 97, т. 9).
    monthly_export_day: int = 3
    #: ``MM-DD``: the last day of classes of XII when a school year is entered without one (the
    #: minister's order of the year sets it, Чл. 113, ал. 1; 15 May in 2023/2024).
    xii_classes_end: str = "05-15"
    #: Calendar days after a term's end by which the second date of a term-grade exam falls ("не по-късно
    #: от две седмици след края на срока", Чл. 137, ал. 4).
    term_exam_second_date_days: int = 14
    #: Months a term-grade exam may be put off by the pedagogical council's decision for a student ill
    #: for long ("с не повече от един месец", Чл. 137, ал. 6).
    term_exam_extension_months: int = 1
    #: Days before a plan activity's or procedure's deadline that the responsible people are reminded.
    reminder_days_before: int = 3
    #: Days the director has to review a student's deregistration once the non-attendance has lasted
    #: more than two months (Чл. 25, ал. 4, т. 2); the правилник sets no time, so 7 days by default.
    deregistration_review_days: int = 7
    #: Age until which schooling is compulsory (ЗПУО, чл. 8, ал. 2: until 16); a younger deregistered
    #: student is notified to the municipality, the РУО and child protection (Чл. 25, ал. 5).
    compulsory_school_age: int = 16
    log_level: str = "INFO"

    def database_url(self, service: str) -> str:
        """The service's own database; a SQLite file under the data dir by default."""
        if service not in SERVICES:
            raise KeyError(service)
        url = getattr(self, f"{service}_database_url")
        if url:
            return url
        return f"sqlite:///{(self.data_dir / f'{service}.sqlite3').resolve()}"

    @property
    def email_enabled(self) -> bool:
        return bool(self.smtp_host and self.smtp_from)

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes)


_PARSERS: dict[str, Callable[[str], Any]] = {
    "data_dir": lambda raw: Path(raw.strip()),
    "smtp_port": _int,
    "smtp_starttls": _bool,
    "quiet_hours": _quiet_hours,
    "today": _date,
    "paper_letter_after_days": _int,
    "notify_each_absence": _bool,
    "late_half_hours": _int,
    "sanction_appeal_days": _int,
    "absence_edit_days": _int,
    "excuse_parent_quota_days": _int,
    "excuse_director_quota_days": _int,
    "term_grade_absence_alone": _bool,
    "extended_term_min_days": _int,
    "written_grade_entry_days": _int,
    "entry_level_weeks": _int,
    "exit_level_weeks": _int,
    "school_bells": _bells,
    "absence_notice_documents": _bool,
    "consent_documents_on_enrolment": _bool,
    "delivery_min_backoff_ms": _int,
    "delivery_max_retries": _int,
    "digest_time": _clock_time,
    "paper_print_time": _clock_time,
    "deviation_order_time": _clock_time,
    "timetable_order_days_before_term": _int,
    "class_works_order_days": _int,
    "worker_idle_ms": _int,
    "worker_threads": _int,
    "worker_dead_after_s": _int,
    "scheduler_interval_s": _int,
    "worker_nice": _int,
    "school_year_end": _month_day,
    "xii_classes_end": _month_day,
    "monthly_export_day": _day_of_month,
    "reminder_days_before": _int,
    "term_exam_second_date_days": _int,
    "term_exam_extension_months": _int,
    "deregistration_review_days": _int,
    "compulsory_school_age": _int,
    "session_hours": _int,
    "cookie_secure": _bool,
    "sign_in_attempts": _int,
    "sign_in_window_minutes": _int,
}

#: Variables of earlier releases, with where their value is set now: start-up names the new place.
RETIRED = {
    "SCHOOL_BENEFIT_THRESHOLD": "прагът на справката до ЗАС е в пакета с правила (правило child_benefit_list, "
                                "thresholds), за да е едно и също за правилото, справката и списъка",
    "SCHOOL_BENEFIT_COMPARISON": "сравнението на справката до ЗАС е в пакета с правила (правило "
                                 "child_benefit_list, comparison: more_than или at_least)",
}

#: Variables that are read by the CLI itself rather than stored in Settings.
_META_VARIABLES = frozenset({"SCHOOL_CONFIG_FILE"})


def _field_names() -> set[str]:
    return {field.name for field in dataclasses.fields(Settings)}


def load_settings(
    environ: Mapping[str, str], *, overrides: Mapping[str, Any] | None = None
) -> Settings:
    """Build settings from an environment mapping (and ``SCHOOL_CONFIG_FILE`` if named).

    Parameters:
      environ: usually ``os.environ``; tests pass a plain dict.
      overrides: values from command-line flags (``--data``), applied last.

    Raises:
      SettingsError: naming every unknown or invalid variable at once.
    """
    names = _field_names()
    raw: dict[str, str] = {}
    errors: list[str] = []

    config_file = environ.get("SCHOOL_CONFIG_FILE", "").strip()
    if config_file:
        try:
            data = tomllib.loads(Path(config_file).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise SettingsError(f"SCHOOL_CONFIG_FILE: файлът не може да се прочете: {exc}") from exc
        for key, value in data.items():
            if key not in names:
                errors.append(f"{config_file}: непозната настройка „{key}“")
            else:
                raw[key] = str(value).lower() if isinstance(value, bool) else str(value)

    for variable, value in environ.items():
        if not variable.startswith("SCHOOL_") or variable in _META_VARIABLES:
            continue
        name = variable.removeprefix("SCHOOL_").lower()
        if variable in RETIRED:
            errors.append(f"{variable}: вече не се използва: {RETIRED[variable]} (SCHOOL_RULE_PACK)")
            continue
        if name not in names:
            errors.append(f"{variable}: непозната променлива на средата")
            continue
        raw[name] = value

    values: dict[str, Any] = {}
    for name, value in raw.items():
        parser = _PARSERS.get(name, _text)
        if name == "today" and not value.strip():
            continue
        try:
            values[name] = parser(value)
        except ValueError as exc:
            errors.append(f"SCHOOL_{name.upper()}: {exc}")
    if errors:
        raise SettingsError("Невалидни настройки: " + "; ".join(sorted(errors)))
    values.update(overrides or {})
    settings = Settings(**values)
    _validate(settings)
    return settings


def _validate(settings: Settings) -> None:
    problems = []
    if settings.smtp_host and not settings.smtp_from:
        problems.append("SCHOOL_SMTP_FROM: задължителна е, когато е зададен SCHOOL_SMTP_HOST")
    if not 1 <= settings.smtp_port <= 65535:
        problems.append("SCHOOL_SMTP_PORT: портът трябва да е между 1 и 65535")
    if settings.session_hours < 1:
        problems.append("SCHOOL_SESSION_HOURS: поне 1")
    if settings.sign_in_attempts < 1 or settings.sign_in_window_minutes < 1:
        problems.append("SCHOOL_SIGN_IN_ATTEMPTS и SCHOOL_SIGN_IN_WINDOW_MINUTES: поне 1")
    if settings.worker_threads < 1:
        problems.append("SCHOOL_WORKER_THREADS: поне 1")
    if settings.worker_dead_after_s < 5:
        # Below a few heartbeats a busy or briefly stalled worker would be taken for dead.
        problems.append("SCHOOL_WORKER_DEAD_AFTER_S: поне 5")
    if not 0 <= settings.worker_nice <= 19:
        problems.append("SCHOOL_WORKER_NICE: между 0 и 19")
    if settings.worker_idle_ms < 10:
        problems.append("SCHOOL_WORKER_IDLE_MS: поне 10")
    if settings.excuse_parent_quota_days < 0 or settings.excuse_director_quota_days < 0:
        problems.append("SCHOOL_EXCUSE_PARENT_QUOTA_DAYS и SCHOOL_EXCUSE_DIRECTOR_QUOTA_DAYS: не по-малко от 0")
    if settings.extended_term_min_days < 1:
        problems.append("SCHOOL_EXTENDED_TERM_MIN_DAYS: поне 1")
    for name in ("written_grade_entry_days", "entry_level_weeks", "exit_level_weeks"):
        if getattr(settings, name) < 1:
            problems.append(f"SCHOOL_{name.upper()}: поне 1")
    if problems:
        raise SettingsError("Невалидни настройки: " + "; ".join(problems))
