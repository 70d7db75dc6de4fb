"""Fixtures for the request tests: staff logins and a local SMTP server (the browser fixtures come
from tests/support/browser.py)."""

import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

from engine import config


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"


class MailServer:
    """The configured mail server on a free local port; down (nothing listens) until `start()`."""

    def __init__(self):
        self.inbox = Inbox()
        with socket.socket() as probe:  # a free port: aiosmtpd checks its server by connecting to it
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.controller = None

    def start(self) -> Inbox:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self.inbox

    def stop(self):
        if self.controller is not None:
            self.controller.stop()


@pytest.fixture
def mail_down(app, monkeypatch):
    """A mail server that is down: the app is configured for it, nothing answers until started."""
    server = MailServer()
    settings = config.current()  # the app's, configured before this fixture
    monkeypatch.setattr(settings, "smtp_url", f"smtp://127.0.0.1:{server.port}")
    monkeypatch.setattr(settings, "mail_from", "gongkai@example.gov.cn")
    yield server
    server.stop()


@pytest.fixture
def mail_server(mail_down):
    return mail_down.start()
