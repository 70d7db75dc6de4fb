"""The catalogue's fields (索引号, 发布机构, dates, 主题分类, 有效性) and the repeal/amend procedure."""

import json
import threading
from datetime import date

from engine import calendar, clock
from engine.db import transaction
from engine.disclosure import catalogue
from tests.support.disclosure import APPROVE, do_task, publish, run_worker

FIELDS = ("index_no", "publisher", "formed_on", "published_on", "topic", "validity")


def patch(api, url, body):
    return api.client.patch(url, json=body, headers=api.headers)


def test_a_published_document_carries_the_catalogue_fields_everywhere(api_as, settings):
    doc_id, publisher = publish(api_as, title="关于做好城乡低保工作的通知", category="social_assistance",
                                body="全文。", formed_on="2026-11-02", channels=["catalogue", "static_export"])
    public = publisher.client.get(f"/api/public/documents/{doc_id}").get_json()
    assert set(FIELDS) <= set(public)
    today = clock.today()
    assert public["index_no"] == f"000000000/2026-{1:07d}"
    assert public["publisher"] == settings.agency_name and public["formed_on"] == "2026-11-02"
    assert public["published_on"] == today.isoformat()
    assert public["topic"] == "民政、扶贫、救灾" and public["area"] == "社会救助"
    assert public["validity"] == {"code": "valid", "name": "有效", "since": None}
    page = publisher.client.get(f"/public/documents/{doc_id}").get_data(as_text=True)
    assert public["index_no"] in page and "民政、扶贫、救灾" in page and "有效" in page
    listing = publisher.client.get("/api/public/documents").get_json()["items"]
    assert listing[0]["index_no"] == public["index_no"]
    exported = json.loads((settings.data_dir / "export" / f"{doc_id}.json").read_text("utf-8"))
    assert {k: exported[k] for k in FIELDS} == {k: public[k] for k in FIELDS}
    feed = publisher.client.get("/public/feed.atom").get_data(as_text=True)
    assert public["index_no"] in feed


def test_index_numbers_follow_the_configured_pattern_and_never_repeat(api_as):
    admin = api_as("admin")
    bad = admin.put("/api/requests/settings", json={"index_pattern": "{agency_code}/{year}"})
    assert bad.status_code == 422 and "index_pattern" in bad.get_json()["error"]["fields"]
    bad = admin.put("/api/requests/settings", json={"index_pattern": "{secret_key}-{seq}"})
    assert bad.status_code == 422
    ok = admin.put("/api/requests/settings", json={"index_pattern": "GK-{year}-{seq:04d}", "agency_code": "11370900X"})
    assert ok.status_code == 200, ok.get_json()
    first, publisher = publish(api_as, title="第一件", body="正文一")
    second, _ = publish(api_as, title="第二件", body="正文二", formed_on="2025-12-30")
    third, _ = publish(api_as, title="第三件", body="正文三")
    numbers = [publisher.client.get(f"/api/public/documents/{d}").get_json()["index_no"] for d in (first, second, third)]
    # The sequence runs per year of formation (成文).
    assert numbers == ["GK-2026-0001", "GK-2025-0001", "GK-2026-0002"]


def test_a_pattern_without_the_year_still_gives_unique_numbers(api_as):
    assert api_as("admin").put("/api/requests/settings", json={"index_pattern": "No.{seq}"}).status_code == 200
    first, publisher = publish(api_as, title="第一件", body="正文一")
    second, _ = publish(api_as, title="第二件", body="正文二", formed_on="2025-12-30")
    numbers = [publisher.client.get(f"/api/public/documents/{d}").get_json()["index_no"] for d in (first, second)]
    assert numbers == ["No.1", "No.2"]


def test_concurrent_publishers_draw_distinct_sequence_numbers(settings):
    drawn, errors = [], []

    def draw():
        try:
            for _ in range(5):
                with transaction() as s:
                    drawn.append(catalogue._next(s, "RACE", 2026))
        except Exception as exc:  # surfaced below: a failed draw is a failed test
            errors.append(exc)

    threads = [threading.Thread(target=draw) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and sorted(drawn) == list(range(1, 31))


def test_topic_and_area_are_checked_at_submission(api_as):
    drafter = api_as("drafter1")
    resp = drafter.post("/api/documents", json={"title": "x", "attribute": "proactive", "topic": "天气", "area": "火星"})
    assert resp.status_code == 422
    assert {"topic", "area"} <= set(resp.get_json()["error"]["fields"])


def test_repealing_a_normative_document_is_a_procedure_with_its_own_deadline(api_as):
    target, publisher = publish(api_as, title="示例县城市绿化管理办法", category="normative", body="第一条……", interpretation="解读：……",
                                formed_on="2026-03-02")
    drafter = api_as("drafter1")
    submission = {"title": "关于废止《示例县城市绿化管理办法》的决定", "category": "normative", "attribute": "proactive",
                  "formed_on": "2026-11-02", "body": "决定废止。", "interpretation": "废止说明。",
                  "changes_document_id": target, "change_kind": "repeal"}
    change = drafter.post("/api/documents", json=submission).get_json()["id"]
    detail = drafter.get(f"/api/documents/{change}").get_json()
    # Changed information is published within 20 working days of the change (Art. 26).
    assert detail["publish_by"] == calendar.add_working_days(date(2026, 11, 2), 20).isoformat()
    assert publisher.client.get(f"/api/public/documents/{target}").get_json()["validity"]["code"] == "valid"
    do_task(api_as("reviewer1"), change, APPROVE)
    do_task(api_as("secrecy1"), change, APPROVE)
    do_task(api_as("head1"), change, APPROVE)  # a 规范性文件: the head approves before publication
    run_worker()
    do_task(publisher, change, {"decision": "confirm"})
    run_worker()
    repealed = publisher.client.get(f"/api/public/documents/{target}").get_json()
    assert repealed["validity"] == {"code": "repealed", "name": "废止", "since": "2026-11-02"}
    assert [c["id"] for c in repealed["changed_by"]] == [change]
    page = publisher.client.get(f"/public/documents/{target}").get_data(as_text=True)
    assert "废止" in page and "关于废止《示例县城市绿化管理办法》的决定" in page


def test_a_change_must_target_a_published_document_in_force(api_as):
    drafter = api_as("drafter1")
    draft = drafter.post("/api/documents", json={"title": "草稿", "attribute": "proactive", "body": "x"}).get_json()["id"]
    base = {"title": "废止决定", "attribute": "proactive", "body": "x", "change_kind": "repeal"}
    for body in ({**base, "changes_document_id": draft}, {**base, "changes_document_id": 999999},
                 {**base, "changes_document_id": None}, {**base, "changes_document_id": "abc"}):
        resp = drafter.post("/api/documents", json=body)
        assert resp.status_code == 422, body
        assert "changes_document_id" in resp.get_json()["error"]["fields"]
