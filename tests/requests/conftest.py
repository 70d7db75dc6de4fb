"""Fixtures for the request tests; the live server and page fixtures come from the page tests."""

import pytest

from tests.support.ysq import Staff
from tests.web.conftest import CHROMIUM_ARGS, live_server, page, pytest_runtest_makereport  # noqa: F401


@pytest.fixture
def staff(settings, api_as):
    return Staff(api_as, settings.secret_key)


@pytest.fixture(scope="module")
def chromium():
    # Module-scoped, unlike the page tests' session-scoped one: two Playwright instances may not be
    # alive at once, so ours is stopped before tests/web starts its own.
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield browser
        browser.close()
