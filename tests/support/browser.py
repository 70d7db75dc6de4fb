"""Browser fixtures shared by every browser test: a live server on the test database, one
Chromium per session (Debian's, never a downloaded one: see `chromium.py`), a 1366×768 page that
records console errors, and a screenshot in `test-artifacts/` when a browser test fails."""

import re
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.support.chromium import HOW_TO_INSTALL
from tests.support.chromium import find as find_chromium

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
VIEWPORT = {"width": 1366, "height": 768}

@pytest.fixture
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    executable = find_chromium()
    if executable is None:
        pytest.fail(HOW_TO_INSTALL, pytrace=False)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, request):
    """A 1366×768 page that records console errors; a test fails if any page logged one."""
    context = chromium.new_context(viewport=VIEWPORT, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.console_errors = []
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(f"{page.url}: {m.text}"))
    page.on("pageerror", lambda e: page.console_errors.append(f"{page.url}: {e}"))
    request.node.gk_page = page
    yield page
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    page = getattr(item, "gk_page", None)
    if report.when == "call" and report.failed and page is not None and not page.is_closed():
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]", "_", item.nodeid)[-120:]
        try:
            page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        except Exception as exc:  # a screenshot must never hide the real failure
            report.sections.append(("screenshot", f"failed: {exc}"))


CHINESE = re.compile(r"[\u4e00-\u9fff]")


def assert_clean_page(page):
    """What every page owes its user: a Chinese title, no console error, no sideways scrolling."""
    assert CHINESE.search(page.title()), page.title()
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORT["width"], page.url
    assert page.console_errors == []
