"""A POST that creates something, sent again with its Idempotency-Key, creates it once.

Through the API (sequential and concurrent repeats, another body, a failed first try) and through
the document form (a double-click sends the form's hidden key twice).
"""

import re
import threading

from engine.models import Document, InformationRequest
from tests.conftest import Api
from tests.support.flows import count

SUBMISSION = {"title": "关于冬季供暖的通知", "category": "general", "attribute": "proactive",
              "formed_on": "2026-11-02", "body": "供暖自十一月十五日起。"}


def _documents():
    return count(Document)


def test_the_same_key_twice_returns_the_first_document(backend, api_as):
    drafter = api_as("drafter1")
    first = drafter.post("/api/documents", json=SUBMISSION, headers={"Idempotency-Key": "k-1"})
    again = drafter.post("/api/documents", json=SUBMISSION, headers={"Idempotency-Key": "k-1"})
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.get_json() == first.get_json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert _documents() == 1
    other = drafter.post("/api/documents", json=SUBMISSION, headers={"Idempotency-Key": "k-2"})
    assert other.status_code == 201 and other.get_json()["id"] != first.get_json()["id"]
    assert _documents() == 2


def test_the_same_key_with_another_body_is_refused(backend, api_as):
    drafter = api_as("drafter1")
    assert drafter.post("/api/documents", json=SUBMISSION, headers={"Idempotency-Key": "k"}).status_code == 201
    resp = drafter.post("/api/documents", json={**SUBMISSION, "title": "另一个"}, headers={"Idempotency-Key": "k"})
    assert resp.status_code == 422
    assert "Idempotency-Key" in resp.get_json()["error"]["fields"]
    assert _documents() == 1


def test_keys_belong_to_their_caller(backend, api_as):
    one = api_as("drafter1").post("/api/documents", json=SUBMISSION, headers={"Idempotency-Key": "shared"})
    assert one.status_code == 201
    resp = api_as("admin").post("/api/process-instances", json={"definition_key": "nope"},
                                headers={"Idempotency-Key": "shared"})
    assert resp.status_code != 201 and "Idempotency-Key" not in str(resp.get_json())


def test_a_failed_try_leaves_the_key_free(backend, api_as):
    drafter = api_as("drafter1")
    bad = drafter.post("/api/documents", json={**SUBMISSION, "category": "nonsense"}, headers={"Idempotency-Key": "x"})
    assert bad.status_code == 422
    good = drafter.post("/api/documents", json=SUBMISSION, headers={"Idempotency-Key": "y"})
    assert good.status_code == 201
    retry = drafter.post("/api/documents", json={**SUBMISSION, "category": "nonsense"}, headers={"Idempotency-Key": "x"})
    assert retry.status_code == 422 and _documents() == 1


def test_concurrent_repeats_make_one_document(backend, app):
    clients = [Api(app.test_client(), "drafter1") for _ in range(4)]
    barrier, responses = threading.Barrier(len(clients)), []

    def post(api):
        barrier.wait()
        responses.append(api.post("/api/documents", json=SUBMISSION, headers={"Idempotency-Key": "race"}))

    threads = [threading.Thread(target=post, args=(api,)) for api in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert [r.status_code for r in responses] == [201] * 4
    assert len({r.get_json()["id"] for r in responses}) == 1
    assert _documents() == 1


def test_a_double_click_on_the_document_form_submits_once(backend, app):
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    client.post("/login", data={"username": "drafter1", "password": "gongkai-demo", "csrf_token": token})
    form = client.get("/documents/new").get_data(as_text=True)
    key = re.search(r'name="idempotency_key" value="([^"]+)"', form).group(1)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    data = {"csrf_token": token, "idempotency_key": key, "title": "关于春季植树的通知", "category": "general",
            "attribute": "proactive", "formed_on": "2026-11-02", "body": "植树。", "channels": ["catalogue"]}
    first, second = client.post("/documents/new", data=dict(data)), client.post("/documents/new", data=dict(data))
    assert (first.status_code, second.status_code) == (302, 302)
    assert first.headers["Location"] == second.headers["Location"]
    assert _documents() == 1
    assert re.search(r'name="idempotency_key" value="([^"]+)"', client.get("/documents/new").get_data(as_text=True)).group(1) != key


def test_a_citizen_submitting_the_request_form_twice_files_one_request(backend, app):
    client = app.test_client()
    form = client.get("/public/requests/new").get_data(as_text=True)
    fields = {"csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', form).group(1),
              "idempotency_key": re.search(r'name="idempotency_key" value="([^"]+)"', form).group(1),
              "applicant_type": "natural_person", "applicant_name": "张三", "applicant_id_number": "110101199003074573",
              "applicant_contact": "13912341234", "description": "申请公开2026年城区道路改造工程的预算",
              "form": "electronic", "delivery": "email"}
    first, second = client.post("/public/requests/new", data=fields), client.post("/public/requests/new", data=fields)
    assert (first.status_code, second.status_code) == (201, 201)
    number = re.compile(r'id="request-no">([^<]+)<')
    assert number.search(first.get_data(as_text=True)).group(1) == number.search(second.get_data(as_text=True)).group(1)
    assert count(InformationRequest) == 1
