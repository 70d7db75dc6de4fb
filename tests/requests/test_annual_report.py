"""The annual report's figures against a fixture year built through the procedure itself."""

import io
from datetime import date as D

import time_machine
from docx import Document as Docx
from openpyxl import load_workbook

from engine.workflow import timers
from tests.support.information_requests import (
    APPLICANT,
    COMPANY,
    detail,
    do,
    morning,
    register,
    reply,
    sign_and_deliver,
)

RESEARCH = {**COMPANY, "name": "示例大学", "subtype": "research", "id_number": "12370000MB1234567X"}
LAWYER = {**COMPANY, "name": "示例律师事务所", "subtype": "legal_services", "id_number": "31370000MD1234567X"}
FRIEND = {**APPLICANT, "name": "王五", "id_number": "110101198501010016"}


def build_year(staff):
    """2024-12-20 → 2025-01-10 withheld; 2025: petition, already public, not held, lapsed, one carried over."""
    with time_machine.travel(morning(D(2024, 12, 20)), tick=False) as clock:
        carried = register(staff("publisher1"), description="2024年第四季度执法检查记录")["id"]
        clock.move_to(morning(D(2025, 1, 10)))
        reply(staff, carried, "withheld", withheld_reason="enforcement_files")
        clock.move_to(morning(D(2025, 3, 3)))
        petition = register(staff("publisher1"), description="举报某企业违法排污", applicant=COMPANY)["id"]
        do(staff("publisher1"), petition, "review_request", {"decision": "not_request",
                                                             "not_processed_reason": "petition_complaint"})
        clock.move_to(morning(D(2025, 3, 5)))
        sign_and_deliver(staff, petition, D(2025, 3, 5))
        clock.move_to(morning(D(2025, 5, 6)))
        public = register(staff("publisher1"), description="2025年财政预算报告")["id"]
        reply(staff, public, "already_public", department="财政局")
        clock.move_to(morning(D(2025, 6, 2)))
        held = register(staff("publisher1"), description="1998年某水库建设档案", applicant=RESEARCH)["id"]
        reply(staff, held, "not_held")
        clock.move_to(morning(D(2025, 7, 1)))
        lapsed = register(staff("publisher1"), description="那个文件", applicant=FRIEND)["id"]
        do(staff("publisher1"), lapsed, "review_request", {"decision": "correction", "correction_items": "请写明文件名称"})
        clock.move_to(morning(D(2025, 8, 1)))
        timers.fire_due()
        assert detail(staff("publisher1"), lapsed)["status"] == "closed"
        clock.move_to(morning(D(2025, 12, 22)))
        register(staff("publisher1"), description="2025年法律顾问合同", applicant=LAWYER)


def values(report, key):
    return next(r["values"] for r in report["section3"]["rows"] if r["key"] == key)


def test_section_three_counts_the_requests_and_the_identity_holds(staff):
    build_year(staff)
    with time_machine.travel(morning(D(2026, 1, 5)), tick=False):
        assert staff("drafter1").get("/api/reports/annual/2025").status_code == 403
        report = staff("publisher1").get("/api/reports/annual/2025").get_json()
    zero = dict.fromkeys(("natural_person", "commercial", "research", "public_welfare", "legal_services", "other",
                          "total"), 0)
    assert values(report, "new") == {**zero, "natural_person": 2, "commercial": 1, "research": 1, "legal_services": 1,
                                     "total": 5}
    assert values(report, "carried_in") == {**zero, "natural_person": 1, "total": 1}
    assert values(report, "disclosed") == {**zero, "natural_person": 1, "total": 1}  # 已主动公开 counts here
    assert values(report, "withheld.enforcement_files") == {**zero, "natural_person": 1, "total": 1}
    assert values(report, "not_processed.petition_complaint") == {**zero, "commercial": 1, "total": 1}
    assert values(report, "cannot.not_held") == {**zero, "research": 1, "total": 1}
    assert values(report, "other.no_correction") == {**zero, "natural_person": 1, "total": 1}
    assert values(report, "total") == {**zero, "natural_person": 3, "commercial": 1, "research": 1, "total": 5}
    assert values(report, "carried_out") == {**zero, "legal_services": 1, "total": 1}
    assert report["section3"]["identity"]["holds"] is True
    assert [r["label"] for r in report["section3"]["rows"]][:3] == [
        "一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "（一）予以公开"]
    assert len(report["section3"]["rows"]) == 2 + 2 + 8 + 3 + 5 + 3 + 1 + 1
    assert report["by_month"][2]["received"] == 1 and report["by_month"][2]["groups"] == {"不予处理": 1}
    assert report["publish_by"] == "2026-03-31"  # the installation is a government (Art. 50): 31 March

    with time_machine.travel(morning(D(2026, 1, 5)), tick=False):
        previous = staff("publisher1").get("/api/reports/annual/2024").get_json()
    assert values(previous, "new")["total"] == 1 and values(previous, "carried_out")["total"] == 1
    assert previous["section3"]["identity"]["holds"] is True


def test_sections_two_four_five_six_and_the_downloads(staff):
    with time_machine.travel(morning(D(2026, 1, 5)), tick=False):
        publisher = staff("publisher1")
        text = {"overview": "2025年，本机关认真贯彻落实条例。", "problems": "一是公开深度不够。\n二是队伍专业化不足。",
                "other_matters": "无。", "figures": {"rules_issued": 1, "coercion": 3, "fees_amount": 0}}
        assert publisher.put("/api/reports/annual/2025/text", json=text).status_code == 200
        assert publisher.put("/api/reports/annual/2025/text", json={"figures": {"licensing": 5}}).status_code == 422
        for kind, result in (("reconsideration", "upheld"), ("reconsideration", "corrected"),
                             ("litigation_direct", "pending")):
            resp = publisher.post("/api/reports/annual/2025/proceedings", json={"kind": kind, "result": result})
            assert resp.status_code == 201
        assert publisher.post("/api/reports/annual/2025/proceedings", json={"kind": "x", "result": "y"}).status_code == 422
        report = publisher.get("/api/reports/annual/2025").get_json()
        kinds = {k["key"]: k["values"] for k in report["section4"]["kinds"]}
        assert kinds["reconsideration"] == {"upheld": 1, "corrected": 1, "other": 0, "pending": 0, "total": 2}
        assert kinds["litigation_direct"]["pending"] == 1 and kinds["litigation_after"]["total"] == 0
        assert report["section2"]["regulations"][0]["issued"] == 1 and report["section2"]["coercion"] == 3
        assert report["problems"].startswith("一是")

        docx = publisher.get("/api/reports/annual/2025?format=docx")
        assert docx.status_code == 200 and docx.mimetype.endswith("wordprocessingml.document")
        body = "\n".join(p.text for p in Docx(io.BytesIO(docx.data)).paragraphs)
        assert "三、收到和处理政府信息公开申请情况" in body and "二是队伍专业化不足" in body
        assert "校验" not in body  # the identity check is for staff, never in the file to publish
        xlsx = publisher.get("/api/reports/annual/2025?format=xlsx")
        sheet = load_workbook(io.BytesIO(xlsx.data))["三、依申请公开"]
        labels = [label for row in sheet.iter_rows(values_only=True) for label in row[:3]]  # the heading columns
        assert "（七）总计" in labels and "四、结转下年度继续办理" in labels


def test_a_cancelled_request_is_counted_as_other_and_the_identity_still_holds(staff, api_as):
    with time_machine.travel(morning(D(2026, 3, 2)), tick=False):
        rid = register(staff("publisher1"))["id"]
        instance_id = detail(staff("publisher1"), rid)["instance_id"]
        assert api_as("admin").post(f"/api/process-instances/{instance_id}/cancel",
                                    json={"reason": "申请人撤回申请"}).status_code == 200
        report = staff("publisher1").get("/api/reports/annual/2026").get_json()
    assert values(report, "new")["total"] == 1 and values(report, "other.other")["natural_person"] == 1
    assert values(report, "carried_out")["total"] == 0
    assert report["section3"]["identity"]["holds"] is True
