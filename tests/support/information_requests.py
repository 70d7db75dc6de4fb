"""Helpers for the information-request tests: payloads, staff logins that follow the travelled
clock, and completing the procedure's tasks through the API as the demo users would."""

from datetime import date, datetime, time, timezone

from engine.calendar import SHANGHAI

APPLICANT = {"name": "张三", "type": "natural_person", "id_number": "110101199003074573", "contact": "13912341234"}
COMPANY = {"name": "示例商贸有限公司", "type": "legal_person", "subtype": "commercial",
           "id_number": "91370900MA3C12345X", "contact": "0538-8221234", "legal_representative": "王五",
           "contact_person": "赵六"}


def payload(description="申请公开2026年城区道路改造工程的预算", applicant=None, **extra) -> dict:
    return {"applicant": {**(applicant or APPLICANT)}, "description": description, "form": "electronic",
            "delivery": "email", **extra}


def add_staff(username, roles, department, display_name=None) -> None:
    """A staff account (demo password) in `department`, created directly: no admin page is under test."""
    from engine import bootstrap, users
    from engine.db import transaction

    with transaction() as s:
        users.ensure_department(s, department)
        users.create_user(username, bootstrap.DEMO_PASSWORD, roles, department, display_name=display_name or username,
                          session=s, password_hash=bootstrap._demo_hash())


def morning(day: date, hour=9) -> datetime:
    """`hour` o'clock in Beijing on `day`, as an aware UTC datetime for time_machine."""
    return datetime.combine(day, time(hour), SHANGHAI).astimezone(timezone.utc)


class Staff:
    """`staff("publisher1")` is an Api logged in today (tokens expire, the clock moves)."""

    def __init__(self, api_as, secret):
        self.api_as, self.secret, self.cache = api_as, secret, {}

    def __call__(self, username):
        # A token issued directly (the login route is tested elsewhere): argon2 would cost 0.3 s a login.
        from engine import clock, users

        key = (username, clock.today())
        if key not in self.cache:
            api = self.api_as()
            api.headers = {"Authorization": f"Bearer {users.issue_token(users.by_username(username), self.secret)}"}
            self.cache[key] = api
        return self.cache[key]


def task_for(api, request_id, bpmn_id) -> dict:
    items = api.get(f"/api/tasks?scope=all&request_id={request_id}").get_json()["items"]
    found = [t for t in items if t["bpmn_id"] == bpmn_id]
    assert len(found) == 1, (bpmn_id, items)
    return found[0]


def do(api, request_id, bpmn_id, data, status=200):
    """Claim and complete the open task `bpmn_id` of the request; return the response body."""
    task = task_for(api, request_id, bpmn_id)
    if task["claimed_by"] is None:
        assert api.post(f"/api/tasks/{task['id']}/claim").status_code == 200
    resp = api.post(f"/api/tasks/{task['id']}/complete", json={"data": data})
    assert resp.status_code == status, resp.get_json()
    return resp.get_json()


def detail(api, request_id) -> dict:
    resp = api.get(f"/api/requests/{request_id}")
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()


def register(api, **extra) -> dict:
    body = {**payload(), "channel": "in_person", "received_on": None, **extra}
    if body["received_on"] is None:
        from engine import clock

        body["received_on"] = clock.today().isoformat()
    resp = api.post("/api/requests", json=body)
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()


def reply(staff, request_id, outcome="already_public", department="", **draft):
    """Accept, handle, draft `outcome`, sign and deliver (no material: no worker needed)."""
    from engine import clock

    do(staff("publisher1"), request_id, "review_request", {"decision": "accept", "department": department})
    handler = "drafter2" if department == "财政局" else "drafter1"
    do(staff(handler), request_id, "handle", {"decision": "reply"})
    data = {"outcome": outcome, **({"location": "本机关门户网站政府信息公开专栏"} if outcome == "already_public" else {}),
            **draft}
    do(staff(handler), request_id, "draft_reply", data)
    sign_and_deliver(staff, request_id, clock.today())


def sign_and_deliver(staff, request_id, on):
    do(staff("leader1"), request_id, "leader_signoff", {"decision": "approve", "opinion": "同意"})
    do(staff("publisher1"), request_id, "deliver_reply", {"delivery_method": "email", "delivered_on": on.isoformat(),
                                                          "delivery_note": "已发送至申请人邮箱"})
