"""Issue 21's proof: a PDF notice with an .xlsx 公示名单 and a scanned .png letter go through the whole
procedure through the API and a real worker, and from every public channel — the page's download,
the API, the export folder, the webhook and the feed — no name, ID number (nor its birth date),
phone or address can be read back from any file: by text extraction (pypdf, pdfminer.six), by
unzipping the spreadsheet, or from the image's pixels (OCR); the notice's public sentence is still
text and the list's amounts are still there."""

import io
import json
import re
from xml.etree import ElementTree as ET

import pytesseract
from PIL import Image

from engine.config import current
from tests.support.disclosure import approve_and_deidentify, confirmation_task, run_worker
from tests.support.document_files import letter_png, multipart
from tests.support.sample_files import (
    PEOPLE,
    PUBLIC_SENTENCE,
    leaks_in,
    pdf_hiding_data,
    pdf_text_everywhere,
    readable_parts,
    xlsx_hiding_data,
)

ATOM = "{http://www.w3.org/2005/Atom}"


def readable(name: str, data: bytes) -> str:
    """Everything a reader gets out of a published file with tools that are not the product's."""
    if name.endswith(".pdf"):
        return pdf_text_everywhere(data)
    if name.endswith(".xlsx"):
        return "\n".join(readable_parts(data).values())
    text = pytesseract.image_to_string(Image.open(io.BytesIO(data)), lang="chi_sim", config="--psm 6")
    return text + "\n" + "".join(text.split())


def local(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def test_a_pdf_notice_a_list_and_a_scan_leave_every_channel_with_nothing_personal(api_as, client, receiver):
    assert leaks_in(readable("来信.png", letter_png()))  # the scan really can be read before redaction
    drafter = api_as("drafter1")
    resp = drafter.post("/api/documents", content_type="multipart/form-data", data=multipart(
        fields={"channels": ["catalogue", "static_export", "webhook"]}, body=("公示通知.pdf", pdf_hiding_data()),
        attachments=[("公示名单.xlsx", xlsx_hiding_data()), ("来信.png", letter_png())]))
    assert resp.status_code == 201, resp.get_json()
    doc_id = resp.get_json()["id"]
    assert PUBLIC_SENTENCE in drafter.get(f"/api/documents/{doc_id}").get_json()["body"]  # the PDF's text
    approve_and_deidentify(api_as, doc_id)

    publisher, task = api_as("publisher1"), confirmation_task(api_as, doc_id)
    assert publisher.post(f"/api/tasks/{task['id']}/claim").status_code == 200
    found = publisher.get(f"/api/documents/{doc_id}/files").get_json()["items"]
    assert [(f["name"], f["role"], f["state"]) for f in found] == [
        ("公示通知.pdf", "body", "read"), ("公示名单.xlsx", "attachment", "read"), ("来信.png", "attachment", "read")]
    assert all(f["findings"] > 0 for f in found)
    page = publisher.get(f"/api/documents/{doc_id}/files/{found[2]['id']}/pages/1")
    assert page.status_code == 200 and page.data.startswith(b"\x89PNG")
    assert client.get(f"/api/documents/{doc_id}/files/{found[2]['id']}/pages/1").status_code == 401
    for item in found:
        confirmed = publisher.post(f"/api/documents/{doc_id}/files/{item['id']}/confirm", json={})
        assert confirmed.status_code == 200, (item["name"], confirmed.get_json())
    done = publisher.post(f"/api/tasks/{task['id']}/complete", json={"data": {"decision": "confirm"}})
    assert done.status_code == 200, done.get_json()
    run_worker()

    public = client.get(f"/api/public/documents/{doc_id}").get_json()
    assert leaks_in(public["text"]) == [] and leaks_in(public["title"]) == []
    assert [(f["name"], f["role"], f["media_type"]) for f in public["files"]] == [
        ("公示通知.pdf", "body", "application/pdf"),
        ("公示名单.xlsx", "attachment", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("来信.png", "attachment", "image/png")]
    export = current().data_dir / "export"
    exported = {f["name"]: (export / f["path"]).read_bytes()
                for f in json.loads((export / f"{doc_id}.json").read_text("utf-8"))["files"]}
    hooked = {f["name"]: client.get(local(f["url"])).data for f in json.loads(receiver.received[-1][1])["files"]}
    feed = ET.fromstring(client.get("/public/feed.atom").data)
    enclosures = {link.get("title"): client.get(local(link.get("href"))).data
                  for link in feed.iter(f"{ATOM}link") if link.get("rel") == "enclosure"}
    html = client.get(f"/public/documents/{doc_id}").get_data(as_text=True)
    hrefs = re.findall(rf'href="(/public/documents/{doc_id}/files/[^"]+)" download>([^<]+)</a>', html)
    page_links = {name: client.get(href).data for href, name in hrefs}
    api_links = {f["name"]: client.get(local(f["url"])).data for f in public["files"]}
    for channel, got in (("export", exported), ("webhook", hooked), ("feed", enclosures), ("page", page_links),
                         ("api", api_links)):
        assert sorted(got) == ["公示名单.xlsx", "公示通知.pdf", "来信.png"], channel
        for name, data in got.items():
            assert leaks_in(readable(name, data)) == [], (channel, name)
    # What the public is meant to read is still readable.
    assert PUBLIC_SENTENCE in pdf_text_everywhere(api_links["公示通知.pdf"])
    sheet = readable("公示名单.xlsx", api_links["公示名单.xlsx"])
    assert all(p["amount"] in sheet for p in PEOPLE)
    assert "审核" in readable("来信.png", api_links["来信.png"])
