"""Helpers for the work-plan tests: the office and department staff, a short plan, a published
catalogue item to cite, and staff API clients whose tokens follow the travelled clock."""

from datetime import datetime, timezone

from sqlalchemy import select

from engine import bootstrap, users
from engine.db import reading, transaction
from engine.models import Document, Notification, User
from engine.workflow import timers
from tests.support.flows import run_worker

# username, display name, roles, department
STAFF = (
    ("office1", "钱公开办", ["gongkai_office"], "办公室"),
    ("liaison_cz", "冯联络", ["liaison"], "财政局"),
    ("leader_cz", "陈局长", ["leader"], "财政局"),
    ("liaison_mz", "褚联络", ["liaison"], "民政局"),
    ("liaison_jy", "卫联络", ["liaison"], "教育局"),
)

PLAN_TEXT = """2026年示例县政务公开工作要点
一、加强重点领域信息公开
（一）推进财政信息公开。全面公开财政预决算信息，细化到功能分类项级科目。（县财政局牵头，县民政局配合，2026年11月20日前完成）
（二）推进社会救助信息公开。做好城乡低保对象公示工作。（县民政局负责，长期坚持）
二、加强政策解读
（一）做好政策解读。重要政策文件与解读材料同步公开。（县教育局负责，年底前完成）
"""


def add_staff():
    with transaction() as s:
        for username, name, roles, dept in STAFF:
            if users.by_username(username) is None:
                users.create_user(username, bootstrap.DEMO_PASSWORD, roles, dept, display_name=name, session=s,
                                  password_hash=bootstrap._demo_hash())


def published_document(title="2026年县级财政预算公开", department="财政局") -> int:
    with transaction() as s:
        doc = Document(title=title, doc_number="示财〔2026〕3号", category="general", attribute="proactive",
                       status="published", department_id=users.ensure_department(s, department).id,
                       published_text=title, published_at=datetime.now(timezone.utc))
        s.add(doc)
        s.flush()
        return doc.id


def create_plan(office, text=PLAN_TEXT, year=2026, overdue="escalate") -> int:
    """Create the plan as previewed; rows whose deadline has passed get the office's `overdue` choice."""
    preview = office.post("/api/workplans/import", json={"text": text, "year": year})
    assert preview.status_code == 200, preview.get_json()
    rows = [{**r, "overdue_choice": overdue} if r["deadline_passed"] else r for r in preview.get_json()["rows"]]
    body = {"year": year, "title": f"{year}年示例县政务公开工作要点", "rows": rows}
    resp = office.post("/api/workplans", json=body)
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()["id"]


def notes_of(username) -> list[str]:
    """The notifications a user has received (reminders, escalations)."""
    with reading() as s:
        user_id = s.scalar(select(User.id).where(User.username == username))
        return [n.message for n in s.scalars(select(Notification).where(Notification.user_id == user_id))]


def sweep():
    """What the scheduler and a worker do on the travelled clock: fire due timers, run the jobs."""
    timers.fire_due()
    run_worker()
