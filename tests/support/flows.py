"""Small helpers for engine tests: deploy through the API, start, find tasks, run a real worker."""

from rq import SimpleWorker
from sqlalchemy import func, select

from engine import queue
from engine.db import reading


def deploy(api, xml: str):
    """POST a BPMN diagram as the caller; return the response."""
    return api.post("/api/process-definitions", data=xml.encode("utf-8"),
                    headers={"Content-Type": "application/xml"})


def deploy_ok(api, xml: str) -> dict:
    resp = deploy(api, xml)
    assert resp.status_code in (200, 201), resp.get_json()
    return resp.get_json()


def start(api, key: str, data=None) -> int:
    """Start an instance of `key`; return its id."""
    resp = api.post("/api/process-instances", json={"definition_key": key, "data": data or {}})
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()["id"]


def instance(api, instance_id: int) -> dict:
    resp = api.get(f"/api/process-instances/{instance_id}")
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()


def open_tasks(api, instance_id: int, scope="available") -> list[dict]:
    resp = api.get(f"/api/tasks?scope={scope}&instance_id={instance_id}")
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()["items"]


def claim_and_complete(api, task_id: int, data: dict) -> None:
    """Claim the task and complete it with `data`, as its user does from the inbox."""
    assert api.post(f"/api/tasks/{task_id}/claim").status_code == 200
    resp = api.post(f"/api/tasks/{task_id}/complete", json={"data": data})
    assert resp.status_code == 200, resp.get_json()


def run_worker(with_scheduler=False) -> None:
    """Work the queue in this process until it is empty (a real rq worker on the real Redis)."""
    SimpleWorker([queue.queue()], connection=queue.redis()).work(burst=True, with_scheduler=with_scheduler)


def count(model, *where) -> int:
    with reading() as s:
        return s.scalar(select(func.count()).select_from(model).where(*where))


def rows(model, *where, order=None) -> list:
    with reading() as s:
        return list(s.scalars(select(model).where(*where).order_by(order if order is not None else model.id)))
