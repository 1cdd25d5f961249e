"""O17's sessions by the rulebook (Чл. 121, ал. 6, т. 6.1 и 6.3): the regular session in November, January,
March and June; the correction sessions in July and September, for XII in May and July."""

from __future__ import annotations

import pytest

from services.documents.catalogue.families.self_study import SELF_STUDY_SESSIONS_ORDER
from services.documents.catalogue.schemas.self_study import SelfStudySessionsOrderSchema


def _errors(**changes) -> dict:
    context = {**SELF_STUDY_SESSIONS_ORDER, **changes}
    context["schedule"] = [{**row, "date": row["date"].replace("-11-", f"-{changes.get('_m', '11')}-")}
                           for row in SELF_STUDY_SESSIONS_ORDER["schedule"]]
    context.pop("_m", None)
    return SelfStudySessionsOrderSchema().validate(context)


@pytest.mark.parametrize(("session", "month", "final_grade", "m"), [
    ("редовна", "ноември", False, "11"), ("редовна", "юни", True, "06"),
    ("първа поправителна", "юли", False, "07"), ("втора поправителна", "септември", False, "09"),
    ("първа поправителна", "май", True, "05"), ("втора поправителна", "юли", True, "07"),
])
def test_the_sessions_months_art_121_al_6(session, month, final_grade, m):
    assert _errors(session=session, month=month, final_grade=final_grade, _m=m) == {}


@pytest.mark.parametrize(("session", "month", "final_grade", "m", "article"), [
    ("редовна", "юли", False, "07", "т. 6.1"),
    ("втора поправителна", "септември", True, "09", "т. 6.3"),  # XII: May and July
    ("първа поправителна", "септември", False, "09", "т. 6.3"),  # the first is July
])
def test_a_month_outside_the_session_is_refused_art_121_al_6(session, month, final_grade, m, article):
    errors = _errors(session=session, month=month, final_grade=final_grade, _m=m)
    assert list(errors) == ["month"]
    assert article in str(errors["month"])


def test_an_exam_outside_the_sessions_month_is_refused():
    errors = _errors(month="януари")  # the exams stay in November
    assert list(errors) == ["schedule"]
    assert "06.11.2023" in str(errors["schedule"])
