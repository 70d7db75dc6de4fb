"""A document's files through the API: taken in with the submission (multipart), refused by name,
changed only while the document is with its drafter, read by staff under the document's rule."""

import io

from engine.models import Document, DocumentFile
from tests.support.disclosure import do_task
from tests.support.document_files import NOTICE, list_csv, multipart, notice_docx
from tests.support.flows import count


def submit(api, **kw):
    return api.post("/api/documents", content_type="multipart/form-data", data=multipart(**kw))


def test_a_docx_body_and_attachments_come_in_with_the_submission(api_as):
    drafter = api_as("drafter1")
    resp = submit(drafter, body=("通知.docx", notice_docx()), attachments=[("名单.csv", list_csv())])
    assert resp.status_code == 201, resp.get_json()
    created = resp.get_json()
    assert [(f["role"], f["name"], f["kind"]) for f in created["files"]] == \
        [("body", "通知.docx", "docx"), ("attachment", "名单.csv", "csv")]
    detail = drafter.get(f"/api/documents/{created['id']}").get_json()
    assert NOTICE[2] in detail["body"]  # the body's text, for the reviewers and the catalogue page
    assert detail["files"][1]["size"] == len(list_csv()) and detail["files"][1]["state"] == "uploaded"
    original = drafter.get(f"/api/documents/{created['id']}/files/{detail['files'][1]['id']}/original")
    assert original.status_code == 200 and original.data == list_csv()
    assert "filename" in original.headers["Content-Disposition"]


def test_a_refused_file_is_named_and_nothing_is_created(api_as):
    drafter = api_as("drafter1")
    resp = submit(drafter, fields={"formed_on": "昨天"}, body=("通知.docx", notice_docx()),
                  attachments=[("名单.csv", list_csv()), ("扫描件.png", b"this is not an image")])
    assert resp.status_code == 422
    error = resp.get_json()["error"]
    assert "扫描件.png" in error["message"] and any("扫描件.png" in m for m in error["fields"]["attachments"])
    assert "formed_on" in error["fields"]  # every field and file to fix, in one answer
    assert count(Document) == 0 and count(DocumentFile) == 0
    wrong_body = submit(drafter, body=("名单.csv", list_csv()))
    assert wrong_body.status_code == 422 and "名单.csv" in wrong_body.get_json()["error"]["fields"]["file"][0]


def test_the_same_idempotency_key_with_the_same_files_creates_one_document(api_as):
    drafter = api_as("drafter1")
    key = {"Idempotency-Key": "files-once"}
    first = drafter.post("/api/documents", content_type="multipart/form-data", headers=key,
                         data=multipart(attachments=[("名单.csv", list_csv())]))
    again = drafter.post("/api/documents", content_type="multipart/form-data", headers=key,
                         data=multipart(attachments=[("名单.csv", list_csv())]))
    assert first.status_code == again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json()["id"] == first.get_json()["id"] and count(DocumentFile) == 1
    other = drafter.post("/api/documents", content_type="multipart/form-data", headers=key,
                         data=multipart(attachments=[("名单.csv", list_csv()[:-10])]))
    assert other.status_code == 422 and count(Document) == 1


def test_attachments_change_only_while_the_document_is_with_its_drafter(api_as):
    drafter, reviewer = api_as("drafter1"), api_as("reviewer1")
    doc_id = submit(drafter, attachments=[("名单.csv", list_csv())]).get_json()["id"]
    files = drafter.get(f"/api/documents/{doc_id}/files").get_json()["items"]
    more = {"attachments": (io.BytesIO(list_csv()), "补充名单.csv")}
    late = drafter.post(f"/api/documents/{doc_id}/files", content_type="multipart/form-data", data=more)
    assert late.status_code == 409 and "不能再修改" in late.get_json()["error"]["message"]
    assert drafter.client.delete(f"/api/documents/{doc_id}/files/{files[0]['id']}",
                                 headers=drafter.headers).status_code == 409

    do_task(reviewer, doc_id, {"decision": "return", "opinion": "请补充名单"})  # 退文
    added = drafter.post(f"/api/documents/{doc_id}/files", content_type="multipart/form-data",
                         data={"attachments": (io.BytesIO(list_csv()), "补充名单.csv")})
    assert added.status_code == 201, added.get_json()
    assert reviewer.post(f"/api/documents/{doc_id}/files", content_type="multipart/form-data",
                         data={"attachments": (io.BytesIO(list_csv()), "x.csv")}).status_code == 403
    replaced = drafter.put(f"/api/documents/{doc_id}/files/{files[0]['id']}", content_type="multipart/form-data",
                           data={"file": (io.BytesIO(list_csv([["姓名"], ["李四"]])), "新名单.csv")})
    assert replaced.status_code == 200 and replaced.get_json()["name"] == "新名单.csv"
    left = drafter.client.delete(f"/api/documents/{doc_id}/files/{added.get_json()['items'][0]['id']}",
                                 headers=drafter.headers)
    assert [f["name"] for f in left.get_json()["items"]] == ["新名单.csv"]
    bad = drafter.post(f"/api/documents/{doc_id}/files", content_type="multipart/form-data",
                       data={"attachments": (io.BytesIO(b"MZ\x90\x00"), "病毒.xlsx")})
    assert bad.status_code == 422 and "病毒.xlsx" in bad.get_json()["error"]["fields"]["attachments"][0]


def test_originals_follow_the_document_rule(api_as, client):
    doc_id = submit(api_as("drafter1"), attachments=[("名单.csv", list_csv())]).get_json()["id"]
    file_id = api_as("drafter1").get(f"/api/documents/{doc_id}/files").get_json()["items"][0]["id"]
    url = f"/api/documents/{doc_id}/files/{file_id}/original"
    assert api_as("reviewer1").get(url).status_code == 200
    assert api_as("drafter2").get(url).status_code in (403, 404)
    assert client.get(url).status_code == 401
    assert client.get(f"/public/documents/{doc_id}/files/{file_id}").status_code == 404


def test_the_openapi_document_describes_the_multipart_submission(client):
    spec = client.get("/api/openapi.json").get_json()
    body = spec["paths"]["/api/documents"]["post"]["requestBody"]["content"]
    props = body["multipart/form-data"]["schema"]["properties"]
    assert props["file"]["format"] == "binary" and props["attachments"]["items"]["format"] == "binary"
    assert "application/json" in body
    public = spec["components"]["schemas"]["PublishedDocument"]["properties"]["files"]
    assert public["items"]["$ref"].endswith("PublicFile")


def test_a_returned_document_offers_its_drafter_the_file_changes_and_nobody_else(app, api_as):
    from tests.support.web import login

    drafter = api_as("drafter1")
    doc_id = submit(drafter, fields={"attribute": ""}, attachments=[("名单.csv", list_csv())]).get_json()["id"]
    task = drafter.get(f"/api/tasks?scope=available&document_id={doc_id}").get_json()["items"][0]  # the 退文
    page = login(app.test_client(), "drafter1").get(f"/tasks/{task['id']}").get_data(as_text=True)
    assert "名单.csv" in page and 'id="upload-files"' in page and "删除 名单.csv" in page
    other = login(app.test_client(), "reviewer1").get(f"/documents/{doc_id}").get_data(as_text=True)
    assert "名单.csv" in other and 'id="upload-files"' not in other and "/original" in other
