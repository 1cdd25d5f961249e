from __future__ import annotations

from datetime import date

import pytest

from services.register.absences.rules.errors import ExcuseRefusedError
from services.register.absences.rules.excuses import ExcusePolicy, ExcuseReason, LateDocumentPolicy, check_excuse


def check(reason, from_, to, submitted_on, calendar, used=None, **kwargs):
    return check_excuse(
        reason, from_, to, submitted_on, calendar=calendar, used_days_this_year=used or {}, **kwargs
    )


def test_medical_document_within_three_school_days_of_return(calendar):
    # absent Mon–Wed 13–15.10, back Thu 16.10; 17, 20, 21.10 are the three school days
    decision = check(
        ExcuseReason.MEDICAL, date(2025, 10, 13), date(2025, 10, 15), date(2025, 10, 21), calendar
    )
    assert decision.return_day == date(2025, 10, 16)
    assert decision.deadline == date(2025, 10, 21)
    assert len(decision.school_days) == 3
    assert decision.article == "Чл. 61, ал. 1, т. 1"
    assert decision.quota_left is None
    assert not decision.late


def test_late_medical_document_is_refused_citing_the_article(calendar):
    with pytest.raises(ExcuseRefusedError) as caught:
        check(ExcuseReason.MEDICAL, date(2025, 10, 13), date(2025, 10, 15), date(2025, 10, 22), calendar)
    assert caught.value.field == "submitted_on"
    assert caught.value.message == (
        "Медицинският документ е представен на 22.10.2025, след крайния срок 21.10.2025 "
        "(до 3 учебни дни след завръщането на 16.10.2025, Чл. 61, ал. 1, т. 1)."
    )


def test_late_document_can_be_accepted_flagged_by_policy(calendar):
    policy = ExcusePolicy(late_documents=LateDocumentPolicy.ACCEPT_FLAGGED)
    decision = check(
        ExcuseReason.MEDICAL,
        date(2025, 10, 13),
        date(2025, 10, 15),
        date(2025, 10, 30),
        calendar,
        policy=policy,
    )
    assert decision.late


def test_event_document_deadline_skips_the_vacation(calendar):
    decision = check(
        ExcuseReason.EVENT,
        date(2025, 12, 17),
        date(2025, 12, 18),
        date(2026, 1, 6),
        calendar,
        parent_confirmed=True,
    )
    assert decision.return_day == date(2025, 12, 19)
    assert decision.deadline == date(2026, 1, 6)


def test_event_document_needs_the_parents_confirmation(calendar):
    with pytest.raises(
        ExcuseRefusedError, match=r"потвърждение от родителя \(Чл. 61, ал. 1, т. 2\)"
    ) as caught:
        check(ExcuseReason.EVENT, date(2025, 10, 13), date(2025, 10, 13), date(2025, 10, 14), calendar)
    assert caught.value.field == "parent_confirmed"


def test_parent_application_quota_of_three_school_days(calendar):
    ok = check(
        ExcuseReason.PARENT,
        date(2025, 10, 13),
        date(2025, 10, 13),
        date(2025, 10, 14),
        calendar,
        used={ExcuseReason.PARENT: 2},
        parent_notified_in_advance=True,
    )
    assert ok.quota_left == 0
    with pytest.raises(ExcuseRefusedError, match="до 3 учебни дни в една учебна година") as caught:
        check(
            ExcuseReason.PARENT,
            date(2025, 10, 13),
            date(2025, 10, 14),
            date(2025, 10, 15),
            calendar,
            used={ExcuseReason.PARENT: 2},
            parent_notified_in_advance=True,
        )
    assert "остават 1, а се искат 2" in caught.value.message
    assert caught.value.article == "Чл. 61, ал. 1, т. 3"


def test_parent_application_needs_advance_notice(calendar):
    with pytest.raises(ExcuseRefusedError, match="предварително да уведоми класния ръководител"):
        check(ExcuseReason.PARENT, date(2025, 10, 13), date(2025, 10, 13), date(2025, 10, 14), calendar)


def test_class_teacher_permission_shares_the_parent_quota_by_default(calendar):
    args = (ExcuseReason.PARENT, date(2025, 10, 13), date(2025, 10, 13), date(2025, 10, 14), calendar)
    used = {ExcuseReason.CLASS_TEACHER: 3}
    with pytest.raises(ExcuseRefusedError):
        check(*args, used=used, parent_notified_in_advance=True)
    separate = ExcusePolicy(class_teacher_shares_parent_quota=False)
    assert check(*args, used=used, parent_notified_in_advance=True, policy=separate).quota_left == 2


def test_director_permission_must_precede_the_absence(calendar):
    start, end = date(2025, 9, 18), date(2025, 9, 23)  # Thu, Fri, (Mon 22.09 holiday), Tue: 3 school days
    decision = check(
        ExcuseReason.DIRECTOR,
        start,
        end,
        date(2025, 9, 10),
        calendar,
        used={ExcuseReason.DIRECTOR: 4},
        director_permission_on=date(2025, 9, 12),
    )
    assert len(decision.school_days) == 3
    assert decision.quota_left == 0
    assert decision.deadline is None
    with pytest.raises(ExcuseRefusedError, match="не е предварително"):
        check(ExcuseReason.DIRECTOR, start, end, date(2025, 9, 10), calendar, director_permission_on=start)
    with pytest.raises(ExcuseRefusedError, match="Липсва предварително разрешение на директора"):
        check(ExcuseReason.DIRECTOR, start, end, date(2025, 9, 10), calendar)
    with pytest.raises(ExcuseRefusedError, match=r"до 7 учебни дни .*Чл. 61, ал. 1, т. 4"):
        check(
            ExcuseReason.DIRECTOR,
            start,
            end,
            date(2025, 9, 10),
            calendar,
            used={ExcuseReason.DIRECTOR: 5},
            director_permission_on=date(2025, 9, 12),
        )


def test_bad_periods_are_refused_with_the_field(calendar):
    with pytest.raises(ExcuseRefusedError) as reversed_range:
        check(ExcuseReason.MEDICAL, date(2025, 10, 15), date(2025, 10, 13), date(2025, 10, 16), calendar)
    assert reversed_range.value.field == "to"
    with pytest.raises(ExcuseRefusedError, match="не съдържа учебни дни"):
        check(ExcuseReason.MEDICAL, date(2025, 10, 18), date(2025, 10, 19), date(2025, 10, 20), calendar)


def test_deadlines_are_parameters(calendar):
    strict = ExcusePolicy(medical_deadline_school_days=1)
    with pytest.raises(ExcuseRefusedError, match="до 1 учебни дни"):
        check(
            ExcuseReason.MEDICAL,
            date(2025, 10, 13),
            date(2025, 10, 15),
            date(2025, 10, 20),
            calendar,
            policy=strict,
        )


def test_director_permission_at_the_very_end_of_the_year_needs_no_return_day(calendar):
    decision = check(
        ExcuseReason.DIRECTOR,
        date(2026, 6, 29),
        date(2026, 6, 30),
        date(2026, 6, 20),
        calendar,
        director_permission_on=date(2026, 6, 22),
    )
    assert decision.return_day is None
    assert decision.quota_left == 5
