"""Helpers for the disclosure tests: a worker run, a task done through the API as its user would,
and a document taken from submission to publication."""

from tests.support import flows

APPROVE = {"decision": "approve", "opinion": "同意"}


def run_worker():
    """A real worker until the queue is empty, its scheduler on (publication waits on timers)."""
    flows.run_worker(with_scheduler=True)


def do_task(api, document_id, data):
    """Claim and complete the one task `api`'s user may take for the document."""
    items = api.get(f"/api/tasks?scope=available&document_id={document_id}").get_json()["items"]
    assert len(items) == 1, items
    flows.claim_and_complete(api, items[0]["id"], data)


def approve_publication(api_as, document_id):
    """The approval before publication, where publication_approval.dmn asks for one (规范性文件,
    重大行政决策: the head, 主要负责人)."""
    head = api_as("head1")
    if head.get(f"/api/tasks?scope=available&document_id={document_id}").get_json()["items"]:
        do_task(head, document_id, APPROVE)


def publish(api_as, **fields):
    """Submit as drafter1, approve at both levels, confirm the redaction; return (id, publisher's api)."""
    drafter, publisher = api_as("drafter1"), api_as("publisher1")
    submission = {"category": "general", "attribute": "proactive", "formed_on": "2026-11-02", **fields}
    doc_id = drafter.post("/api/documents", json=submission).get_json()["id"]
    do_task(api_as("reviewer1"), doc_id, APPROVE)
    do_task(api_as("secrecy1"), doc_id, APPROVE)
    approve_publication(api_as, doc_id)
    run_worker()
    do_task(publisher, doc_id, {"decision": "confirm"})
    run_worker()
    return doc_id, publisher


def approve_and_deidentify(api_as, document_id):
    """Both reviews approve, then a real worker de-identifies: the publisher's confirmation is open."""
    do_task(api_as("reviewer1"), document_id, APPROVE)
    do_task(api_as("secrecy1"), document_id, APPROVE)
    run_worker()


def confirmation_task(api_as, document_id) -> dict:
    """The publisher's open 确认去标识化结果 task of the document."""
    return api_as("publisher1").get(f"/api/tasks?scope=available&document_id={document_id}").get_json()["items"][0]


def open_confirmation(page, base, api_as, document_id) -> None:
    """Approve, de-identify, then open and claim the confirmation as publisher1 in the browser."""
    from tests.support.browser import log_in

    approve_and_deidentify(api_as, document_id)
    log_in(page, base, "publisher1")
    page.goto(f"{base}/tasks/{confirmation_task(api_as, document_id)['id']}")
    page.click("#claim")
