"""A document's life with its files in an S3-compatible store (a real local server): originals and
redacted versions are objects in the bucket, none in the data folder; the static export lands in
the store and leaves it when the document is taken down, even when the store was down at that moment."""

import json

from engine import sealed
from engine.config import current
from engine.models import Document, SealedFile
from tests.support.disclosure import approve_and_deidentify, confirmation_task, publish, run_worker
from tests.support.document_files import PERSONAL, list_csv, multipart
from tests.support.flows import rows

BODY = "关于公布低保名单的通知。户主李四，身份证号110101199003074573，电话13912341234。"


def test_a_document_is_stored_exported_and_taken_down_in_the_object_store(api_as, object_store, settings):
    server, bucket = object_store
    doc_id, publisher = publish(api_as, title="低保名单公示", body=BODY, channels=["catalogue", "static_export"])

    (doc,) = rows(Document, Document.id == doc_id)
    (envelope,) = rows(SealedFile, SealedFile.sha256 == doc.original_sha256, order=SealedFile.sha256)
    stored = server.keys(bucket, "files/")
    for digest in (envelope.stored_sha256, doc.redacted_sha256):  # the original is kept sealed, by its envelope
        assert f"files/{digest[:2]}/{digest}" in stored
    original = server.client().get_object(Bucket=bucket, Key=f"files/{envelope.stored_sha256[:2]}/{envelope.stored_sha256}")
    assert "110101199003074573".encode() not in original["Body"].read()  # the store's owner cannot read it
    assert "110101199003074573" in sealed.get_text(doc.original_sha256)  # the product can
    assert not (settings.data_dir / "files").exists() and not (settings.data_dir / "export").exists()

    assert server.keys(bucket, "export/") == [f"export/{doc_id}.html", f"export/{doc_id}.json"]
    exported = server.client().get_object(Bucket=bucket, Key=f"export/{doc_id}.json")
    assert exported["ContentType"].startswith("application/json")
    payload = json.loads(exported["Body"].read())
    assert payload["title"] == "低保名单公示" and "110101199003074573" not in payload["text"]
    staff = publisher.get(f"/api/documents/{doc_id}").get_json()
    urls = {p["channel"]: p["url"] for p in staff["publications"]}
    assert urls["static_export"] == f"s3://{bucket}/export/{doc_id}.html"
    assert "110101199003074573" not in publisher.client.get(f"/api/public/documents/{doc_id}").get_data(as_text=True)

    assert publisher.post(f"/api/documents/{doc_id}/take-down", json={"reason": "信息有误"}).status_code == 200
    assert server.keys(bucket, "export/") == []
    run_worker()  # the removal job finds nothing left to remove
    assert api_as("admin").get("/api/incidents").get_json()["items"] == []


def test_an_export_the_store_could_not_remove_is_retried_then_an_incident_until_removed(api_as, object_store,
                                                                                        monkeypatch):
    server, bucket = object_store
    monkeypatch.setattr(current(), "job_retries", 2)
    monkeypatch.setattr(current(), "retry_backoff", (0, 0, 0))
    doc_id, publisher = publish(api_as, title="暂停办理通知", body="因系统升级暂停办理。",
                                channels=["catalogue", "static_export"])
    working = current().export_url
    current().export_url = working.replace(server.endpoint, "http://127.0.0.1:9") + "&tries=1"  # the store is down
    assert publisher.post(f"/api/documents/{doc_id}/take-down", json={"reason": "已取消"}).status_code == 200
    run_worker()
    assert server.keys(bucket, "export/") == [f"export/{doc_id}.html", f"export/{doc_id}.json"]
    (incident,) = api_as("admin").get("/api/incidents").get_json()["items"]
    for words in ("撤下失败", "暂停办理通知", "静态导出", "127.0.0.1:9"):
        assert words in incident["message"], (words, incident["message"])

    current().export_url = working  # the store is back: the admin's retry removes the copy
    assert api_as("admin").post(f"/api/incidents/{incident['id']}/retry").status_code == 200
    run_worker()
    assert server.keys(bucket, "export/") == []
    assert api_as("admin").get("/api/incidents").get_json()["items"] == []


def test_a_documents_files_are_exported_to_the_store_and_removed_with_it(api_as, client, object_store):
    server, bucket = object_store
    drafter = api_as("drafter1")
    resp = drafter.post("/api/documents", content_type="multipart/form-data", data=multipart(
        fields={"channels": ["catalogue", "static_export"], "body": "临时救助对象名单见附件。"},
        attachments=[("救助名单.csv", list_csv())]))
    assert resp.status_code == 201, resp.get_json()
    doc_id = resp.get_json()["id"]
    approve_and_deidentify(api_as, doc_id)
    publisher, task = api_as("publisher1"), confirmation_task(api_as, doc_id)
    assert publisher.post(f"/api/tasks/{task['id']}/claim").status_code == 200
    for item in publisher.get(f"/api/documents/{doc_id}/files").get_json()["items"]:
        assert publisher.post(f"/api/documents/{doc_id}/files/{item['id']}/confirm", json={}).status_code == 200
    assert publisher.post(f"/api/tasks/{task['id']}/complete", json={"data": {"decision": "confirm"}}).status_code == 200
    run_worker()

    listed = json.loads(server.client().get_object(Bucket=bucket, Key=f"export/{doc_id}.json")["Body"].read())
    (exported,) = listed["files"]
    body = server.client().get_object(Bucket=bucket, Key=f"export/{exported['path']}")
    text = body["Body"].read().decode("utf-8-sig")
    assert body["ContentType"] == "text/csv" and "救助金额" in text
    assert not any(personal in text for personal in PERSONAL)  # the redacted version, never the original
    assert publisher.post(f"/api/documents/{doc_id}/take-down", json={"reason": "信息有误"}).status_code == 200
    assert server.keys(bucket, "export/") == []
