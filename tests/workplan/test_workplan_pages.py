"""The work-plan pages keep the departments apart as the API does, and read in English too."""

from tests.support.web import csrf_from, login
from tests.support.workplan import create_plan


def test_pages_show_a_department_only_its_own_tasks(app, staff):
    plan_id = create_plan(staff("office1"))
    tasks = {t["lead_units"][0]: t["id"] for t in staff("office1").get(f"/api/workplans/{plan_id}").get_json()["tasks"]}
    outsider, teacher = login(app.test_client(), "drafter1"), login(app.test_client(), "liaison_jy")
    for url in (f"/workplans/{plan_id}", f"/workplans/tasks/{tasks['财政局']}"):
        assert outsider.get(url).status_code == 404, url
    assert teacher.get(f"/workplans/tasks/{tasks['财政局']}").status_code == 404
    page = teacher.get(f"/workplans/{plan_id}").get_data(as_text=True)
    assert "重要政策文件与解读材料同步公开" in page and "财政预决算" not in page
    assert teacher.get("/workplans/import").status_code == 403
    token = csrf_from(teacher.get(f"/workplans/tasks/{tasks['教育局']}").get_data(as_text=True))
    refused = teacher.post(f"/workplans/tasks/{tasks['教育局']}/review",
                           data={"csrf_token": token, "decision": "accept"})
    assert refused.status_code == 403
    assert teacher.get("/workplans/summary/2026").status_code == 403


def test_the_task_page_reads_in_english(app, staff):
    plan_id = create_plan(staff("office1"))
    task_id = staff("office1").get(f"/api/workplans/{plan_id}").get_json()["tasks"][0]["id"]
    client = login(app.test_client(), "liaison_cz")
    html = client.get(f"/workplans/tasks/{task_id}?lang=en").get_data(as_text=True)
    assert "Report progress" in html and "Lead units" in html and "报送工作进展" not in html


def test_the_openapi_document_describes_the_work_plan_api(client):
    from openapi_spec_validator import validate as validate_openapi

    spec = client.get("/api/openapi.json").get_json()
    validate_openapi(spec)
    paths = spec["paths"]
    preview = paths["/api/workplans/import"]["post"]
    assert set(preview["requestBody"]["content"]) == {"multipart/form-data", "application/json"}
    schemas = spec["components"]["schemas"]

    def resolved(schema):
        return schemas[schema["$ref"].rsplit("/", 1)[1]] if "$ref" in schema else schema

    answer = resolved(preview["responses"]["200"]["content"]["application/json"]["schema"])
    row = resolved(answer["properties"]["rows"]["items"])
    assert {"section", "task", "lead_units", "assist_units", "deadline", "note"} <= set(row["properties"])
    assert "201" in paths["/api/workplans"]["post"]["responses"]
    assert "get" in paths["/api/workplans/{plan_id}"]


def test_the_annual_report_page_offers_the_year_summary_as_a_draft(app, staff):
    create_plan(staff("office1"))
    admin = login(app.test_client(), "admin")
    report = admin.get("/reports/annual/2026").get_data(as_text=True)
    assert 'href="/workplans/summary/2026"' in report
    draft = admin.get("/workplans/summary/2026").get_data(as_text=True)
    assert "全年共分解政务公开重点任务3项" in draft
    assert admin.get("/workplans/summary/2019").status_code == 404
