"""Taking a published document down (撤下), and the 公示 that may not come down before its minimum
period (the DMN row the office edits): through the API, the pages, the feed, the export, the webhook."""

import hashlib
import hmac
import json
import re
from datetime import date

import time_machine

from engine import bootstrap, users
from engine.config import current
from engine.db import transaction
from engine.disclosure import takedown
from tests.support.disclosure import publish, run_worker
from tests.support.information_requests import morning
from tests.support.web import csrf_from, login
from tests.support.webhook import SECRET

NOTICE = "经研究，拟对以下同志予以表彰，现予公示。公示期间如有异议，请向县政府办公室反映。"


def take_down(api, doc_id, reason="信息有误，需更正后重新发布"):
    return api.post(f"/api/documents/{doc_id}/take-down", json={"reason": reason})


def public_everywhere(client, doc_id, title) -> dict:
    """Where the public could find the document: API, page, catalogue search, feed."""
    listing = client.get("/api/public/documents").get_json()["items"]
    return {"api": client.get(f"/api/public/documents/{doc_id}").status_code,
            "page": client.get(f"/public/documents/{doc_id}").status_code,
            "listed": any(d["id"] == doc_id for d in listing),
            "search": f'/public/documents/{doc_id}"' in client.get(f"/public?q={title}").get_data(as_text=True),
            "feed": title in client.get("/public/feed.atom").get_data(as_text=True)}


def test_a_publicity_notice_comes_down_only_after_its_minimum_period(api_as, settings, receiver):
    title = "关于2026年度拟表彰先进个人的公示"
    with time_machine.travel(morning(date(2026, 11, 2)), tick=False) as clock:
        doc_id, _ = publish(api_as, title=title, body=NOTICE, publicity=True,
                            channels=["catalogue", "static_export", "webhook"])
        public = api_as().get(f"/api/public/documents/{doc_id}").get_json()
        assert public["publicity"] == {"from": "2026-11-02", "to": None, "min_days": 10, "unit": "calendar",
                                       "may_end_on": "2026-11-12"}
        page = api_as().client.get(f"/public/documents/{doc_id}").get_data(as_text=True)
        assert "公示期" in page and "自2026-11-02起，不少于10天" in page
        assert public_everywhere(api_as().client, doc_id, title) == {
            "api": 200, "page": 200, "listed": True, "search": True, "feed": True}

        clock.move_to(morning(date(2026, 11, 11)))  # the tenth day: still inside the period
        refused = take_down(api_as("publisher1"), doc_id)
        assert refused.status_code == 422
        assert "2026-11-12" in refused.get_json()["error"]["message"]

        clock.move_to(morning(date(2026, 11, 12)))
        done = take_down(api_as("publisher1"), doc_id, "公示期满")
        assert done.status_code == 200, done.get_json()
        assert done.get_json()["status"] == "taken_down" and done.get_json()["taken_down"]["by"] == "publisher1"
        assert take_down(api_as("publisher1"), doc_id).status_code == 409  # once

        client = api_as().client
        assert public_everywhere(client, doc_id, title) == {
            "api": 410, "page": 410, "listed": False, "search": False, "feed": False}
        gone = client.get(f"/api/public/documents/{doc_id}").get_json()
        assert gone["error"]["code"] == "gone" and gone["errors"][0]["index_no"] == public["index_no"]
        page = client.get(f"/public/documents/{doc_id}").get_data(as_text=True)
        assert "该信息已撤下" in page and public["index_no"] in page and NOTICE not in page
        assert not (settings.data_dir / "export" / f"{doc_id}.json").exists()
        assert not (settings.data_dir / "export" / f"{doc_id}.html").exists()

        staff = api_as("publisher1").get(f"/api/documents/{doc_id}").get_json()
        assert staff["index_no"] == public["index_no"]  # kept, never given again
        assert {p["channel"]: p["status"] for p in staff["publications"]} == {
            "catalogue": "taken_down", "static_export": "taken_down", "webhook": "taking_down"}
        assert [(h["actor"], h["detail"]["reason"]) for h in staff["history"] if h["action"] == "taken_down"] == [
            ("publisher1", "公示期满")]

        run_worker()  # the webhook channel is told
        signature, body = receiver.received[-1]
        assert signature == "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        event = json.loads(body)
        assert (event["event"], event["id"], event["index_no"]) == ("taken_down", doc_id, public["index_no"])
        assert "reason" not in event and json.loads(receiver.received[0][1])["event"] == "published"
        staff = api_as("publisher1").get(f"/api/documents/{doc_id}").get_json()
        assert {p["status"] for p in staff["publications"]} == {"taken_down"}


def open_incidents(api_as) -> list[dict]:
    resp = api_as("admin").get("/api/incidents")
    assert resp.status_code == 200
    return resp.get_json()["items"]


def test_a_webhook_that_keeps_failing_opens_an_incident_and_the_admins_retry_tells_it(api_as, app, receiver,
                                                                                      monkeypatch):
    monkeypatch.setattr(current(), "job_retries", 3)
    title = "关于暂停办理不动产登记业务的通知"
    doc_id, publisher = publish(api_as, title=title, body="因系统升级暂停办理。", channels=["catalogue", "webhook"])
    index_no = publisher.get(f"/api/documents/{doc_id}").get_json()["index_no"]
    instance_id = publisher.get(f"/api/documents/{doc_id}").get_json()["instance_id"]
    receiver.fail_first = 1000  # the receiver answers 503 to every try
    assert take_down(publisher, doc_id, "系统升级已取消").status_code == 200
    run_worker()

    assert 1000 - receiver.fail_first == 3 and [json.loads(b)["event"] for _, b in receiver.received] == ["published"]
    (incident,) = open_incidents(api_as)
    assert incident["instance_id"] == instance_id
    for words in ("撤下通知推送失败", title, index_no, current().webhook_url, "已尝试 3 次"):
        assert words in incident["message"], (words, incident["message"])
    page = login(app.test_client(), "admin").get("/admin/processes").get_data(as_text=True)
    assert "撤下通知推送失败" in page and index_no in page
    staff = publisher.get(f"/api/documents/{doc_id}").get_json()
    assert staff["status"] == "taken_down" and staff["progress"]["incident"] is not None
    assert {p["channel"]: p["status"] for p in staff["publications"]} == {"catalogue": "taken_down",
                                                                        "webhook": "taking_down"}
    # The procedure ended at publication: the failed notice does not make it active again.
    assert api_as("admin").get(f"/api/process-instances/{instance_id}").get_json()["status"] == "completed"
    assert public_everywhere(publisher.client, doc_id, title)["api"] == 410
    page = login(app.test_client(), "publisher1").get(f"/documents/{doc_id}").get_data(as_text=True)
    assert "系统在通知推送渠道撤下时出错" in page and "已撤下" in page

    receiver.fail_first = 0  # the receiver is back
    assert api_as("admin").post(f"/api/incidents/{incident['id']}/retry").status_code == 200
    run_worker()
    events = [json.loads(body) for _, body in receiver.received]
    assert [(e["event"], e["id"]) for e in events] == [("published", doc_id), ("taken_down", doc_id)]
    signature, body = receiver.received[-1]
    assert signature == "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert open_incidents(api_as) == []
    staff = publisher.get(f"/api/documents/{doc_id}").get_json()
    assert {p["status"] for p in staff["publications"]} == {"taken_down"} and staff["progress"]["incident"] is None
    assert api_as("admin").get(f"/api/process-instances/{instance_id}").get_json()["status"] == "completed"
    run_worker()  # told once: nothing is sent again
    assert len(receiver.received) == 2


def _publisher_of_finance():
    with transaction() as s:
        users.create_user("publisher_cz", bootstrap.DEMO_PASSWORD, ["publisher"], "财政局", display_name="财政局公开专员",
                          session=s, password_hash=bootstrap._demo_hash())


def test_only_the_departments_publisher_takes_a_document_down_and_with_a_reason(api_as, settings):
    title = "关于调整城区公交线路的通知"
    doc_id, publisher = publish(api_as, title=title, body="自12月1日起调整。")
    _publisher_of_finance()
    assert take_down(api_as("drafter1"), doc_id).status_code == 403
    assert take_down(api_as("reviewer1"), doc_id).status_code == 403
    assert take_down(api_as("publisher_cz"), doc_id).status_code == 404  # 财政局: not even seen
    no_reason = take_down(publisher, doc_id, "  ")
    assert no_reason.status_code == 422 and "reason" in no_reason.get_json()["error"]["fields"]
    assert public_everywhere(publisher.client, doc_id, title)["api"] == 200

    done = take_down(publisher, doc_id, "线路调整方案已撤回")
    assert done.status_code == 200
    # Taking down is not repeal: the document keeps its validity; it is simply no longer public.
    assert done.get_json()["validity"]["code"] == "valid" and done.get_json()["publicity"] is None
    assert public_everywhere(publisher.client, doc_id, title) == {
        "api": 410, "page": 410, "listed": False, "search": False, "feed": False}
    # A later document never gets the number of the one taken down.
    second, _ = publish(api_as, title="第二件", body="正文")
    numbers = {api_as("publisher1").get(f"/api/documents/{d}").get_json()["index_no"] for d in (doc_id, second)}
    assert len(numbers) == 2


def test_the_publisher_takes_a_document_down_from_its_page(api_as, app):
    doc_id, _ = publish(api_as, title="关于拟确定低保对象的公示", category="social_assistance", body="户主李四，3人。")
    drafter = login(app.test_client(), "drafter1")
    assert 'id="take-down"' not in drafter.get(f"/documents/{doc_id}").get_data(as_text=True)
    web = login(app.test_client(), "publisher1")
    page = web.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert 'id="take-down"' in page and "不少于10天" in page  # a 社会救助公示 is always a 公示
    refused = web.post(f"/documents/{doc_id}/take-down", data={"csrf_token": csrf_from(page), "reason": "已完成"})
    text = refused.get_data(as_text=True)
    assert refused.status_code == 422 and re.search(r"公示期不得少于10天，\d{4}-\d\d-\d\d起方可撤下", text)
    assert api_as().client.get(f"/public/documents/{doc_id}").status_code == 200

    other, _ = publish(api_as, title="关于征集意见的通知", body="欢迎提出意见。")
    page = web.get(f"/documents/{other}").get_data(as_text=True)
    done = web.post(f"/documents/{other}/take-down", data={"csrf_token": csrf_from(page), "reason": "征集已结束"})
    assert done.status_code == 302
    page = web.get(f"/documents/{other}").get_data(as_text=True)
    assert "撤下记录" in page and "征集已结束" in page and "已撤下" in page and 'id="take-down"' not in page
    assert "撤下发布" in page  # the timeline names the step


def test_a_planned_publicity_end_takes_the_notice_down_by_itself(api_as, settings):
    from workers.periodic import periodic

    assert ("take_down_ended_publicity", 60, takedown.sweep_ended) in periodic()
    drafter = api_as("drafter1")
    with time_machine.travel(morning(date(2026, 11, 2)), tick=False) as clock:
        too_short = drafter.post("/api/documents", json={"title": "x", "attribute": "proactive", "body": "x",
                                                         "publicity_until": "2026-11-05"})
        assert too_short.status_code == 422
        assert "2026-11-11" in too_short.get_json()["error"]["fields"]["publicity_until"][0]
        doc_id, _ = publish(api_as, title="关于拟征收土地的公示", body="公示如下。", publicity_until="2026-11-20")
        assert api_as().get(f"/api/public/documents/{doc_id}").get_json()["publicity"]["to"] == "2026-11-20"

        clock.move_to(morning(date(2026, 11, 20), hour=23))  # its last day
        assert takedown.sweep_ended() == 0
        assert api_as().get(f"/api/public/documents/{doc_id}").status_code == 200
        clock.move_to(morning(date(2026, 11, 21), hour=0))
        assert takedown.sweep_ended() == 1
        assert api_as().get(f"/api/public/documents/{doc_id}").status_code == 410
        staff = api_as("publisher1").get(f"/api/documents/{doc_id}").get_json()
        assert staff["taken_down"]["by"] == "system" and "2026-11-02至2026-11-20" in staff["taken_down"]["reason"]


def test_the_office_changes_the_minimum_period_in_the_decision_table(api_as, app):
    admin = login(app.test_client(), "admin")
    editor = admin.get("/admin/decisions/workplan_deadlines.dmn/edit").get_data(as_text=True)
    xml = json.loads(re.search(r'id="dmn-xml">(.*?)</script>', editor, re.S).group(1))
    changed = xml.replace('<outputEntry id="workplan_deadlines_r0_days"><text>10</text>',
                          '<outputEntry id="workplan_deadlines_r0_days"><text>15</text>')
    saved = admin.post("/admin/decisions/workplan_deadlines.dmn", json={"xml": changed},
                       headers={"X-CSRFToken": csrf_from(editor)})
    assert saved.status_code == 200, saved.get_json()
    with time_machine.travel(morning(date(2026, 11, 2)), tick=False) as clock:
        doc_id, _ = publish(api_as, title="关于拟录用公务员的公示", body="公示如下。", publicity=True)
        assert api_as().get(f"/api/public/documents/{doc_id}").get_json()["publicity"]["may_end_on"] == "2026-11-17"
        clock.move_to(morning(date(2026, 11, 12)))  # ten days were enough before; now fifteen are needed
        refused = take_down(api_as("publisher1"), doc_id)
        assert refused.status_code == 422 and "公示期不得少于15天，2026-11-17起方可撤下" in refused.get_json()["error"]["message"]
        clock.move_to(morning(date(2026, 11, 17)))
        assert take_down(api_as("publisher1"), doc_id).status_code == 200
