"""The annual report page: the national table with its identity check, the chart, the entry forms."""

from datetime import date as D

import time_machine

from tests.support.information_requests import morning, register, reply
from tests.support.web import csrf_from, login


def test_report_page_shows_the_tables_chart_and_saves_entries(staff, app):
    with time_machine.travel(morning(D(2025, 3, 3)), tick=False):
        rid = register(staff("publisher1"), description="2025年财政预算报告")["id"]
        reply(staff, rid, "already_public")
    with time_machine.travel(morning(D(2026, 1, 5)), tick=False):
        client = login(app.test_client(), "publisher1")
        page = client.get("/reports/annual/2025")
        html = page.get_data(as_text=True)
        assert page.status_code == 200 and "（七）总计" in html and "成立" in html
        assert 'id="chart"' in html and "3月 予以公开 1件" in html
        token = csrf_from(html)
        resp = client.post("/reports/annual/2025/text", data={"csrf_token": token, "overview": "总体良好",
                                                              "problems": "", "other_matters": "", "coercion": "2"})
        assert resp.status_code == 302
        resp = client.post("/reports/annual/2025/proceedings", data={"csrf_token": token, "kind": "reconsideration",
                                                                     "result": "upheld"})
        assert resp.status_code == 302
        html = client.get("/reports/annual/2025").get_data(as_text=True)
        assert "总体良好" in html
        assert login(app.test_client(), "drafter1").get("/reports/annual/2025").status_code == 403
