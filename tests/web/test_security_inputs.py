"""Security of what arrives from outside: the Atom feed's escaping, the login redirect, inputs that
used to answer 500, and .docx bombs (issue 13, items 6, 7, 8 and 10)."""

from xml.etree import ElementTree as ET

import pytest

from tests.support.disclosure import publish
from tests.support.web import csrf_from

ATOM = "{http://www.w3.org/2005/Atom}"


def test_feed_keeps_markup_in_titles_as_text(api_as, client):
    title = '关于<b>预算</b> & 决算</title><entry><title>伪造条目</title></entry>的通知'
    publish(api_as, title=title, body="正文。", doc_number="示政办〔2026〕1号 <x>")
    feed = client.get("/public/feed.atom")
    root = ET.fromstring(feed.get_data())  # invalid XML raises here
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 1
    assert entries[0].findtext(f"{ATOM}title") == title
    assert entries[0].findtext(f"{ATOM}summary").startswith("示政办〔2026〕1号 <x> · 索引号 ")


@pytest.mark.parametrize("target", ["/%09/evil.example", "//evil.example", "/\\evil.example", "https://evil.example",
                                    "/%0d%0a/evil.example", "%2F%2Fevil.example", "/%5Cevil.example"])
def test_login_redirects_only_to_same_origin_paths(client, target):
    token = csrf_from(client.get("/login").get_data(as_text=True))
    resp = client.post(f"/login?next={target}", data={"username": "drafter1", "password": "gongkai-demo",
                                                      "csrf_token": token})
    assert resp.status_code == 302
    location = resp.headers["Location"]
    assert "evil" not in location, location


def test_login_keeps_a_same_origin_next(client):
    token = csrf_from(client.get("/login").get_data(as_text=True))
    resp = client.post("/login?next=/documents%3Fstatus%3Dpublished",
                       data={"username": "drafter1", "password": "gongkai-demo", "csrf_token": token})
    assert resp.headers["Location"] == "/documents?status=published"


def _field_error(resp, field):
    assert resp.status_code == 422, (resp.status_code, resp.get_data(as_text=True)[:300])
    assert field in resp.get_json()["error"]["fields"], resp.get_json()


@pytest.mark.parametrize("query, field", [("offset=99999999999999999999", "offset"), ("limit=-1", "limit"),
                                          ("limit=100000", "limit"), ("year=99999999999999999999", "year")])
def test_public_catalogue_bounds_its_paging(client, query, field):
    _field_error(client.get(f"/api/public/documents?{query}"), field)


@pytest.mark.parametrize("url", ["/api/documents", "/api/requests"])
def test_staff_lists_bound_their_paging(api_as, url):
    publisher = api_as("publisher1")
    _field_error(publisher.get(f"{url}?offset=99999999999999999999"), "offset")
    _field_error(publisher.get(f"{url}?limit=-1"), "limit")
    assert publisher.get(f"{url}?limit=200&offset=0").status_code == 200


@pytest.mark.parametrize("request_id", ["abc", 999999, [1]])
def test_a_proceeding_about_an_unknown_request_is_refused(api_as, request_id):
    resp = api_as("publisher1").post("/api/reports/annual/2025/proceedings",
                                     json={"kind": "reconsideration", "result": "upheld", "request_id": request_id})
    _field_error(resp, "request_id")


@pytest.mark.parametrize("value", ["Infinity", "NaN", "1e400"])
def test_report_figures_must_be_finite(api_as, value):
    publisher = api_as("publisher1")
    resp = publisher.put("/api/reports/annual/2025/text", data='{"figures": {"coercion": %s}}' % value,
                         headers={"Content-Type": "application/json"})
    _field_error(resp, "coercion")
    assert publisher.get("/api/reports/annual/2025").status_code == 200
    assert publisher.get("/api/reports/annual/2025?format=docx").status_code == 200


def test_report_page_names_a_figure_that_is_not_a_number(app):
    from tests.support.web import login

    client = login(app.test_client(), "publisher1")
    token = csrf_from(client.get("/reports/annual/2025").get_data(as_text=True))
    resp = client.post("/reports/annual/2025/text", data={"csrf_token": token, "coercion": "两件"})
    assert resp.status_code == 422 and "coercion" in resp.get_data(as_text=True)


def test_migrating_from_an_impossible_version_is_refused(api_as):
    admin = api_as("admin")
    _field_error(admin.post("/api/process-definitions/disclosure/migrate",
                            json={"from_version": 99999999999999999999}), "from_version")
    _field_error(admin.post("/api/process-instances/1/migrate", json={"to_version": 2**40}), "to_version")


def _docx_with_body(body_xml: bytes) -> bytes:
    """A real .docx (made by python-docx) whose word/document.xml body is replaced by `body_xml`."""
    import io
    import zipfile

    import docx

    plain = io.BytesIO()
    docx.Document().save(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "word/document.xml":
                head, _, rest = data.partition(b"<w:body>")
                data = head + b"<w:body>" + body_xml + b"<w:sectPr/></w:body></w:document>"
            dst.writestr(item.filename, data)
    return out.getvalue()


def _many_paragraphs(count=60_000) -> bytes:
    import random

    rng = random.Random(13)
    return b"".join(b"<w:p><w:r><w:t>%d</w:t></w:r></w:p>" % rng.randrange(10**9) for _ in range(count))


BOMBS = {"unpacks_to_80mb": lambda: _docx_with_body(b"<w:p><w:r><w:t>" + b" " * (80 * 2**20) + b"</w:t></w:r></w:p>"),
         "many_paragraphs": lambda: _docx_with_body(_many_paragraphs())}


@pytest.mark.parametrize("kind", sorted(BOMBS))
def test_docx_bombs_are_refused_before_parsing(api_as, kind):
    import io
    import time

    content = BOMBS[kind]()
    assert len(content) < 3 * 2**20
    started = time.monotonic()
    resp = api_as("drafter1").post("/api/documents", content_type="multipart/form-data", data={
        "title": "炸弹", "category": "general", "attribute": "proactive", "formed_on": "2026-11-02",
        "file": (io.BytesIO(content), "bomb.docx")})
    assert time.monotonic() - started < 5
    _field_error(resp, "file")


def test_an_ordinary_docx_is_still_read(api_as):
    import io

    content = _docx_with_body(_many_paragraphs(200))
    resp = api_as("drafter1").post("/api/documents", content_type="multipart/form-data", data={
        "title": "正常文件", "category": "general", "attribute": "proactive", "formed_on": "2026-11-02",
        "file": (io.BytesIO(content), "ok.docx")})
    assert resp.status_code == 201, resp.get_json()


def test_deid_command_refuses_bombs_and_non_zip_files_in_one_line(tmp_path):
    from click.testing import CliRunner

    from web.cli.deid import deid_command

    not_zip, bomb = tmp_path / "not.docx", tmp_path / "bomb.docx"
    not_zip.write_text("这不是 Word 文件")
    bomb.write_bytes(BOMBS["many_paragraphs"]())
    for path, words in ((not_zip, "zip"), (bomb, "paragraphs")):
        result = CliRunner().invoke(deid_command, [str(path)])
        assert result.exit_code == 1 and words in result.output, result.output
        assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output


def test_laying_out_an_uploaded_diagram_reads_no_external_entity(tmp_path):
    from web.bpmn_layout import ensure_layout

    secret = tmp_path / "secret.txt"
    secret.write_text("top-secret-value")
    xml = (f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file://{secret}">]>'
           '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">'
           '<bpmn:process id="p" isExecutable="true"><bpmn:task id="t" name="&x;"/></bpmn:process>'
           '</bpmn:definitions>')
    assert "top-secret-value" not in ensure_layout(xml)
