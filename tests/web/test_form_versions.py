"""Forms an admin edits are stored in the database as versions, the shipped file being version 1.

Every process reads the same current version (not a file on one machine), tasks are validated
against it at once, and the shipped file in the package is never written.
"""

import json

import pytest

import forms as shipped
from engine import forms
from tests.support.web import csrf_from

REVIEW_PLUS = {"type": "default", "components": [
    *shipped.load("review")["components"],
    {"type": "textfield", "key": "file_no", "label": "文号", "validate": {"required": True}}]}


@pytest.fixture(autouse=True)
def fresh_form_cache():
    # Tables are emptied between tests, not this process's few-second cache of current versions.
    forms._current.clear()
    yield
    forms._current.clear()


def _save(admin, key, schema):
    csrf = csrf_from(admin.get("/admin/forms").get_data(as_text=True))
    return admin.post(f"/admin/forms/{key}", json={"schema": schema}, headers={"X-CSRFToken": csrf})


def test_an_edit_is_a_new_version_every_process_sees(backend, login_as, review_task):
    file_before = (shipped.FORMS_DIR / "review.json").read_bytes()
    admin = login_as("admin")
    resp = _save(admin, "review", REVIEW_PLUS)
    assert resp.status_code == 200 and resp.get_json()["version"] == 2
    assert (shipped.FORMS_DIR / "review.json").read_bytes() == file_before
    history = forms.versions(_admin(), "review")
    assert [(v["version"], v["created_by"]) for v in history] == [(2, "admin"), (1, "system")]

    forms._current.clear()  # what another web machine or a worker knows: nothing cached
    assert [c["key"] for c in forms.load("review")["components"]][-1] == "file_no"
    _, errors = forms.validate_data("review", {"decision": "approve", "opinion": "同意"})
    assert "file_no" in errors
    assert _save(admin, "review", {"components": []}).get_json()["version"] == 3
    listing = admin.get("/admin/forms").get_data(as_text=True)
    assert "v3（系统管理员" in listing and "v1（随系统发布）" in listing  # review edited; the others as shipped


def test_a_task_is_validated_against_the_saved_form(backend, login_as, api_as, review_task):
    assert _save(login_as("admin"), "review", REVIEW_PLUS).status_code == 200
    reviewer = api_as("reviewer1")
    assert reviewer.post(f"/api/tasks/{review_task}/claim").status_code == 200
    resp = reviewer.post(f"/api/tasks/{review_task}/complete", json={"data": {"decision": "approve", "opinion": "同意"}})
    assert resp.status_code == 422 and "file_no" in json.dumps(resp.get_json())
    resp = reviewer.post(f"/api/tasks/{review_task}/complete",
                         json={"data": {"decision": "approve", "opinion": "同意", "file_no": "县政办〔2026〕1号"}})
    assert resp.status_code == 200, resp.get_json()


def test_a_bad_schema_is_refused_and_stores_nothing(backend, login_as):
    resp = _save(login_as("admin"), "review", {"no": "components"})
    assert resp.status_code == 422
    assert forms.current("review") is None


def _admin():
    from engine import users

    return users.by_username("admin")
