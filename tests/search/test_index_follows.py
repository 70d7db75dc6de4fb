"""The index follows the procedure in the same transactions (publication, amendment, repeal,
take-down) and answers with published fields only, never the original or a withheld document."""
from engine import clock
from tests.support.disclosure import publish

SECRET_ID = "110101199003074573"
PUBLIC_FIELDS = {"id", "title", "doc_number", "category", "category_name", "formed_on", "published_at", "index_no",
                 "publisher", "published_on", "topic", "area", "validity", "publicity", "title_html", "snippet", "summary"}


def _found(client, query):
    resp = client.get(f"/api/public/documents?{query}")
    assert resp.status_code == 200, resp.get_json()
    body = resp.get_json()
    return {d["id"]: d for d in body["items"]}, body["total"]


def test_the_public_answer_carries_only_published_fields(api_as):
    doc_id, publisher = publish(api_as, title="城乡低保对象审核情况", category="general",
                                body=f"户主张三，身份证号{SECRET_ID}，联系电话13912341234，审核通过。")
    client = publisher.client
    items, total = _found(client, "q=审核通过")
    assert total == 1 and set(items[doc_id]) == PUBLIC_FIELDS
    assert SECRET_ID not in items[doc_id]["snippet"] and "13912341234" not in items[doc_id]["snippet"]
    assert _found(client, f"q={SECRET_ID}")[1] == 0  # the original's personal data was never indexed
    assert _found(client, "q=13912341234")[1] == 0
    drafter = api_as("drafter1")
    withheld = drafter.post("/api/documents", json={
        "title": "审核通过的内部请示", "category": "general", "attribute": "withheld", "attribute_ground": "internal_affairs",
        "attribute_reason": "内部事务", "formed_on": clock.today().isoformat(), "body": "审核通过"}).get_json()["id"]
    items, total = _found(client, "q=审核通过")
    assert withheld not in items and total == 1


def test_the_index_follows_amendment_repeal_and_take_down(api_as):
    target, publisher = publish(api_as, title="示例县城市绿化管理办法", category="general", body="第一条 绿化养护……")
    client = publisher.client
    assert set(_found(client, "q=绿化养护")[0]) == {target}
    amendment, _ = publish(api_as, title="关于修改《示例县城市绿化管理办法》的决定", category="general",
                           body="绿化养护标准提高。", changes_document_id=target, change_kind="amend")
    items, total = _found(client, "q=绿化养护")
    assert list(items) == [amendment, target] and total == 2  # newest first; the amended one stays valid
    assert items[target]["validity"]["code"] == "valid"
    repeal, _ = publish(api_as, title="关于废止《示例县城市绿化管理办法》的决定", category="general",
                        body="决定废止。", changes_document_id=target, change_kind="repeal")
    assert set(_found(client, "q=绿化&validity=repealed")[0]) == {target}  # the repeal's transaction moved it
    assert set(_found(client, "q=绿化&validity=valid")[0]) == {amendment, repeal}
    taken = publisher.post(f"/api/documents/{target}/take-down", json={"reason": "内容有误"})
    assert taken.status_code == 200, taken.get_json()
    items, total = _found(client, "q=绿化养护")
    assert list(items) == [amendment] and total == 1
    page = client.get("/public?q=绿化养护").get_data(as_text=True)
    assert 'data-total="1"' in page and "示例县城市绿化管理办法</a>" not in page


def test_staff_find_their_documents_by_any_word_of_the_title(api_as):
    drafter, other = api_as("drafter1"), api_as("drafter2")
    doc_id = drafter.post("/api/documents", json={
        "title": "城区道路改造工程预算明细", "category": "general", "attribute": "proactive", "formed_on": clock.today().isoformat(),
        "doc_number": "示建发〔2026〕12号", "body": "明细"}).get_json()["id"]
    reviewer = api_as("reviewer1")
    for q in ("改造 预算", "12号", "道路"):
        items = reviewer.get(f"/api/tasks?scope=available&q={q}").get_json()["items"]
        assert [t["document_id"] for t in items] == [doc_id], q
    assert reviewer.get("/api/tasks?scope=available&q=学校").get_json()["items"] == []
    assert other.get("/api/tasks?scope=all&q=道路").get_json()["items"] == []  # another department's: not theirs
