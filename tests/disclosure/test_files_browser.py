"""A document's files in Chromium: the drafter chooses files (input and drop zone) and sees a refused
one named without losing the rest; the publisher checks each file on the confirmation page — with the
keyboard alone — and the public page offers only the redacted files for download."""
import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from engine import clock
from tests.support.browser import assert_clean_page, log_in
from tests.support.disclosure import open_confirmation, run_worker
from tests.support.document_files import letter_png
from tests.support.sample_files import PEOPLE, leaks_in, pdf_hiding_data, readable_parts, xlsx_hiding_data

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("backend", ["sqlite"], indirect=True)]


def drop(page, selector, name, content: bytes, mime):
    """Drop a file on a drop zone as a person dragging it from the desktop does."""
    page.evaluate("""([selector, name, bytes, mime]) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([new Uint8Array(bytes)], name, {type: mime}));
        const zone = document.querySelector(selector);
        zone.dispatchEvent(new DragEvent('dragover', {dataTransfer: transfer, bubbles: true, cancelable: true}));
        zone.dispatchEvent(new DragEvent('drop', {dataTransfer: transfer, bubbles: true, cancelable: true}));
    }""", [selector, name, list(content), mime])


def test_files_from_the_drafter_to_the_public_with_the_keyboard(page, live_server, api_as):
    log_in(page, live_server, "drafter1")
    page.goto(f"{live_server}/documents/new")
    page.fill("input[name=title]", "关于公布临时救助对象名单的公示")
    page.fill("input[name=formed_on]", (clock.today() - timedelta(days=35)).isoformat())
    page.select_option("#attribute", "proactive")
    page.select_option("#category", "general")
    page.fill("textarea[name=body]", "经审核，以下家庭符合临时救助条件，现予公示。")
    page.fill("textarea[name=body]", "")  # the body's text comes from the PDF
    page.set_input_files("#pick-file", files=[{"name": "公示通知.pdf", "mimeType": "application/pdf",
                                               "buffer": pdf_hiding_data()}])
    xlsx = xlsx_hiding_data()
    page.set_input_files("#pick-attachments", files=[{"name": "公示名单.xlsx", "mimeType": "application/octet-stream",
                                                       "buffer": xlsx}])
    drop(page, ".file-picker[data-name=attachments] .drop-zone", "来信.png", letter_png(), "image/png")
    drop(page, ".file-picker[data-name=attachments] .drop-zone", "扫描件.png", b"not an image at all", "image/png")
    items = page.locator(".file-picker[data-name=attachments] .file-list li")
    expect(items).to_have_count(3)
    assert "KB" in items.first.inner_text()  # each chosen file with its size
    assert_clean_page(page)
    page.click("#new-document button[type=submit]")
    # Refused by name; the fields and the other file stay as they were.
    expect(page.locator("#form-errors")).to_contain_text("扫描件.png")
    expect(items.filter(has_text="扫描件.png")).to_have_class(re.compile("refused"))
    assert page.input_value("input[name=title]") == "关于公布临时救助对象名单的公示"
    assert len(page.console_errors) == 1 and "422" in page.console_errors[0]  # that refusal, and nothing else
    page.console_errors.clear()
    items.filter(has_text="扫描件.png").get_by_role("button", name="移除 扫描件.png").click()
    expect(items).to_have_count(2)
    page.click("#new-document button[type=submit]")
    page.wait_for_url(re.compile(r"/documents/\d+$"))
    doc_id = int(page.url.rsplit("/", 1)[1])
    assert all(name in page.inner_text("#document-files") for name in ("公示通知.pdf", "公示名单.xlsx", "来信.png"))
    assert_clean_page(page)

    open_confirmation(page, live_server, api_as, doc_id)
    notice, check, letter = (page.locator("section.file-check", has_text=name)
                             for name in ("公示通知.pdf", "公示名单.xlsx", "来信.png"))
    expect(check.locator(".sheet-grid button.cell.redacted").first).to_be_visible()
    # The notice's page with its findings drawn as boxes: Enter on one keeps it and, by default, every
    # box of the same words; Enter again removes them all; with "every occurrence" unticked, only that one.
    image = notice.locator(".page-frame img")
    image.scroll_into_view_if_needed()
    assert image.evaluate("img => img.decode().then(() => img.naturalWidth)") > 500  # drawn by the server
    box = notice.locator(".page-box.redacted").first
    words = box.get_attribute("aria-label").split(" ")[0]
    same = notice.locator(f'.page-box[aria-label^="{words} "]')
    assert same.count() >= 2  # the sample's person is named on the page more than once
    box.focus()
    page.keyboard.press("Enter")
    expect(notice.locator(".page-box.kept")).to_have_count(same.count())
    notice.locator(".page-box.kept").first.focus()
    page.keyboard.press("Enter")
    expect(notice.locator(".page-box.kept")).to_have_count(0)
    notice.locator(".every-occurrence").uncheck()
    notice.locator(".page-box.redacted").first.focus()
    page.keyboard.press("Enter")
    expect(notice.locator(".page-box.kept")).to_have_count(1)
    notice.locator(".page-box.kept").focus()
    page.keyboard.press("Enter")
    expect(notice.locator(".page-box.kept")).to_have_count(0)
    # On the scan, a region typed as percentages (the keyboard's way to draw one).
    letter.locator(".region-y0").fill("85")
    letter.locator(".region-y1").fill("100")
    letter.get_by_role("button", name="添加区域").focus()
    page.keyboard.press("Enter")
    expect(letter.locator(".page-box.region")).to_have_count(1)
    assert any("原始数据" in t for t in check.locator("[data-hidden]").all_inner_texts())
    assert_clean_page(page)
    # Keyboard only: Tab to the cell holding an amount, Enter marks it; Enter on a marked cell keeps it.
    amount = check.locator(".sheet-grid button.cell", has_text=PEOPLE[2]["amount"]).first
    amount.focus()
    page.keyboard.press("Enter")
    expect(amount).to_have_class(re.compile("redacted"))
    page.keyboard.press("Enter")
    expect(amount).to_have_class(re.compile("kept"))
    expect(check.locator("section.redaction").get_by_role("status")).to_have_text("已保存")
    for section in (notice, check, letter):
        section.get_by_role("button", name="确认此文件").focus()
        page.keyboard.press("Enter")
        expect(section.locator(".file-status")).to_contain_text("已确认", timeout=20_000)
    page.wait_for_selector("#form[data-ready=true]")
    page.get_by_label("确认去标识化结果并发布").check()
    page.click("#complete")
    page.wait_for_url(re.compile(r"/inbox$"))
    run_worker()

    page.context.clear_cookies()
    page.goto(f"{live_server}/public/documents/{doc_id}")
    for name in ("公示通知.pdf", "来信.png"):
        expect(page.get_by_role("link", name=name)).to_be_visible()
    link = page.get_by_role("link", name="公示名单.xlsx")
    assert "Excel" in page.inner_text(".public-files")
    with page.expect_download() as download:
        link.click()
    data = open(download.value.path(), "rb").read()
    assert leaks_in("\n".join(readable_parts(data).values())) == [] and data != xlsx
    assert_clean_page(page)
