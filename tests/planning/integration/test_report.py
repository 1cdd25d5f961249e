"""The end-of-year report on the plan's execution, drawn up by documents (issue 7, item 4)."""

from __future__ import annotations

import sqlalchemy as sa

from services.documents.rendering import RenderError
from shared.messaging import dead_letters
from tests.planning.integration.conftest import by_name
from tests.support.pages import signed_in
from tests.support.school import SCHOOL

PASSWORD = "дълга-парола-1"


def _reports_until(api, plan_id: int, field: str) -> list[dict]:
    """The plan's reports once the first has ``field`` set (drained up to five times: see the first test)."""
    for _ in range(5):
        api.drain()
        reports = api.get(f"/api/planning/plans/{plan_id}/reports").json
        assert isinstance(reports, list), reports
        if reports[0][field]:
            break
    return reports


def _ask_with_a_failing_renderer(api, plan_id: int, process, monkeypatch, error: Exception) -> list[dict]:
    """The report asked for while documents' renderer raises ``error``; the reports once it has failed."""
    assert api.put("/api/register/school", json=SCHOOL).status_code == 200
    api.drain()

    def failing(_spec, _context):
        raise error

    monkeypatch.setattr(process.runtime("documents").components.renderer, "render", failing)
    answer = api.post(f"/api/planning/plans/{plan_id}/report", json={"council_protocol": "протокол № 14"})
    assert answer.status_code == 202, answer.json
    return _reports_until(api, plan_id, "failure")


def test_report_is_drawn_up_as_a_word_document(api, imported, process):
    plan_id = imported["plan_id"]
    activities = by_name(api.get(f"/api/planning/plans/{plan_id}/activities").json)
    api.patch(f"/api/planning/activities/{activities['II/1.6']['id']}",
              json={"status": "done", "current": 1, "evidence": "Заповед № 12/25.09.2023"})
    api.patch(f"/api/planning/activities/{activities['II/1.1']['id']}", json={"status": "in_progress"})

    no_school = api.post(f"/api/planning/plans/{plan_id}/report", json={"council_protocol": "протокол № 14"})
    assert no_school.status_code == 409  # the letterhead comes from register

    assert api.put("/api/register/school", json=SCHOOL).status_code == 200
    api.drain()
    assert api.post(f"/api/planning/plans/{plan_id}/report", json={}).status_code == 422
    answer = api.post(f"/api/planning/plans/{plan_id}/report",
                      json={"council_protocol": "протокол № 14 от 28.06.2024 г.", "prepared_on": "2024-06-28"})
    assert answer.status_code == 202, answer.json
    # four hops (planning → documents → its rendering job → planning); a drain can return while
    # the PostgreSQL relay thread still holds the last row, so drain again until the answer is back
    reports = _reports_until(api, plan_id, "document_id")
    assert len(reports) == 1
    assert reports[0]["document_id"], reports
    document = api.get(f"/api/documents/documents/{reports[0]['document_id']}").json
    assert (document["template"], document["status"]) == ("plan_execution_report", "done"), document

    documents = process.runtime("documents")
    with documents.db.sessions() as s:
        context = s.scalar(sa.text("SELECT context FROM documents WHERE id = :id"),
                           {"id": reports[0]["document_id"]})
    context = context if isinstance(context, dict) else __import__("json").loads(context)
    assert context["school_year"] == "2023/2024"
    assert len(context["activities"]) == 82
    rows = {row["number"]: row for row in context["activities"]}
    assert rows["II/1.6"]["status"] == "done"
    assert "Заповед № 12/25.09.2023" in rows["II/1.6"]["note"]
    assert rows["II/1.1"]["status"] == "partial"
    assert rows["I/1.1"]["deadline"] == "без срок"


def test_only_management_asks_for_the_report(api, make_user, imported):
    _tid, teacher = make_user("teacher", "Учител")
    assert api.as_(teacher).post(f"/api/planning/plans/{imported['plan_id']}/report",
                                 json={"council_protocol": "протокол № 14"}).status_code == 403


def test_a_report_documents_cannot_draw_up_says_so_with_the_reason_and_can_be_asked_again(
        api, make_user, imported, process, monkeypatch, app):
    """documents sends ``documents.document_failed`` for a render that fails for good: the report is no longer
    „съставя се…“ for ever but „неуспешно“ with documents' reason, and the form asks for it again."""
    plan_id = imported["plan_id"]
    reports = _ask_with_a_failing_renderer(api, plan_id, process, monkeypatch,
                                           RenderError("Шаблонът не може да бъде попълнен: повреден файл."))
    assert reports[0]["document_id"] is None
    assert reports[0]["failure"] == "Шаблонът не може да бъде попълнен: повреден файл."
    make_user("director", "Директор Отчет", password=PASSWORD)
    page = signed_in(app, "Директор Отчет", PASSWORD).get(f"/planning/plans/{plan_id}").get_data(as_text=True)
    assert "неуспешно" in page
    assert "повреден файл" in page
    assert "съставя се" not in page
    assert 'href="#report-form"' in page
    assert "every " not in page.split('id="plan-reports"')[1].split(">")[0]  # no more polling


def test_a_report_given_up_and_sent_again_by_the_administrator_arrives_and_is_no_longer_a_failure(
        api, imported, process, monkeypatch):
    """A render failing unexpectedly is retried, then given up (the report „неуспешно“); once the cause is
    gone the administrator sends the dead letter again and the report arrives, with no failure left."""
    plan_id = imported["plan_id"]
    reports = _ask_with_a_failing_renderer(api, plan_id, process, monkeypatch,
                                           OSError("the renderer's temporary folder is gone"))
    assert reports[0]["failure"].startswith("Неочаквана грешка при съставянето")
    monkeypatch.undo()

    [letter] = dead_letters.list_dead(process.broker.client, ["documents_jobs"])
    assert dead_letters.retry(process.broker.client, "documents_jobs", letter["id"])
    reports = _reports_until(api, plan_id, "document_id")
    assert reports[0]["document_id"], reports
    assert reports[0]["failure"] is None
    assert api.get(f"/api/documents/documents/{reports[0]['document_id']}").json["status"] == "done"
