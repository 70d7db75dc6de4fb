"""Re-checking what is already public: a document published under an old policy (licensing keeps
names) is found by the audit once the policy changes, re-published re-redacted by its department's
publisher, and the public page no longer shows the name; the audit log records both. The re-check is
a worker's job (page, API and command line): two requests make one run, its progress is stored, and
a run whose job was lost continues after the last document it finished."""

import re
from datetime import timedelta

from click.testing import CliRunner

from engine import admin, clock, queue, users
from engine.db import reading, transaction
from engine.disclosure import published_audit, published_audit_runs
from engine.models import AuditEvent, PublishedAuditRun
from engine.workflow.definitions import SHIPPED
from tests.support.disclosure import publish
from tests.support.flows import run_worker
from tests.support.web import csrf_from, login

NAME = "闫立群"


def _licensing_redacts_names():
    xml = (SHIPPED / "deid_policy.dmn").read_text(encoding="utf-8")
    changed = xml.replace('<outputEntry id="deid_policy_r1_out"><text>"mandatory_disclosure"</text>',
                          '<outputEntry id="deid_policy_r1_out"><text>"general"</text>')
    assert changed != xml
    admin.save_decision_file(users.by_username("admin"), "deid_policy.dmn", changed)


def test_audit_finds_what_an_old_policy_published_and_republishing_removes_it(app, api_as):
    body = f"经审查，被许可人{NAME}提交的申请材料齐全，符合法定形式，准予行政许可。"
    doc_id, _ = publish(api_as, title="关于准予行政许可的决定", category="licensing", body=body)
    assert NAME in app.test_client().get(f"/public/documents/{doc_id}").get_data(as_text=True)

    _licensing_redacts_names()
    publisher = login(app.test_client(), "publisher1")
    page = publisher.get("/published-audit/").get_data(as_text=True)
    token = csrf_from(page)
    assert publisher.post("/published-audit/run", data={"csrf_token": token}).status_code == 302
    queued = publisher.get("/published-audit/").get_data(as_text=True)
    assert 'data-status="queued"' in queued and f"【{NAME}】" not in queued  # the worker has not run yet
    run_worker()
    page = publisher.get("/published-audit/").get_data(as_text=True)
    assert 'data-status="done"' in page
    section = re.search(rf'data-document="{doc_id}">(.*?)</section>', page, re.S).group(1)
    assert f"【{NAME}】" in section and "正文" in section and "person_name" in section

    refused = publisher.post(f"/published-audit/{doc_id}/republish", data={"csrf_token": token, "reason": ""})
    assert refused.status_code == 422 and "请填写" in refused.get_data(as_text=True)
    done = publisher.post(f"/published-audit/{doc_id}/republish",
                          data={"csrf_token": token, "reason": "策略调整后复查发现姓名"})
    assert done.status_code == 302
    public = app.test_client().get(f"/public/documents/{doc_id}").get_data(as_text=True)
    assert NAME not in public and "准予行政许可" in public
    assert f"【{NAME}】" not in publisher.get("/published-audit/").get_data(as_text=True)
    with reading() as s:
        actions = [e.action for e in s.query(AuditEvent).filter(AuditEvent.document_id == doc_id)]
    assert "republished" in actions


def test_only_the_departments_publishers_and_admins_recheck(app, api_as):
    doc_id, _ = publish(api_as, title="关于准予行政许可的决定", category="licensing", body="被许可人闫立群，准予许可。")
    drafter = login(app.test_client(), "drafter1")
    assert drafter.get("/published-audit/").status_code == 403
    token = csrf_from(drafter.get(f"/documents/{doc_id}").get_data(as_text=True))
    assert drafter.post(f"/published-audit/{doc_id}/republish",
                        data={"csrf_token": token, "reason": "试图重新发布"}).status_code in (403, 404)


def test_the_command_lists_suspects_with_document_field_and_context(app, api_as, settings):
    doc_id, _ = publish(api_as, title="关于准予行政许可的决定", category="licensing", body=f"被许可人{NAME}，准予许可。")
    _licensing_redacts_names()
    env = {"GONGKAI_DATA_DIR": str(settings.data_dir), "DATABASE_URL": settings.database_url,
           "GONGKAI_SECRET_KEY": settings.secret_key, "REDIS_URL": settings.redis_url or ""}
    out = CliRunner().invoke(_cli(), ["audit-published"], env=env, catch_exceptions=False).output
    assert "发现疑似个人信息 1 处" in out and f"[{doc_id}] 关于准予行政许可的决定" in out
    assert f"正文 · person_name: 被许可人【{NAME}】，准予许可。" in out


def _cli():
    from web.cli import main

    return main


def test_the_api_queues_one_run_shows_its_progress_and_lists_what_it_found(app, api_as):
    doc_id, publisher = publish(api_as, title="关于准予行政许可的决定", category="licensing",
                                body=f"被许可人{NAME}，准予许可。")
    _licensing_redacts_names()
    first = publisher.post("/api/published-audit/runs")
    again = publisher.post("/api/published-audit/runs")  # a second click while it waits: the same run
    assert first.status_code == again.status_code == 202
    run = first.get_json()
    assert again.get_json()["id"] == run["id"] and run["status"] == "queued" and run["documents_total"] >= 1
    run_worker()
    done = publisher.get(f"/api/published-audit/runs/{run['id']}").get_json()
    assert done["status"] == "done" and done["documents_done"] == done["documents_total"] and done["suspects"] >= 1
    items = publisher.get("/api/published-audit/suspects").get_json()["items"]
    suspect = next(i for i in items if i["document_id"] == doc_id)["suspects"][0]
    assert suspect["field"] == "body" and f"【{NAME}】" in suspect["context"]
    assert publisher.get("/api/published-audit/runs").get_json()["items"][0]["id"] == run["id"]

    assert publisher.post(f"/api/published-audit/documents/{doc_id}/republish", json={}).status_code == 422
    answer = publisher.post(f"/api/published-audit/documents/{doc_id}/republish", json={"reason": "策略调整"})
    assert answer.status_code == 200 and answer.get_json()["version"] == 2 and answer.get_json()["fields"]["body"] == 1
    assert NAME not in app.test_client().get(f"/public/documents/{doc_id}").get_data(as_text=True)


def test_only_publishers_and_admins_use_the_api_and_see_their_own_runs(app, api_as):
    publish(api_as, title="关于准予行政许可的决定", category="licensing", body=f"被许可人{NAME}，准予许可。")
    assert api_as("drafter1").post("/api/published-audit/runs").status_code == 403
    assert api_as("drafter1").get("/api/published-audit/suspects").status_code == 403
    run = api_as("publisher1").post("/api/published-audit/runs").get_json()
    assert api_as("admin").get(f"/api/published-audit/runs/{run['id']}").status_code == 200
    assert api_as("reviewer1").get(f"/api/published-audit/runs/{run['id']}").status_code == 403
    assert app.test_client().post("/api/published-audit/runs").status_code == 401


def test_a_run_whose_job_was_lost_continues_after_the_last_document_it_finished(app, api_as):
    first, publisher = publish(api_as, title="关于准予行政许可的决定", category="licensing",
                               body=f"被许可人{NAME}，准予许可。")
    second, _ = publish(api_as, title="关于准予行政许可的决定（二）", category="licensing",
                        body="被许可人宫德胜，准予许可。")
    _licensing_redacts_names()
    run = publisher.post("/api/published-audit/runs").get_json()
    queue.redis().flushdb()  # Redis lost the job; the worker that took the first document died
    with transaction() as s:
        row = s.get(PublishedAuditRun, run["id"])
        row.status, row.cursor, row.documents_done, row.lease = "running", first, 1, "a-dead-worker"
        row.heartbeat_at = clock.now() - timedelta(hours=1)
    assert published_audit_runs.sweep() == 1
    run_worker()
    done = publisher.get(f"/api/published-audit/runs/{run['id']}").get_json()
    assert done["status"] == "done" and done["documents_done"] == 2
    found = {i["document_id"] for i in publisher.get("/api/published-audit/suspects").get_json()["items"]}
    assert second in found and first not in found  # the first was done before the worker died
    assert published_audit_runs.sweep() == 0


def test_published_files_plug_in_through_the_text_source_hook(app, api_as):
    doc_id, publisher = publish(api_as, title="关于公布补助名单的通知", body="名单见附件。")

    @published_audit.text_source
    def attachment(doc):
        if doc.id == doc_id:
            yield "file:附件1.pdf", "补助对象：邝美华，身份证号370881196107091303。"

    try:
        publisher.post("/api/published-audit/runs")
        run_worker()
    finally:
        published_audit.SOURCES.remove(attachment)
    suspects = next(i for i in publisher.get("/api/published-audit/suspects").get_json()["items"]
                    if i["document_id"] == doc_id)["suspects"]
    assert {(s["field_name"], s["kind"]) for s in suspects} == {("附件1.pdf", "person_name"), ("附件1.pdf", "id_card")}
