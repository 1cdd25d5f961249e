"""POST /plans/preview and the director's decisions at import (issue 21, item 3), on a three-column plan."""

from __future__ import annotations

import json
from io import BytesIO

from tests.planning.integration.conftest import upload
from tests.planning.plan_samples import three_column_docx


def _preview(api, data: bytes, filename: str = "plan.docx", school_year: str = "2023/2024"):
    return api.request("POST", "/api/planning/plans/preview",
                       data={"file": (BytesIO(data), filename), "school_year": school_year})


def test_preview_shows_columns_dates_and_undated_rows_and_stores_nothing(api):
    answer = _preview(api, three_column_docx())
    assert answer.status_code == 200, answer.json
    body = answer.json
    assert [(c["heading"], c["meaning"]) for c in body["columns"]] == [
        ("Дейност", "дейност"), ("Срок", "срок"), ("Отговорник", "отговорник")]
    assert len(body["activities"]) == 12
    first = body["activities"][0]
    assert (first["section"], first["text"], first["due"], first["status"]) == (
        "I. Организационна дейност", "Откриване на учебната година", "2023-09-15", "dated")
    assert [(u["text"], u["deadline_text"]) for u in body["undated"]] == [
        ("Анализ на резултатите от входните нива", "в края на I срок"), ("Работа по проекти", "ежемесечно")]
    assert all(u["reason"] for u in body["undated"])
    assert api.get("/api/planning/plans").json == []


def test_import_with_a_date_set_and_a_row_accepted_as_undated(api):
    undated = _preview(api, three_column_docx()).json["undated"]
    analysis, projects = (u["key"] for u in undated)
    form = {"file": (BytesIO(three_column_docx()), "plan.docx"), "school_year": "2023/2024",
            "dates": json.dumps({analysis: "2024-02-09", projects: "undated"})}
    answer = api.request("POST", "/api/planning/plans/import", data=form)
    assert answer.status_code == 201, answer.json
    assert answer.json["activities"] == 12
    assert not [w for w in answer.json["warnings"] if "въведете срока ръчно" in w]
    activities = {a["text"]: a for a in api.get(f"/api/planning/plans/{answer.json['plan_id']}/activities").json}
    assert activities["Анализ на резултатите от входните нива"]["due"] == "2024-02-09"
    assert activities["Работа по проекти"]["due"] is None
    assert activities["Работа по проекти"]["status"] == "planned"  # accepted: not "needs a date"


def test_wrong_decisions_and_files_are_refused_naming_the_field(api):
    form = {"file": (BytesIO(three_column_docx()), "plan.docx"), "school_year": "2023/2024",
            "dates": json.dumps({"I/1/nothing": "2024-02-09"})}
    answer = api.request("POST", "/api/planning/plans/import", data=form)
    assert answer.status_code == 422
    assert "dates.I/1/nothing" in json.dumps(answer.json, ensure_ascii=False)
    form = {"file": (BytesIO(three_column_docx()), "plan.docx"), "school_year": "2023/2024", "dates": "[1, 2"}
    answer = api.request("POST", "/api/planning/plans/import", data=form)
    assert answer.status_code == 422
    assert "dates" in answer.json["errors"]
    refused = upload(api, b"just words, no table", "plan.txt")
    assert refused.status_code == 422
    assert _preview(api, b"", "plan.txt").status_code == 422
    assert api.get("/api/planning/plans").json == []
