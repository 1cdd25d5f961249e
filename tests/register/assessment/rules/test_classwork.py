"""Control and class work schedule limits (Чл. 136)."""

from __future__ import annotations

from datetime import date

from services.register.assessment.rules.classwork import (
    ScheduledWork,
    WrittenWorkKind,
    schedule_approval_deadline,
    validate_written_work_schedule,
)

CONTROL, CLASSWORK = WrittenWorkKind.CONTROL, WrittenWorkKind.CLASSWORK
TERM = {"term_start": date(2025, 9, 15), "term_end": date(2026, 1, 30)}


def validate(calendar, *works: ScheduledWork, **kwargs):
    return validate_written_work_schedule(works, calendar, **TERM, **kwargs)


def test_a_sound_schedule_has_no_findings(calendar) -> None:
    assert (
        validate(
            calendar,
            ScheduledWork("10А", "математика", CLASSWORK, date(2025, 12, 1)),
            ScheduledWork("10А", "български език и литература", CLASSWORK, date(2025, 12, 3)),
            ScheduledWork("10Б", "математика", CLASSWORK, date(2025, 12, 1)),
            ScheduledWork("10А", "история", CONTROL, date(2025, 12, 4)),
        )
        == ()
    )


def test_at_most_one_control_or_class_work_per_class_per_day(calendar) -> None:
    (finding,) = validate(
        calendar,
        ScheduledWork("10А", "математика", CLASSWORK, date(2025, 12, 1)),
        ScheduledWork("10А", "физика", CONTROL, date(2025, 12, 1)),
    )
    assert finding.article == "Чл. 136, ал. 1, т. 1"
    assert finding.message.startswith("Паралелка 10А: на 01.12.2025 са насрочени 2")


def test_at_most_two_class_works_per_class_per_week(calendar) -> None:
    works = [
        ScheduledWork("11В", subject, CLASSWORK, day)
        for subject, day in [("математика", date(2025, 12, 1)), ("английски език", date(2025, 12, 3))]
    ]
    assert validate(calendar, *works) == ()
    third = ScheduledWork("11В", "български език и литература", CLASSWORK, date(2025, 12, 5))
    (finding,) = validate(calendar, *works, third)
    assert finding.article == "Чл. 136, ал. 1, т. 2"
    assert "в седмицата от 01.12.2025 са насрочени 3 класни работи" in finding.message
    assert validate(calendar, *works, third, max_classworks_per_week=3) == ()


def test_control_works_do_not_count_towards_the_weekly_class_work_limit(calendar) -> None:
    works = [ScheduledWork("11В", "химия", CONTROL, date(2025, 12, day)) for day in (1, 2, 3, 4)]
    assert validate(calendar, *works) == ()


def test_no_class_works_in_the_last_two_weeks_of_the_term(calendar) -> None:
    assert validate(calendar, ScheduledWork("9А", "математика", CLASSWORK, date(2026, 1, 16))) == ()
    (finding,) = validate(calendar, ScheduledWork("9А", "математика", CLASSWORK, date(2026, 1, 19)))
    assert finding.article == "Чл. 136, ал. 1, т. 3"
    assert "от 17.01.2026" in finding.message
    assert validate(calendar, ScheduledWork("9А", "математика", CONTROL, date(2026, 1, 19))) == ()


def test_works_must_fall_on_a_school_day_of_the_term(calendar) -> None:
    saturday = ScheduledWork("9А", "математика", CONTROL, date(2025, 12, 6))
    after_term = ScheduledWork("9А", "математика", CONTROL, date(2026, 2, 2))
    findings = validate(calendar, saturday, after_term)
    assert [f.code for f in findings] == ["classwork.not_school_day"] * 2
    assert "неучебен ден" in findings[0].message


def test_schedule_is_approved_within_two_weeks_of_the_term_start() -> None:
    assert schedule_approval_deadline(date(2026, 2, 9)) == date(2026, 2, 23)
