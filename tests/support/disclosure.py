"""Helpers for the disclosure tests: a worker run, a task done through the API as its user would,
and a document taken from submission to publication."""

from rq import SimpleWorker

from engine import queue

APPROVE = {"decision": "approve", "opinion": "同意"}


def run_worker():
    SimpleWorker([queue.queue()], connection=queue.redis()).work(burst=True, with_scheduler=True)


def do_task(api, document_id, data):
    """Claim and complete the one task `api`'s user may take for the document."""
    items = api.get(f"/api/tasks?scope=available&document_id={document_id}").get_json()["items"]
    assert len(items) == 1, items
    assert api.post(f"/api/tasks/{items[0]['id']}/claim").status_code == 200
    resp = api.post(f"/api/tasks/{items[0]['id']}/complete", json={"data": data})
    assert resp.status_code == 200, resp.get_json()


def publish(api_as, **fields):
    """Submit as drafter1, approve at both levels, confirm the redaction; return (id, publisher's api)."""
    drafter, publisher = api_as("drafter1"), api_as("publisher1")
    submission = {"category": "general", "attribute": "proactive", "formed_on": "2026-11-02", **fields}
    doc_id = drafter.post("/api/documents", json=submission).get_json()["id"]
    do_task(api_as("reviewer1"), doc_id, APPROVE)
    do_task(api_as("secrecy1"), doc_id, APPROVE)
    run_worker()
    do_task(publisher, doc_id, {"decision": "confirm"})
    run_worker()
    return doc_id, publisher
