"""Fixtures of the disclosure tests: the webhook receiver (tests/support/webhook.py)."""

from tests.support.webhook import receiver  # noqa: F401 (a fixture)
