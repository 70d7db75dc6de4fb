"""Fixtures for the request tests (the browser fixtures come from tests/support/browser.py)."""

import pytest

from tests.support.ysq import Staff


@pytest.fixture
def staff(settings, api_as):
    return Staff(api_as, settings.secret_key)
