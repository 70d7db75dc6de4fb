"""Re-checking what is already public: a document published under an old policy (licensing keeps
names) is found by the audit once the policy changes, re-published re-redacted by its department's
publisher, and the public page no longer shows the name; the audit log records both."""

import re

from click.testing import CliRunner

from engine import admin, users
from engine.bootstrap import SHIPPED
from engine.db import reading
from engine.models import AuditEvent
from tests.support.disclosure import publish
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
    page = publisher.get("/published-audit/").get_data(as_text=True)
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
