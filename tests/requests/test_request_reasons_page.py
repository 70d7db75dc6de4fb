"""Art. 35 on the staff request page: the publisher asks for reasons, records the applicant's
answer, then sets a delayed reply (reasonable) or replies 不予处理 (unreasonable); a refused form
comes back with its message beside the field and what was typed."""

import re
from datetime import date as D

import time_machine

from tests.support.information_requests import detail, do, morning, register, sign_and_deliver
from tests.support.web import csrf_from, login


def _key(html: str, form_id: str) -> str:
    form = html[html.index(f'id="{form_id}"'):]
    return re.search(r'name="idempotency_key" value="([^"]+)"', form[:form.index("</form>")]).group(1)


def _field_error(html: str, name: str) -> str:
    found = re.search(rf'<span class="field-error" data-field="{name}">([^<]*)</span>', html)
    return found.group(1) if found else ""


def test_the_publisher_asks_for_reasons_records_them_and_delays_the_reply(staff, app):
    with time_machine.travel(morning(D(2026, 11, 2)), tick=False):
        publisher = staff("publisher1")
        rid = register(publisher)["id"]
        url = f"/requests/{rid}"
        leader_page = login(app.test_client(), "leader1").get(url)
        assert leader_page.status_code == 200  # the intake office's leader sees the request, not the publisher's forms
        assert 'id="reasons-form"' not in leader_page.get_data(as_text=True)
        assert staff("leader1").post(f"/api/requests/{rid}/reasons", json={"period_days": 5}).status_code == 403
        assert staff("drafter1").post(f"/api/requests/{rid}/reasons", json={"period_days": 5}).status_code == 404

        client = login(app.test_client(), "publisher1")
        page = client.get(url).get_data(as_text=True)
        assert 'id="reasons-form"' in page and 'min="1" max="15"' in page and "期限为1至15个工作日" in page
        assert 'id="reasons-answer-form"' not in page and 'id="delay-form"' not in page

        bad = client.post(f"{url}/reasons", data={"csrf_token": csrf_from(page), "idempotency_key": _key(page, "reasons-form"),
                                                  "period_days": "20"})
        assert bad.status_code == 422
        html = bad.get_data(as_text=True)
        assert "1–15 个工作日" in _field_error(html, "period_days") and 'value="20"' in html
        assert "请给出说明理由的期限" in html

        key = _key(html, "reasons-form")
        form = {"csrf_token": csrf_from(html), "idempotency_key": key, "period_days": "5"}
        assert client.post(f"{url}/reasons", data=form).status_code == 302
        assert client.post(f"{url}/reasons", data=form).status_code == 302  # a double click: one notice
        assert [n["kind"] for n in detail(publisher, rid)["notices"]] == ["reasons"]
        page = client.get(url).get_data(as_text=True)
        assert "已出具说明理由通知书" in page and 'data-notice="reasons"' in page
        assert 'id="reasons-form"' not in page and 'id="reasons-answer-form"' in page
        assert "期限至 2026-11-09" in page and 'max="2026-11-02"' in page

        notice_id = detail(publisher, rid)["notices"][0]["id"]
        answer = f"{url}/notices/{notice_id}/answer"
        typed = {"csrf_token": csrf_from(page), "answered_on": "2026-11-02", "reasons": "用于课题研究，需逐年比对"}
        missing = client.post(answer, data=typed)  # reasonable or not: not chosen
        assert missing.status_code == 422
        html = missing.get_data(as_text=True)
        assert "请判断理由是否合理" in _field_error(html, "reasonable") and not _field_error(html, "reasons")
        assert "用于课题研究，需逐年比对</textarea>" in html and 'value="2026-11-02"' in html
        future = client.post(answer, data={**typed, "answered_on": "2026-11-03", "reasonable": "yes"})
        assert future.status_code == 422 and "不能晚于今天" in _field_error(future.get_data(as_text=True), "answered_on")
        assert 'value="yes" required checked' in future.get_data(as_text=True)

        assert client.post(answer, data={**typed, "reasonable": "yes"}).status_code == 302
        page = client.get(url).get_data(as_text=True)
        assert 'id="reasons-answered" data-reasonable="yes"' in page and 'id="reasons-answer-form"' not in page
        assert 'id="delay-form"' in page and 'max="2026-12-28"' in page

        late = client.post(f"{url}/delay", data={"csrf_token": csrf_from(page), "idempotency_key": _key(page, "delay-form"),
                                                 "reply_by": "2026-12-29"})
        assert late.status_code == 422
        html = late.get_data(as_text=True)
        assert "not after 2026-12-28" in _field_error(html, "reply_by") and 'value="2026-12-29"' in html
        done = client.post(f"{url}/delay", data={"csrf_token": csrf_from(html), "idempotency_key": _key(html, "delay-form"),
                                                 "reply_by": "2026-12-14"})
        assert done.status_code == 302
        d = detail(publisher, rid)
        assert (d["due_on"], [n["kind"] for n in d["notices"]]) == ("2026-12-14", ["reasons", "delayed_reply"])
        page = client.get(f"{url}?lang=en").get_data(as_text=True)
        assert "Ask for reasons" in page and 'id="delayed-reply"' in page and 'id="delay-form"' not in page


def test_unreasonable_reasons_lead_to_not_processing_and_a_closed_request_takes_no_form(staff, app):
    with time_machine.travel(morning(D(2026, 11, 2)), tick=False) as clock:
        publisher = staff("publisher1")
        rid = register(publisher)["id"]
        url = f"/requests/{rid}"
        client = login(app.test_client(), "publisher1")
        page = client.get(url).get_data(as_text=True)
        client.post(f"{url}/reasons", data={"csrf_token": csrf_from(page), "idempotency_key": _key(page, "reasons-form"),
                                            "period_days": "3"})
        clock.move_to(morning(D(2026, 11, 6)))  # the 3 working days ran out on 5 November
        client = login(app.test_client(), "publisher1")
        page = client.get(url).get_data(as_text=True)
        assert "期限至 2026-11-05（已届满" in page  # a late answer may still be recorded
        notice_id = detail(staff("publisher1"), rid)["notices"][0]["id"]
        resp = client.post(f"{url}/notices/{notice_id}/answer",
                           data={"csrf_token": csrf_from(page), "answered_on": "2026-11-04", "reasons": "就是想要",
                                 "reasonable": "no"})
        assert resp.status_code == 302
        page = client.get(url).get_data(as_text=True)
        assert 'data-reasonable="no"' in page and "不予处理" in page and 'id="delay-form"' not in page
        do(staff("publisher1"), rid, "review_request", {"decision": "not_request", "not_processed_reason": "excessive"})
        assert "您所说明的理由不合理" in detail(staff("publisher1"), rid)["reply_letter"]["text"]
        sign_and_deliver(staff, rid, D(2026, 11, 6))
        page = client.get(url).get_data(as_text=True)
        assert detail(staff("publisher1"), rid)["status"] == "replied"
        assert 'id="reasons-form"' not in page and 'id="reasons-answer-form"' not in page
