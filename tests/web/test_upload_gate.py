"""Every route that accepts a file gets the same bombs and broken files: each is a 422 naming it.

The routes are found in the app itself (`app.url_map`); a view that reads an upload or a raw body
without declaring it (`web.upload_gate.gated`) fails the first test.
"""

import inspect
import io
import time

import psutil
import pytest

from engine import uploads
from engine.errors import Invalid
from tests.support import sample_files as sf
from tests.support.web import csrf_from

READS_A_FILE = ("request.files", "get_data(", "uploads()", "_xml()", 'get("xml")', 'get("schema")')
IMAGE_KINDS = {"png", "jpeg", "tiff"}


def _file_routes(app):
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if getattr(view, "upload_fields", None) and rule.methods & {"POST", "PUT"}:
            url = rule.rule
            for argument in rule.arguments:
                url = url.replace(f"<int:{argument}>", "1").replace(f"<{argument}>", "x")
            yield ("PUT " if "POST" not in rule.methods else "") + url, view.upload_fields


def test_every_view_that_reads_a_file_declares_it(app):
    undeclared = []
    for endpoint, view in app.view_functions.items():
        source = inspect.getsource(inspect.unwrap(view))
        if any(marker in source for marker in READS_A_FILE) and not hasattr(view, "upload_fields"):
            undeclared.append(endpoint)
    assert undeclared == []
    routes = dict(_file_routes(app))
    for url in ("/api/documents", "/api/documents/import", "/api/workplans/import",
                "/api/workplans/tasks/1/reports", "/api/process-definitions", "/documents/new",
                "/admin/processes/x/deploy", "/admin/forms/x"):
        assert url in routes, url


@pytest.fixture(scope="module")
def bombs():
    docx, xlsx, pdf = sf.plain_docx(), sf.plain_xlsx(), sf.plain_pdf()
    return {
        "docx": [("bomb.docx", sf.zip_bomb(docx)), ("paragraphs.docx", sf.docx_paragraph_bomb()),
                 ("cut.docx", docx[: len(docx) // 2])],
        "xlsx": [("strings.xlsx", sf.xlsx_shared_strings_bomb()), ("bomb.xlsx", sf.zip_bomb(xlsx)),
                 ("cut.xlsx", xlsx[: len(xlsx) // 2])],
        "image": [("huge.png", sf.png_pixel_bomb()), ("cut.png", sf.small_png()[:30])],
        "pdf": [("locked.pdf", sf.plain_pdf("secret")), ("cut.pdf", pdf[: len(pdf) // 2])],
        "xml": sf.xml_entity_bomb(),
        "json": sf.json_depth_bomb(),
        "disguised": sf.small_png(),
    }


def _uploads_for(kinds: set[str], bombs: dict) -> list[tuple[str, bytes]]:
    files = []
    for kind in ("docx", "xlsx", "pdf"):
        if kind in kinds:
            files += bombs[kind]
    if kinds & IMAGE_KINDS:
        files += bombs["image"]
    extension = next(e for e, k in sorted(uploads.EXTENSIONS.items()) if k in kinds and k != "png")
    files.append((f"photo{extension}", bombs["disguised"]))  # a PNG under another extension
    return files


def _send(post, url: str, declared: dict, bombs: dict):
    """Yield (file name, response) for every bomb that fits what the route declares."""
    for field, kinds in declared["files"].items():
        for name, data in _uploads_for(set(kinds), bombs):
            yield name, post(url, content_type="multipart/form-data",
                             data={field: (io.BytesIO(data), name), "title": "t"})
    if declared["body"] == "xml":
        yield "request.xml", post(url, data=bombs["xml"], content_type="application/xml")
    if declared["body"] == "json" and not declared["json_text"]:
        yield "request.json", post(url, data=bombs["json"], content_type="application/json")
    for key, kind in declared["json_text"].items():
        if kind == "xml":
            yield f"{key}.xml", post(url, json={key: bombs["xml"].decode()})


def test_every_file_route_refuses_every_bomb_naming_the_file(app, api_as, login_as, bombs):
    api, page = api_as("admin"), login_as("admin")
    csrf = {"X-CSRFToken": csrf_from(page.get("/admin/forms").get_data(as_text=True))}

    def post(url, **kw):
        if url.startswith("PUT "):  # a route that replaces a file takes it by PUT
            return api.put(url[4:], **kw)
        return api.post(url, **kw) if url.startswith("/api/") else page.post(url, headers=csrf, **kw)

    process = psutil.Process()
    baseline = peak = process.memory_info().rss
    sent, slowest = 0, 0.0
    for url, declared in _file_routes(app):
        for name, started, response in ((n, time.monotonic(), r) for n, r in _send(post, url, declared, bombs)):
            slowest = max(slowest, time.monotonic() - started)
            body = response.get_data(as_text=True)
            assert response.status_code == 422, (url, name, response.status_code, body[:300])
            assert name in body, (url, name, body[:300])
            peak = max(peak, process.memory_info().rss)
            sent += 1
    assert sent >= 40
    assert peak - baseline < 150 * 2**20  # no bomb was unpacked into memory (200 MB zeros, 3M strings)


@pytest.mark.parametrize(("name", "make", "words"), [
    ("bomb.docx", lambda: sf.zip_bomb(sf.plain_docx()), "zip bomb"),
    ("paragraphs.docx", sf.docx_paragraph_bomb, "paragraphs"),
    ("strings.xlsx", sf.xlsx_shared_strings_bomb, "compression ratio"),
    ("huge.png", sf.png_pixel_bomb, "megapixels"),
    ("locked.pdf", lambda: sf.plain_pdf("secret"), "encrypted"),
    ("photo.pdf", sf.small_png, "looks like png"),
    ("diagram.bpmn", sf.xml_entity_bomb, "entity"),
])
def test_the_gate_says_what_is_wrong_and_what_to_fix(name, make, words):
    allowed = {"docx", "xlsx", "png", "pdf", "xml"}
    with pytest.raises(Invalid) as refused:
        uploads.check(name, make(), allowed)
    assert name in refused.value.message and words in refused.value.message


def test_ordinary_files_pass_and_their_kind_is_named_from_the_content():
    assert uploads.check("名单.xlsx", sf.xlsx_hiding_data(), {"xlsx"}) == "xlsx"
    assert uploads.check("通知.pdf", sf.pdf_hiding_data(), {"pdf"}) == "pdf"
    assert uploads.check("名单.csv", sf.csv_bytes("gb18030"), {"csv"}) == "csv"
    assert uploads.check("名单.xls", sf.xls_bytes(), {"xls"}) == "xls"
    assert uploads.check("复函.docx", sf.plain_docx(), {"docx"}) == "docx"
    assert uploads.check("扫描.PNG", sf.small_png(), {"png"}) == "png"
