"""/healthz, /metrics and the admin's view of the workers, as an operator would read them."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import update

from engine import calendar, queue
from engine.db import transaction
from engine.models import InformationRequest
from tests.support import ysq
from tests.support.workers import wait_until
from workers.worker import build


@pytest.fixture
def live_worker(settings):
    worker = build()
    worker.heartbeat_every = 0.2
    worker.register_birth()
    yield worker
    worker.register_death()


def _metric(text, name, **labels) -> float:
    label_text = ",".join(f'{k}="{v}"' for k, v in labels.items())
    pattern = rf"^{name}{{{label_text}}} (\S+)$" if labels else rf"^{name} (\S+)$"
    match = re.search(pattern, text, re.M)
    assert match, f"{name} {labels} not in metrics"
    return float(match.group(1))


def test_healthz_names_the_missing_worker(backend, client):
    resp = client.get("/healthz")
    assert resp.status_code == 503
    body = resp.get_json()
    assert body["checks"] == {"database": True, "redis": True, "workers": False}
    assert "worker" in body["problems"]["workers"]


def test_healthz_is_ok_with_a_beating_worker_and_needs_no_login(backend, client, live_worker):
    resp = client.get("/healthz")
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["ok"] is True


def test_metrics_count_tasks_incidents_and_requests_near_their_deadline(backend, client, api_as, live_worker):
    drafter = api_as("drafter1")
    for title in ("甲", "乙"):
        assert drafter.post("/api/documents", json={"title": title, "category": "general", "attribute": "proactive",
                                                    "formed_on": "2026-11-02", "body": "内容。"}).status_code == 201
    filed = client.post("/api/public/requests", json=ysq.payload())
    assert filed.status_code == 201, filed.get_json()
    text = client.get("/metrics").get_data(as_text=True)
    assert _metric(text, "gongkai_tasks_open", role="dept_reviewer") == 2
    assert _metric(text, "gongkai_incidents_open") == 0
    assert _metric(text, "gongkai_requests_near_deadline") == 0
    assert _metric(text, "gongkai_workers_alive") == 1
    assert _metric(text, "gongkai_queue_jobs", state="queued") >= 0
    with transaction() as s:
        s.execute(update(InformationRequest).values(due_on=calendar.today_in_china() + timedelta(days=1)))
    text = client.get("/metrics").get_data(as_text=True)
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
