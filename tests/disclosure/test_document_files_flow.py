"""A document with files through the whole procedure, through the API and a real worker: the worker
reads each file and proposes findings, the publisher adjusts and confirms each file, and every
public channel (page download, API, export folder, webhook, feed) carries only the redacted files."""

import io
import json
import urllib.parse
from xml.etree import ElementTree as ET

import openpyxl

from engine.config import current
from tests.support.disclosure import approve_and_deidentify, confirmation_task, run_worker
from tests.support.document_files import multipart, scanned_ofd
from tests.support.sample_files import (
    PEOPLE,
    PUBLIC_SENTENCE,
    csv_bytes,
    leaks_in,
    readable_parts,
    xlsx_hiding_data,
)

ATOM = "{http://www.w3.org/2005/Atom}"


def submit_with(api, attachments, **fields):
    resp = api.post("/api/documents", content_type="multipart/form-data",
                    data=multipart(fields={"channels": ["catalogue", "static_export", "webhook"], **fields},
                                   attachments=attachments))
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()["id"]


def to_confirmation(api_as, doc_id):
    """Approved and de-identified by a real worker; the publisher holds the confirmation."""
    approve_and_deidentify(api_as, doc_id)
    publisher, task = api_as("publisher1"), confirmation_task(api_as, doc_id)
    assert publisher.post(f"/api/tasks/{task['id']}/claim").status_code == 200
    return publisher, task


def files_of(api, doc_id):
    return {f["name"]: f for f in api.get(f"/api/documents/{doc_id}/files").get_json()["items"]}


def xlsx_text(data: bytes) -> str:
    return "\n".join(readable_parts(data).values())


def test_a_list_goes_through_the_procedure_and_out_of_every_channel_redacted(api_as, client, receiver):
    doc_id = submit_with(api_as("drafter1"), [("公示名单.xlsx", xlsx_hiding_data()), ("名单.csv", csv_bytes())],
                         body="现将临时救助对象名单公示如下。")
    publisher, task = to_confirmation(api_as, doc_id)
    found = files_of(publisher, doc_id)
    sheet = found["公示名单.xlsx"]
    assert sheet["state"] == "read" and sheet["findings"] >= 9 and sheet["pages"] == 3
    assert any("原始数据" in h for h in sheet["hidden"])  # the hidden sheet, named for the publisher

    # Nothing is published until every file is confirmed: the task refuses, naming the files.
    refused = publisher.post(f"/api/tasks/{task['id']}/complete", json={"data": {"decision": "confirm"}})
    assert refused.status_code == 422 and "公示名单.xlsx" in refused.get_json()["error"]["message"]

    # The publisher releases nothing here but picks one more cell (the amount of the first row
    # stays: that is what a 公示 publishes) — then confirms both files.
    confirmed = publisher.post(f"/api/documents/{doc_id}/files/{sheet['id']}/confirm", json={})
    assert confirmed.status_code == 200, confirmed.get_json()
    assert confirmed.get_json()["confirmed_by"] == "publisher1" and confirmed.get_json()["redacted"]
    csv_id = found["名单.csv"]["id"]
    assert publisher.post(f"/api/documents/{doc_id}/files/{csv_id}/confirm", json={}).status_code == 200
    redacted = publisher.get(f"/api/documents/{doc_id}/files/{sheet['id']}/redacted")
    assert redacted.status_code == 200 and leaks_in(xlsx_text(redacted.data)) == []
    assert publisher.post(f"/api/tasks/{task['id']}/complete", json={"data": {"decision": "confirm"}}).status_code == 200
    run_worker()

    # The public API lists the files; each download is the redacted version, never the original.
    public = client.get(f"/api/public/documents/{doc_id}").get_json()
    assert [(f["name"], f["role"]) for f in public["files"]] == [("公示名单.xlsx", "attachment"), ("名单.csv", "attachment")]
    for item in public["files"]:
        path = item["url"].split("://", 1)[1].split("/", 1)[1]
        download = client.get("/" + path)
        assert download.status_code == 200 and len(download.data) == item["size"]
        text = xlsx_text(download.data) if item["name"].endswith(".xlsx") else download.data.decode("utf-8-sig")
        assert leaks_in(text) == [], item["name"]
        assert PEOPLE[0]["amount"] in text  # the list's amounts are still there
    book = openpyxl.load_workbook(io.BytesIO(client.get("/" + public["files"][0]["url"].split("/", 3)[3]).data))
    assert book.sheetnames == ["公示名单"] and PUBLIC_SENTENCE in [c.value for c in book.active["A"]]

    # The export folder, the webhook and the feed carry the same redacted files.
    export = current().data_dir / "export"
    exported = json.loads((export / f"{doc_id}.json").read_text("utf-8"))["files"]
    assert [f["name"] for f in exported] == ["公示名单.xlsx", "名单.csv"]
    on_disk = (export / exported[0]["path"]).read_bytes()
    assert leaks_in(xlsx_text(on_disk)) == []
    assert f'href="{urllib.parse.quote(exported[0]["path"])}"' in (export / f"{doc_id}.html").read_text("utf-8")
    hook = json.loads(receiver.received[-1][1])
    assert [f["name"] for f in hook["files"]] == ["公示名单.xlsx", "名单.csv"] and hook["files"][0]["sha256"]
    feed = ET.fromstring(client.get("/public/feed.atom").data)
    enclosures = [link.get("href") for link in feed.iter(f"{ATOM}link") if link.get("rel") == "enclosure"]
    assert len(enclosures) == 2 and all(f"/public/documents/{doc_id}/files/" in e for e in enclosures)
    page = client.get(f"/public/documents/{doc_id}").get_data(as_text=True)
    assert "公示名单.xlsx" in page and "Excel" in page

    # Taken down: gone from the export folder, and the download answers 410 like the page.
    assert publisher.post(f"/api/documents/{doc_id}/take-down", json={"reason": "名单有误"}).status_code == 200
    run_worker()
    assert client.get("/" + public["files"][0]["url"].split("/", 3)[3]).status_code == 410
    assert not (export / str(doc_id)).exists() and not (export / f"{doc_id}.json").exists()
    assert client.get("/public/feed.atom").get_data(as_text=True).count("enclosure") == 0


def test_the_publisher_releases_a_finding_picks_a_cell_and_the_rerun_job_adds_nothing(api_as, client):
    doc_id = submit_with(api_as("drafter1"), [("名单.csv", csv_bytes())], body="名单见附件。")
    publisher, task = to_confirmation(api_as, doc_id)
    file_id = files_of(publisher, doc_id)["名单.csv"]["id"]
    checked = publisher.get(f"/api/documents/{doc_id}/files/{file_id}/redaction").get_json()
    assert checked["state"] == "read" and checked["sheets"][0]["rows"]
    findings = checked["findings"]
    phone = next(f for f in findings if f["text"] == PEOPLE[0]["phone"])
    phone["redacted"] = False  # the publisher decides this number is published (as the test's choice)
    amount = checked["text"].index(PEOPLE[1]["amount"])
    findings.append({"start": amount, "end": amount + len(PEOPLE[1]["amount"]), "kind": "person_name"})
    saved = publisher.put(f"/api/documents/{doc_id}/files/{file_id}/redaction", json={"findings": findings})
    assert saved.status_code == 200, saved.get_json()
    assert PEOPLE[0]["phone"] in saved.get_json()["redacted_text"]
    assert PEOPLE[1]["amount"] not in saved.get_json()["redacted_text"]
    assert saved.get_json()["places"][0]["cells"]  # each finding knows its cell

    # A second run of the de-identification job (a retried job) reads nothing again, adds no row.
    from engine.disclosure.operations import deidentify
    from engine.workflow.operations import OperationContext

    deidentify(OperationContext(instance_id=0, outbox_id=0, bpmn_id="deidentify", params={"policy": "general"},
                                document_id=doc_id))
    assert len(publisher.get(f"/api/documents/{doc_id}/files").get_json()["items"]) == 1
    kept = publisher.put(f"/api/documents/{doc_id}/files/{file_id}/redaction", json={}).get_json()
    assert any(f["text"] == PEOPLE[0]["phone"] and not f["redacted"] for f in kept["findings"])

    assert publisher.post(f"/api/documents/{doc_id}/files/{file_id}/confirm", json={}).status_code == 200
    csv = publisher.get(f"/api/documents/{doc_id}/files/{file_id}/redacted").data.decode("utf-8-sig")
    assert PEOPLE[0]["phone"] in csv and PEOPLE[0]["name"] not in csv and PEOPLE[1]["amount"] not in csv
    # Changing a finding after confirming undoes the confirmation.
    publisher.put(f"/api/documents/{doc_id}/files/{file_id}/redaction", json={"regions": []})
    assert files_of(publisher, doc_id)["名单.csv"]["confirmed_by"] is None


def test_a_file_that_cannot_be_read_is_held_and_only_withheld(api_as, client, receiver):
    doc_id = submit_with(api_as("drafter1"), [("扫描件.ofd", scanned_ofd()), ("名单.csv", csv_bytes())], body="见附件。")
    publisher, task = to_confirmation(api_as, doc_id)
    found = files_of(publisher, doc_id)
    held = found["扫描件.ofd"]
    assert held["state"] == "held" and "暂停发布" in held["message"] and "扫描图片" in held["message"]
    refused = publisher.post(f"/api/documents/{doc_id}/files/{held['id']}/confirm", json={})
    assert refused.status_code == 422 and "不发布" in refused.get_json()["error"]["message"]
    assert publisher.post(f"/api/documents/{doc_id}/files/{held['id']}/confirm", json={"withhold": True}).status_code == 200
    assert publisher.post(f"/api/documents/{doc_id}/files/{found['名单.csv']['id']}/confirm", json={}).status_code == 200
    assert publisher.post(f"/api/tasks/{task['id']}/complete", json={"data": {"decision": "confirm"}}).status_code == 200
    run_worker()
    public = client.get(f"/api/public/documents/{doc_id}").get_json()
    assert [f["name"] for f in public["files"]] == ["名单.csv"]  # the held file never goes out
