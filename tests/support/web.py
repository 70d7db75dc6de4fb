"""Helpers for the page tests: log in through the real form, deploy and start a one-review process."""

import re

from engine import bootstrap, users
from engine.db import reading
from engine.models import HumanTask
from engine.workflow import definitions, instances
from tests.support.bpmn import diagram, user_task

ONE_REVIEW = diagram("web_review", [user_task("review", lane="dept_reviewer", form="review", name="初审")],
                     name="网页测试审核")


def csrf_from(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def login(client, username, password=bootstrap.DEMO_PASSWORD):
    token = csrf_from(client.get("/login").get_data(as_text=True))
    resp = client.post("/login", data={"username": username, "password": password, "csrf_token": token})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
    return client




def start_review(title="关于公开预算的通知", xml=ONE_REVIEW, key="web_review") -> int:
    """Deploy the one-review diagram and start it as admin (办公室); return the open task's id."""
    admin = users.by_username("admin")
    definitions.deploy(admin, xml)
    row = instances.start_instance(admin, key, {"title": title})
    with reading() as s:
        return s.query(HumanTask.id).filter_by(instance_id=row.id, status="open").scalar()
