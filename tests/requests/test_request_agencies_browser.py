"""In Chromium, with three agencies: a citizen picks 示例县财政局 on the request form and its publisher
finds the request; the catalogue's 发布机构 filter, the guides and the publisher's guide page pass axe."""

import re

import pytest

from tests.requests.test_request_agencies import agencies, three  # noqa: F401 (fixtures)
from tests.support.browser import assert_clean_page, log_in

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("backend", ["sqlite"], indirect=True)]


def test_a_citizen_addresses_a_department_agency_and_its_pages_are_clean(page, live_server, staff, three):  # noqa: F811
    cz = three["cz"]
    page.goto(f"{live_server}/public/requests/new")
    assert_clean_page(page)
    page.get_by_label("向哪个行政机关申请").select_option(label="示例县财政局")
    page.fill("input[name=applicant_name]", "张三")
    page.fill("input[name=applicant_id_number]", "110101199003074573")
    page.fill("input[name=applicant_contact]", "zhangsan@example.com")
    page.fill("textarea[name=description]", "2025年财政专项资金分配明细")
    page.click("#submit-request")
    assert page.locator("#agency").inner_text() == "示例县财政局"
    no = page.locator("#request-no").inner_text().strip()
    assert_clean_page(page)
    assert [r["request_no"] for r in staff("publisher_cz").get("/api/requests").get_json()["items"]] == [no]

    for path in ("/public", f"/public?agency={cz}", "/public/guide", f"/public/guide/{cz}"):
        page.goto(live_server + path)
        assert_clean_page(page)
    page.goto(f"{live_server}/public")
    page.get_by_label("发布机构").select_option(label="示例县财政局")
    page.click("form.public-search button[type=submit]")
    assert re.search(rf"agency={cz}", page.url)
    log_in(page, live_server, "publisher_cz")
    page.goto(f"{live_server}/guide")
    assert "示例县财政局政府信息公开指南" in page.inner_text("h1")
    assert_clean_page(page)
