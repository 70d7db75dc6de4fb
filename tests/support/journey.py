"""What the journey tests check at every stop: the words the person needs are on the page, at a desk
(1400 px) and on a phone (390 px), on public pages also in 长者模式; nothing pushes the page sideways;
axe-core finds nothing serious. A screenshot of each stop goes to test-artifacts/journeys/."""

import re

from tests.support.browser import ARTIFACTS, assert_accessible

JOURNEYS = ARTIFACTS / "journeys"
DESK, PHONE = 1400, 390


def look(page, name: str, texts=(), widths=(DESK, PHONE), elder=False) -> str:
    """Check the page as it is now at each width (and display mode); return the desk's text."""
    JOURNEYS.mkdir(parents=True, exist_ok=True)
    seen = ""
    for width in widths:
        page.set_viewport_size({"width": width, "height": 900})
        for mode in (False, True) if elder else (False,):
            set_elder(page, mode)
            text = page.inner_text("main")
            missing = [t for t in texts if t not in text]
            assert not missing, f"{name} at {width}px{' 长者模式' if mode else ''}: missing {missing}"
            wide = page.evaluate("document.documentElement.scrollWidth")
            assert wide <= width, f"{name} at {width}px{' 长者模式' if mode else ''}: {wide}px wide: {_wide(page, width)}"
            assert_accessible(page)
            page.screenshot(path=str(JOURNEYS / f"{name}-{width}{'-elder' if mode else ''}.png"), full_page=True)
            seen = seen or text
    set_elder(page, False)
    page.set_viewport_size({"width": DESK, "height": 900})
    return seen


def set_elder(page, on: bool) -> None:
    toggle = page.locator("#elder-toggle")
    if toggle.count() and (toggle.get_attribute("aria-pressed") == "true") != on:
        toggle.click()


def log_in(page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "gongkai-demo")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/inbox"))


def open_task(page, base: str, api, where: str, bpmn_id: str | None = None) -> int:
    """Open the task the user may take (by `where`, e.g. "document_id=3"), claim it, wait for its form."""
    items = api.get(f"/api/tasks?scope=actionable&{where}").get_json()["items"]
    task = next(t for t in items if bpmn_id is None or t["bpmn_id"] == bpmn_id)
    page.goto(f"{base}/tasks/{task['id']}")
    if page.locator("#claim").count():
        page.click("#claim")
    page.wait_for_selector("#form[data-ready=true]")
    return task["id"]


def complete(page) -> None:
    page.click("#complete")
    page.wait_for_url(re.compile(r"/inbox$"))


def _wide(page, width) -> list:
    """The innermost elements that reach past the right edge (what to fix)."""
    return page.evaluate("""(w) => [...document.querySelectorAll('body *')].filter(e => {
        const r = e.getBoundingClientRect();
        return r.right > w + 1 && ![...e.children].some(c => c.getBoundingClientRect().right > w + 1);
      }).slice(0, 6).map(e => e.tagName + '.' + e.className + '#' + e.id + ' ' + Math.round(e.getBoundingClientRect().right))""", width)
