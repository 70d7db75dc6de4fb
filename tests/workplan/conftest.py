"""Fixtures for the work-plan tests: the staff of three departments and the office."""

import pytest

from tests.support.workplan import add_staff


@pytest.fixture
def staff(staff):
    """The suite's `staff`, with the work plan's departments and their liaisons added first."""
    add_staff()
    return staff
