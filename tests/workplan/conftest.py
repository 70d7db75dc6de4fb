"""Fixtures for the work-plan tests: the staff of three departments and the office."""

import pytest

from tests.support.workplan import add_staff
from tests.support.ysq import Staff


@pytest.fixture
def staff(settings, api_as):
    add_staff()
    return Staff(api_as, settings.secret_key)
