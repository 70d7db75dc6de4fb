"""Supervision is recorded and counted (Art. 44 ¶2, 46, 47, 51), and fees follow 国办函〔2020〕109号:
按件 counted per agency, 按量 only where 第五条 applies, the report giving the notices and amounts."""

import io

import docx

from engine import clock
from tests.support.flows import run_worker
from tests.support.information_requests import add_staff, detail, do, register, task_for
from tests.support.web import csrf_from, login


def _report(api, **query):
    year = clock.today().year
    resp = api.get(f"/api/reports/annual/{year}", query_string=query)
    assert resp.status_code == 200, resp.get_json()
    return resp


def test_supervision_records_are_kept_handled_and_counted_in_the_report(app, staff):
    today = clock.today().isoformat()  # office1 (政务公开办) is a demo user
    publisher, office = staff("publisher1"), staff("office1")
    rid = register(publisher)["id"]
    missing = publisher.post("/api/supervision", json={"kind": "suggestion", "received_on": today,
                                                        "subject": "建议主动公开道路改造预算"})
    assert missing.status_code == 422 and "request_id" in missing.get_json()["error"]["fields"]
    suggestion = publisher.post("/api/supervision", json={"kind": "suggestion", "received_on": today, "request_id": rid,
                                                           "subject": "建议主动公开道路改造预算"})
    assert suggestion.status_code == 201, suggestion.get_json()
    assert suggestion.get_json()["party"] == "张三"  # the applicant of the request
    assert staff("drafter1").post("/api/supervision", json={"kind": "complaint", "received_on": today, "party": "李四",
                                                            "subject": "x"}).status_code == 403
    bad = office.post("/api/supervision", json={"kind": "accountability", "received_on": today, "party": "某局",
                                                 "subject": "逾期未答复"})
    assert bad.status_code == 422 and "persons" in bad.get_json()["error"]["fields"]
    for body in ({"kind": "assessment", "party": "县政府督查室", "subject": "2026年度政务公开工作考核"},
                 {"kind": "social_review", "party": "第三方评估机构", "subject": "政务公开社会评议"},
                 {"kind": "accountability", "party": "某科室", "subject": "依申请公开逾期答复", "persons": 2},
                 {"kind": "complaint", "party": "李四", "subject": "申请逾期未获答复"}):
        assert office.post("/api/supervision", json={**body, "received_on": today}).status_code == 201
    records = {r["kind"]: r for r in publisher.get("/api/supervision").get_json()["items"]}
    handled = publisher.post(f"/api/supervision/{records['suggestion']['id']}/handle",
                             json={"outcome": "adopted", "handled_on": today, "result": "已纳入主动公开目录"})
    assert handled.status_code == 200 and handled.get_json()["outcome_name"].startswith("采纳")
    again = publisher.post(f"/api/supervision/{records['suggestion']['id']}/handle",
                           json={"outcome": "adopted", "handled_on": today, "result": "x"})
    assert again.status_code == 409
    no_outcome = office.post(f"/api/supervision/{records['complaint']['id']}/handle",
                             json={"handled_on": today, "result": "已核实"})
    assert no_outcome.status_code == 422 and "outcome" in no_outcome.get_json()["error"]["fields"]
    assert office.post(f"/api/supervision/{records['complaint']['id']}/handle",
                       json={"outcome": "upheld", "handled_on": today, "result": "已责令改正"}).status_code == 200
    assert staff("leader1").get("/api/supervision").status_code == 200  # the agency's leader reads them

    figures = _report(staff("admin"), agency="root").get_json()["supervision"]
    assert (figures["suggestion"]["received"], figures["suggestion"]["adopted"]) == (1, 1)
    assert (figures["accountability"]["received"], figures["accountability"]["persons"]) == (1, 2)
    assert (figures["complaint"]["handled"], figures["complaint"]["upheld"]) == (1, 1)
    word = _report(staff("admin"), agency="root", format="docx").data
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(word)).paragraphs)
    assert "监督保障：本年度收到申请人关于将政府信息纳入主动公开范围的建议1件，办结1件，其中采纳1件" in text
    assert "责任追究1起、涉及2人" in text and "收到投诉1件" in text

    client = login(app.test_client(), "publisher1")
    page = client.get("/supervision").get_data(as_text=True)
    assert 'data-table="supervision"' in page and "建议主动公开道路改造预算" in page
    resp = client.post("/supervision", data={"csrf_token": csrf_from(page), "kind": "report", "received_on": today,
                                             "party": "王五", "subject": "举报某单位未公开收费依据"})
    assert resp.status_code == 302
    assert "举报某单位未公开收费依据" in client.get("/supervision").get_data(as_text=True)
    assert 'data-table="supervision"' in client.get("/reports/annual").get_data(as_text=True)


def test_per_request_fees_count_per_agency_and_per_page_only_where_it_applies(staff):
    add_staff("publisher_cz", ["publisher"], "财政局")
    admin = staff("admin")
    cz = next(d["id"] for d in admin.get("/api/departments").get_json()["items"] if d["name"] == "财政局")
    admin.client.patch(f"/api/departments/{cz}", json={"agency_name": "示例县财政局"}, headers=admin.headers)
    publisher = staff("publisher1")
    ours = [register(publisher, description=f"申请公开第{i}项道路工程预算")["id"] for i in range(10)]
    theirs = register(staff("publisher_cz"), description="申请公开财政专项资金分配表")["id"]
    # The applicant's 10 requests to the installation do not make the first to 财政局 chargeable.
    do(staff("publisher_cz"), theirs, "review_request", {"decision": "accept"})
    refused = do(staff("drafter2"), theirs, "handle", {"decision": "fee", "fee_method": "per_request"}, status=422)
    assert "本月第1件" in refused["error"]["message"]
    eleventh = register(publisher, description="申请公开第11项道路工程预算", delivery="on_site")["id"]
    do(publisher, eleventh, "review_request", {"decision": "accept"})
    handle = task_for(staff("drafter1"), eleventh, "handle")
    form = staff("drafter1").get(f"/api/tasks/{handle['id']}").get_json()["form_data"]
    assert [m["value"] for m in form["fee_methods"]] == ["per_request"]  # reading on site: no 按量
    refused = do(staff("drafter1"), eleventh, "handle", {"decision": "fee", "fee_method": "per_page", "pages": 150},
                 status=422)
    assert "第五条" in refused["error"]["fields"]["fee_method"][0]
    do(staff("drafter1"), eleventh, "handle", {"decision": "fee", "fee_method": "per_request"})
    assert detail(publisher, eleventh)["fee"]["amount"] == 100
    by_mail = ours[0]
    do(publisher, by_mail, "review_request", {"decision": "accept"})
    handle = task_for(staff("drafter1"), by_mail, "handle")
    form = staff("drafter1").get(f"/api/tasks/{handle['id']}").get_json()["form_data"]
    assert [m["value"] for m in form["fee_methods"]] == ["per_request", "per_page"]
    do(staff("drafter1"), by_mail, "handle", {"decision": "fee", "fee_method": "per_page", "pages": 150})
    run_worker()
    report = _report(staff("admin"), agency="root").get_json()
    assert report["fee_notices"] == {"count": 2, "amount": 1800}
    assert _report(staff("admin"), agency=str(cz)).get_json()["fee_notices"] == {"count": 0, "amount": 0}
    word = _report(staff("admin"), agency="root", format="docx").data
    assert "发出信息处理费收费通知书2份，金额共计1800元" in "\n".join(
        p.text for p in docx.Document(io.BytesIO(word)).paragraphs)
