"""Each agency's letters name its own 复议机关, court and 信访 channel (a county department's 复议机关
is the county government under the 2023 行政复议法), and the 延期告知书 gives the handler's reason."""

from tests.support.flows import run_worker
from tests.support.information_requests import add_staff, detail, do, payload, register
from tests.support.web import csrf_from, login


def _finance_agency(staff) -> int:
    add_staff("publisher_cz", ["publisher"], "财政局")
    add_staff("leader_cz", ["leader"], "财政局")
    admin = staff("admin")
    cz = next(d["id"] for d in admin.get("/api/departments").get_json()["items"] if d["name"] == "财政局")
    resp = admin.client.patch(f"/api/departments/{cz}", json={"agency_name": "示例县财政局"}, headers=admin.headers)
    assert resp.status_code == 200, resp.get_json()
    return cz


def _reply(staff, rid, publisher, handler, leader, **draft):
    do(staff(publisher), rid, "review_request", {"decision": "accept"})
    do(staff(handler), rid, "handle", {"decision": "reply"})
    do(staff(handler), rid, "draft_reply", draft)
    do(staff(leader), rid, "leader_signoff", {"decision": "approve", "opinion": "同意"})
    run_worker()
    return detail(staff(publisher), rid)["reply_letter"]["text"]


def test_a_department_agencys_letter_names_the_county_government_and_its_own_channel(client, staff):
    cz = _finance_agency(staff)
    filed = client.post("/api/public/requests", json=payload(agency=str(cz))).get_json()
    rid = next(r["id"] for r in staff("publisher_cz").get("/api/requests").get_json()["items"]
               if r["request_no"] == filed["request_no"])
    text = _reply(staff, rid, "publisher_cz", "drafter2", "leader_cz", outcome="not_processed",
                  not_processed_reason="petition_complaint")
    assert "向示例县人民政府（地址：示例县人民路1号）申请行政复议" in text  # 相对集中复议: the county government
    assert "请通过示例县信访局" in text and "相应渠道" not in text
    # The installation's own letters keep its superior as 复议机关.
    own = register(staff("publisher1"))["id"]
    text = _reply(staff, own, "publisher1", "drafter1", "leader1", outcome="already_public", location="门户网站")
    assert "向示例市人民政府（地址：示例市人民大道1号）申请行政复议" in text

    # A vertically managed agency names its own superior; the channel is the agency's own.
    admin = staff("admin")
    bad = admin.put(f"/api/agency-letters?agency={cz}", json={"reconsideration_body": {"name": "示例市财政局"}})
    assert bad.status_code == 422 and "reconsideration_body" in bad.get_json()["error"]["fields"]
    assert staff("publisher_cz").put(f"/api/agency-letters?agency={cz}", json={}).status_code == 403
    saved = admin.put(f"/api/agency-letters?agency={cz}", json={
        "reconsideration_body": {"name": "示例市财政局", "address": "示例市财政大街2号"},
        "petition_channel": "示例县财政局信访室（电话0538-1111111）"})
    assert saved.status_code == 200 and saved.get_json()["own"] == ["petition_channel", "reconsideration_body"]
    assert staff("publisher_cz").get(f"/api/agency-letters?agency={cz}").get_json()["petition_channel"].startswith("示例县财政局信访室")
    second = client.post("/api/public/requests", json=payload(agency=str(cz), description="举报某单位违规收费")).get_json()
    rid2 = next(r["id"] for r in staff("publisher_cz").get("/api/requests").get_json()["items"]
                if r["request_no"] == second["request_no"])
    text = _reply(staff, rid2, "publisher_cz", "drafter2", "leader_cz", outcome="not_processed",
                  not_processed_reason="petition_complaint")
    assert "向示例市财政局（地址：示例市财政大街2号）申请行政复议" in text and "请通过示例县财政局信访室" in text


def test_the_admin_sets_an_agencys_bodies_on_the_agency_page(app, staff):
    cz = _finance_agency(staff)
    client = login(app.test_client(), "admin")
    page = client.get(f"/admin/agency?agency={cz}").get_data(as_text=True)
    assert 'id="letters"' in page and "示例县人民政府" in page  # the default it overrides, as placeholder
    resp = client.post(f"/admin/agency-letters?agency={cz}", data={
        "csrf_token": csrf_from(page), "reconsideration_body_name": "示例市税务局",
        "reconsideration_body_address": "示例市税务路3号", "litigation_court_name": "", "litigation_court_address": "",
        "petition_channel": ""})
    assert resp.status_code == 302
    values = staff("admin").get(f"/api/agency-letters?agency={cz}").get_json()
    assert values["reconsideration_body"]["name"] == "示例市税务局" and values["own"] == ["reconsideration_body"]
    assert values["litigation_court"]["name"] == "示例县人民法院"  # left empty: the installation's


def test_the_extension_notice_gives_the_handlers_reason(staff):
    rid = register(staff("publisher1"))["id"]
    do(staff("publisher1"), rid, "review_request", {"decision": "accept"})
    resp = do(staff("drafter1"), rid, "handle", {"decision": "extend", "extension_days": 10}, status=422)
    assert "opinion" in resp["error"]["fields"]
    do(staff("drafter1"), rid, "handle", {"decision": "extend", "extension_days": 10,
                                          "opinion": "需调取2019年以来的档案并逐件审查"})
    do(staff("leader1"), rid, "approve_extension", {"decision": "approve", "opinion": "同意"})
    run_worker()
    [notice] = [n for n in staff("publisher1").get(f"/api/requests/{rid}/notices").get_json()["items"]
                if n["kind"] == "extension"]
    assert "因需调取2019年以来的档案并逐件审查，需要延长答复期限" in notice["text"]
