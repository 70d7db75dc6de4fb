"""Review records are a hash chain per document: tampering with any record is detected."""

from sqlalchemy import update

from engine.db import transaction
from engine.models import ReviewRecord
from tests.support.disclosure import do_task

GOOD = {"title": "关于X的通知", "category": "general", "attribute": "proactive", "formed_on": "2026-11-02",
        "body": "正文"}


def test_tampered_opinion_breaks_the_chain(api_as):
    drafter, reviewer, secrecy = api_as("drafter1"), api_as("reviewer1"), api_as("secrecy1")
    doc_id = drafter.post("/api/documents", json=GOOD).get_json()["id"]
    do_task(reviewer, doc_id, {"decision": "approve", "opinion": "同意"})
    do_task(secrecy, doc_id, {"decision": "approve", "opinion": "不涉密，同意公开"})
    records = drafter.get(f"/api/documents/{doc_id}").get_json()["reviews"]
    assert [(r["seq"], r["reviewer_name"], r["role"]) for r in records] == [
        (1, "reviewer1", "dept_reviewer"), (2, "secrecy1", "secrecy_reviewer")]
    assert records[1]["prev_hash"] == records[0]["record_hash"]
    # Each record states what was approved besides the text: the attribute and proposed channels.
    assert [(r["attribute"], r["channels"]) for r in records] == [("proactive", ["catalogue"])] * 2
    verified = drafter.get(f"/api/documents/{doc_id}/reviews/verify").get_json()
    assert (verified["intact"], verified["records"], verified["broken_at"]) == (True, 2, None)

    with transaction() as s:
        s.execute(update(ReviewRecord).where(ReviewRecord.document_id == doc_id, ReviewRecord.seq == 1)
                  .values(opinion="不同意"))
    verified = drafter.get(f"/api/documents/{doc_id}/reviews/verify").get_json()
    assert (verified["intact"], verified["records"], verified["broken_at"]) == (False, 2, 1)


def test_deleted_record_breaks_the_chain(api_as):
    drafter, reviewer, secrecy = api_as("drafter1"), api_as("reviewer1"), api_as("secrecy1")
    doc_id = drafter.post("/api/documents", json=GOOD).get_json()["id"]
    do_task(reviewer, doc_id, {"decision": "approve", "opinion": "同意"})
    do_task(secrecy, doc_id, {"decision": "approve", "opinion": "同意"})
    with transaction() as s:
        s.query(ReviewRecord).filter_by(document_id=doc_id, seq=1).delete()
    assert drafter.get(f"/api/documents/{doc_id}/reviews/verify").get_json()["intact"] is False


def test_one_review_per_task_and_signed_by_its_reviewer(api_as):
    """一事一审: the same reviewer cannot complete the review twice, and no batch endpoint exists."""
    drafter, reviewer = api_as("drafter1"), api_as("reviewer1")
    doc_id = drafter.post("/api/documents", json=GOOD).get_json()["id"]
    task = reviewer.get(f"/api/tasks?scope=available&document_id={doc_id}").get_json()["items"][0]
    reviewer.post(f"/api/tasks/{task['id']}/claim")
    assert reviewer.post(f"/api/tasks/{task['id']}/complete", json={"data": {"decision": "approve", "opinion": "同意"}}).status_code == 200
    assert reviewer.post(f"/api/tasks/{task['id']}/complete", json={"data": {"decision": "approve", "opinion": "同意"}}).status_code == 409
    assert reviewer.post("/api/tasks/complete", json={"ids": [task["id"]]}).status_code in (404, 405)
    assert len(drafter.get(f"/api/documents/{doc_id}").get_json()["reviews"]) == 1
