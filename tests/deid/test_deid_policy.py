"""Policies per category, operators, pseudonyms and re-rendering after the publisher's review."""

import json

import pytest

from engine.deid import (
    Finding,
    apply_findings,
    deidentify,
    get_policy,
    manual_finding,
    policy_for_document_category,
)
from engine.deid.operators import PseudonymBook, apply_operator
from engine.errors import Invalid

PENALTY = ("当事人：田茂林，身份证号370921198101083070，住址沂水县沂城街道正阳路西段北侧锦绣华庭12号楼1单元601室，"
           "联系电话18253916428。")


def by_kind(redaction):
    return {f.kind: f for f in redaction.findings}


def test_general_redacts_everything():
    r = deidentify(PENALTY)
    assert all(f.redacted for f in r.findings)
    assert "田茂林" not in r.text and "18253916428" not in r.text


def test_penalty_publicity_keeps_the_name_only():
    r = deidentify(PENALTY, "penalty_publicity")
    found = by_kind(r)
    assert not found["person_name"].redacted and found["person_name"].replacement is None
    assert found["id_card"].redacted and found["mobile"].redacted and found["address"].redacted
    assert r.text.startswith("当事人：田茂林，身份证号370921********3070，住址沂水县，联系电话182****6428")


def test_document_category_maps_to_policy():
    assert policy_for_document_category("penalty") == "penalty_publicity"
    assert policy_for_document_category("social_assistance") == "social_assistance_publicity"
    assert policy_for_document_category("proposal_reply") == "proposal_reply"
    assert policy_for_document_category("normative") == "general"
    assert deidentify(PENALTY, "penalty").category == "penalty_publicity"


def test_social_assistance_keeps_head_of_household_but_never_id_phone_bank():
    text = "户主：冷延军，家庭人口2人，身份证号码：37132319991201252X，联系电话：13780891245，卡号：6217001864598365916。"
    r = deidentify(text, "social_assistance_publicity")
    assert "冷延军" in r.text
    assert "37132319991201252X" not in r.text and "13780891245" not in r.text and "6217001864598365916" not in r.text


def test_mandatory_disclosure_keeps_names():
    r = deidentify("法定代表人：褚福来\n联系人：滕思远，联系电话15806385521", "mandatory_disclosure")
    assert "褚福来" in r.text and "滕思远" in r.text and "15806385521" not in r.text


def test_proposal_reply_removes_names_contacts_and_cc_list():
    text = "孙立新代表：\n    您提出的建议收悉。\n手机：13953876412\n\n抄送：区人大常委会代表工作室，孙立新代表\n"
    r = deidentify(text, "proposal_reply")
    assert r.text == "[姓名]代表：\n    您提出的建议收悉。\n手机：139****6412\n\n抄送：\n"


def test_mask_label_generalize_suppress():
    book = PseudonymBook()
    assert apply_operator({"operator": "mask"}, "id_card", "370982196706059395", book) == "370982********9395"
    assert apply_operator({"operator": "mask"}, "mobile", "13905381234", book) == "139****1234"
    assert apply_operator({"operator": "mask"}, "email", "lixiuying@163.com", book) == "l***@163.com"
    assert apply_operator({"operator": "label"}, "person_name", "张建华", book) == "[姓名]"
    assert apply_operator({"operator": "generalize"}, "address", "泰安市泰山区岱宗大街128号", book) == "泰安市泰山区"
    assert apply_operator({"operator": "suppress"}, "plate", "鲁Q·7H2K9", book) == ""


def test_pseudonyms_are_consistent_within_a_document():
    text = "申请人张建华与申请人李秀英……经查，张建华所述属实，李秀英未到场，张建华签收。"
    r = deidentify(text, policy={"operators": {"person_name": {"operator": "pseudonym"}}})
    assert r.text == "申请人甲与申请人乙……经查，甲所述属实，乙未到场，甲签收。"


def test_policy_override_and_validation():
    r = deidentify("申请人：张建华，手机13905381276", policy={"keep": ["mobile"], "operators": {"person_name": "label"}})
    assert r.text == "申请人：[姓名]，手机13905381276"
    with pytest.raises(Invalid):
        get_policy("general", {"operators": {"mobile": "shred"}})
    with pytest.raises(Invalid):
        get_policy("general", {"keep": ["shoe_size"]})


def test_apply_findings_after_adding_and_releasing():
    text = "申请人：张建华，手机13905381276，其邻居阿毛也在场。"
    r = deidentify(text)
    assert apply_findings(text, r.findings).text == r.text
    edited = [f.to_dict() for f in r.findings]
    mobile = next(f for f in edited if f["kind"] == "mobile")
    mobile["redacted"] = False
    start = text.index("阿毛")
    added = manual_finding(text, start, start + 2, "person_name")
    assert added.reason == "manual"
    out = apply_findings(text, [*edited, added])
    assert out.text == "申请人：甲，手机13905381276，其邻居乙也在场。"
    assert text == "申请人：张建华，手机13905381276，其邻居阿毛也在场。"


def test_redaction_is_json_ready():
    data = deidentify(PENALTY).to_dict()
    round_tripped = json.loads(json.dumps(data, ensure_ascii=False))
    assert {"start", "end", "kind", "text", "redacted", "replacement", "score", "reason"} <= set(
        round_tripped["findings"][0])
    assert Finding.from_dict(round_tripped["findings"][0]).kind == data["findings"][0]["kind"]
