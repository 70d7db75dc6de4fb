"""Art. 29's 申请表: ID type, address and postcode; an organisation's 法定代表人 and 联系人; delivery by
fax or by reading and copying on site (Art. 40); and Art. 41's requests to correct one's own records."""

from datetime import date as D

import time_machine

from tests.support.information_requests import COMPANY, do, morning, payload, sign_and_deliver


def test_an_organisation_names_its_legal_representative_and_contact_person(client, staff):
    bare = {k: v for k, v in COMPANY.items() if k not in ("legal_representative", "contact_person")}
    resp = client.post("/api/public/requests", json=payload(applicant=bare))
    assert resp.status_code == 422
    assert {"applicant.legal_representative", "applicant.contact_person"} <= set(resp.get_json()["error"]["fields"])
    for bad, field in (({"postcode": "27100"}, "applicant.postcode"), ({"id_type": "驾驶证"}, "applicant.id_type")):
        resp = client.post("/api/public/requests", json=payload(applicant={**COMPANY, **bad}))
        assert resp.status_code == 422 and field in resp.get_json()["error"]["fields"], bad
    full = {**COMPANY, "id_type": "credit_code", "address": "示例县人民路1号", "postcode": "271000"}
    filed = client.post("/api/public/requests", json=payload(applicant=full, delivery="on_site"))
    assert filed.status_code == 201, filed.get_json()
    publisher = staff("publisher1")
    rid = publisher.get("/api/requests").get_json()["items"][0]["id"]
    applicant = publisher.get(f"/api/requests/{rid}").get_json()["applicant"]
    assert (applicant["legal_representative"], applicant["contact_person"], applicant["postcode"],
            applicant["id_type"], applicant["address"]) == ("王五", "赵六", "271000", "credit_code", "示例县人民路1号")


def test_delivery_by_fax_is_accepted_and_the_form_asks_for_the_new_fields(client):
    assert client.post("/api/public/requests", json=payload(delivery="fax")).status_code == 201
    assert client.post("/api/public/requests", json=payload(delivery="pigeon")).status_code == 422
    page = client.get("/public/requests/new").get_data(as_text=True)
    for name in ("applicant_id_type", "applicant_postcode", "applicant_legal_representative", "applicant_contact_person"):
        assert f'name="{name}"' in page
    assert "现场查阅、抄录" in page and "传真" in page


def test_a_correction_request_is_routed_answered_and_counted_apart(client, staff):
    with time_machine.travel(morning(D(2025, 3, 3)), tick=False):
        filed = client.post("/api/public/requests", json=payload("我的社会救助档案中家庭人口记为3人，实为4人", kind="correction"))
        assert filed.status_code == 201
        assert client.post("/api/public/requests", json=payload(kind="complaint")).status_code == 422
        publisher = staff("publisher1")
        rid = publisher.get("/api/requests").get_json()["items"][0]["id"]
        assert publisher.get(f"/api/requests/{rid}").get_json()["kind"] == "correction"
        do(publisher, rid, "review_request", {"decision": "accept", "department": "财政局"})
        do(staff("drafter2"), rid, "handle", {"decision": "reply"})
        wrong = do(staff("drafter2"), rid, "draft_reply", {"outcome": "already_public", "location": "网站"}, status=422)
        assert "outcome" in wrong["error"]["fields"]
        missing = do(staff("drafter2"), rid, "draft_reply", {"outcome": "correction", "correction_result": "referred",
                                                             "holder_agency": "示例县民政局"}, status=422)
        assert "holder_contact" in missing["error"]["fields"]
        do(staff("drafter2"), rid, "draft_reply", {"outcome": "correction", "correction_result": "corrected"})
        letter = publisher.get(f"/api/requests/{rid}").get_json()["reply_letter"]["text"]
        assert "政府信息更正申请答复书" in letter and "予以更正" in letter and "第四十一条" in letter
        sign_and_deliver(staff, rid, D(2025, 3, 3))
    report = staff("publisher1").get("/api/reports/annual/2025").get_json()
    assert report["corrections"] == {"received": 1, "corrected": 1, "not_corrected": 0, "referred": 0}
    new = next(r for r in report["section3"]["rows"] if r["key"] == "new")
    assert new["values"]["total"] == 0  # not a 政府信息公开申请
