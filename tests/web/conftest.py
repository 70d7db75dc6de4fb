"""Fixtures for the page tests: session login through the real form and a running task.
The browser fixtures (live_server, page) come from tests/support/browser.py for every package."""

import pytest

from tests.support.web import login, start_review


@pytest.fixture
def login_as(app):
    """`login_as("reviewer1")` returns a fresh test client with that user's session."""
    return lambda username: login(app.test_client(), username)


@pytest.fixture
def review_task(settings):
    return start_review()
