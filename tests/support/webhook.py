"""A real local HTTP receiver for the webhook channel: records what it was sent, can fail first."""

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from engine import config

SECRET = "webhook-test-secret"


class Receiver(BaseHTTPRequestHandler):
    received: list = []
    fail_first = 0

    def do_POST(self):  # noqa: N802 (http.server's naming)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if Receiver.fail_first > 0:
            Receiver.fail_first -= 1
            self.send_response(503)
            self.end_headers()
            return
        Receiver.received.append((self.headers["X-Gongkai-Signature"], body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver(settings):
    server = HTTPServer(("127.0.0.1", 0), Receiver)
    Receiver.received, Receiver.fail_first = [], 0
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    current = config.current()
    current.webhook_url, current.webhook_secret = f"http://127.0.0.1:{server.server_port}/hook", SECRET
    current.retry_backoff = (0, 0, 0)
    yield Receiver
    server.shutdown()
    current.webhook_url, current.retry_backoff = None, (2, 10, 60)
