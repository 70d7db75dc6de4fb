"""Browser fixtures shared by every browser test: a live server on the test database, one
Chromium per session (Debian's, never a downloaded one: see `chromium.py`), a 1366×768 page that
records console errors and axe-core's WCAG 2 A/AA findings on every page it loads, and a screenshot
in `test-artifacts/` when a browser test fails."""

import json
import re
import threading
import time
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.support.chromium import HOW_TO_INSTALL
from tests.support.chromium import find as find_chromium

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
VIEWPORT = {"width": 1366, "height": 768}
# axe-core from npm, copied into the static vendor folder by `make vendor`.
AXE = Path(__file__).resolve().parents[2] / "web" / "static" / "vendor" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("serious", "critical")
# Runs in every document: axe checks the page once it has loaded and reports through a binding; a
# test's own check (`assert_accessible`) queues behind it, since axe refuses to run twice at once.
_AXE_ON_LOAD = """
window.__gkAxe = function () {
  window.__gkAxeQueue = (window.__gkAxeQueue || Promise.resolve()).then(function () {
    return axe.run(document, {runOnly: {type: "tag", values: %s}, resultTypes: ["violations"]});
  }).then(function (r) {
    return r.violations.filter(function (v) { return %s.indexOf(v.impact) >= 0; }).map(function (v) {
      return {id: v.id, impact: v.impact, help: v.help,
              nodes: v.nodes.slice(0, 5).map(function (n) { return n.target.join(" ") + " " + (n.failureSummary || ""); })};
    });
  });
  return window.__gkAxeQueue;
};
if (window.top === window) window.addEventListener("load", function () {
  window.__gkAxe().then(function (found) { if (window.__gkAxeReport) window.__gkAxeReport(location.href, found); });
});
"""

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
    # The page's own clock reads the suite's moved date, as the server does (tests/support/clock.py);
    # it then runs on by itself.
    context.clock.install(time=time.time())
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.console_errors = []
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(f"{page.url}: {m.text}"))
    page.on("pageerror", lambda e: page.console_errors.append(f"{page.url}: {e}"))
    page.a11y_violations, page.a11y_checked = [], []
    context.expose_binding("__gkAxeReport", lambda _source, url, found: _record(page, url, found))
    context.add_init_script(AXE.read_text(encoding="utf-8"))
    context.add_init_script(_AXE_ON_LOAD % (json.dumps(AXE_TAGS), json.dumps(BLOCKING)))
    request.node.gk_page = page
    yield page
    if not page.is_closed() and page.url.startswith("http"):
        assert_accessible(page)  # the page the test ended on, in its final state
    context.close()
    assert page.a11y_violations == [], _describe(page.a11y_violations)


def _record(page, url, found):
    page.a11y_checked.append(url)
    page.a11y_violations.extend({"url": url, **v} for v in found)


def _describe(violations) -> str:
    return "\n".join(f"{v['url']}: {v['impact']} {v['id']} ({v['help']}): {'; '.join(v['nodes'])}"
                     for v in violations)


def assert_accessible(page):
    """axe-core over the page as it is now: no serious or critical WCAG 2 A/AA violation."""
    found = page.evaluate("window.__gkAxe()")
    _record(page, page.url, found)
    assert found == [], _describe([{"url": page.url, **v} for v in found])


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
    """What every page owes its user: a Chinese title, no console error, no sideways scrolling,
    and nothing axe-core calls serious or critical."""
    assert CHINESE.search(page.title()), page.title()
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORT["width"], page.url
    assert page.console_errors == []
    assert_accessible(page)


def log_in(page, base: str, username: str) -> None:
    """Log in through the login form as a person does (a fresh session) and land on the inbox."""
    page.context.clear_cookies()
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "gongkai-demo")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/inbox"))
