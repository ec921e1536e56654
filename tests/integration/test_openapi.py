"""The OpenAPI schema documents every REST route, and says which answer CSV."""

from __future__ import annotations

from fastapi.testclient import TestClient

CSV_PATHS = {
    "/api/v1/sessions", "/api/v1/reports/learner-progress", "/api/v1/activities",
    "/api/v1/xapi/statements",
    "/api/v1/learners/{learner_id}/courses",
    "/api/v1/learners/{learner_id}/courses/{course_id}/lessons",
    "/api/v1/learners/{learner_id}/lessons/{lesson_id}/sessions",
    "/api/v1/learners/{learner_id}/sessions/{session_id}/interactions",
}


def _schema(client: TestClient) -> dict:  # type: ignore[type-arg]
    answer = client.get("/api/openapi.json")
    assert answer.status_code == 200
    return dict(answer.json())


def test_every_rest_operation_is_described(client: TestClient) -> None:
    undescribed = [f"{method.upper()} {path}"
                   for path, operations in _schema(client)["paths"].items()
                   if path.startswith("/api/v1/")
                   for method, operation in operations.items()
                   if not (operation.get("description") or "").strip()]
    assert undescribed == []


def test_report_lists_declare_csv_beside_json(client: TestClient) -> None:
    paths = _schema(client)["paths"]
    missing = sorted(path for path in CSV_PATHS
                     if "text/csv" not in paths.get(path, {}).get("get", {})
                     .get("responses", {}).get("200", {}).get("content", {}))
    assert missing == []
