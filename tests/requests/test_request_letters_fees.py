"""Reply letters per outcome (legal basis and remedy) and the 国办函〔2020〕109号 fee tiers."""

from datetime import date
from types import SimpleNamespace

import pytest

from engine.agency_settings import DEFAULTS
from engine.errors import Invalid
from engine.requests import OUTCOMES, REASONS_BY_OUTCOME, fees, letters

REQ = SimpleNamespace(applicant_name="张三", request_no="YSQ202600001", receipt_on=date(2026, 11, 2),
                      description="2026年城区道路改造工程的预算", form="electronic", delivery="email")
BASIS = {"already_public": "第三十六条第（一）项", "disclosed": "第三十六条第（二）项", "partially_disclosed": "第三十七条",
         "not_held": "第三十六条第（四）项", "needs_new_work": "第三十八条", "unclear_after_correction": "第三十条"}
REASON_BASIS = {"state_secret": "第十四条", "prohibited_by_law": "第十四条", "security_stability": "第十四条",
                "third_party_rights": "第十五条", "internal_affairs": "第十六条第一款",
                "process_information": "第十六条第二款", "enforcement_files": "第十六条第二款",
                "administrative_inquiry": "第三十六条第（七）项", "petition_complaint": "第三十九条第一款",
                "repeated": "第三十六条第（六）项", "publication": "第三十九条第二款", "excessive": "第三十五条",
                "confirmation": "第二条", "no_correction": "第三十条", "fee_unpaid": "国办函〔2020〕109号",
                "other": "第三十六条"}
CASES = [(o, None) for o in OUTCOMES if o not in REASONS_BY_OUTCOME] + \
    [(o, r) for o, reasons in REASONS_BY_OUTCOME.items() for r in reasons]


@pytest.mark.parametrize("outcome,reason", CASES)
def test_every_outcome_has_a_letter_with_its_legal_basis_and_the_remedy(outcome, reason):
    text = letters.render(REQ, outcome, reason, agency="示例县人民政府办公室", settings=DEFAULTS, on=date(2026, 11, 20),
                          location="示例县政府门户网站", explanation="详见附件说明。")
    assert text.startswith("示例县人民政府办公室\n政府信息公开申请答复书")
    assert "张三：" in text and "2026年11月2日收到" in text and "城区道路改造工程" in text
    assert (BASIS.get(outcome) or REASON_BASIS[reason]) in text
    assert "六十日内向示例市人民政府（地址：示例市人民大道1号）申请行政复议" in text
    assert "六个月内向示例县人民法院（地址：示例县法院路8号）提起行政诉讼" in text
    assert "2026年11月20日" in text and "{" not in text


def test_already_public_names_where_to_find_it():
    text = letters.render(REQ, "already_public", None, agency="A", settings=DEFAULTS, on=date(2026, 11, 20),
                          location="县政府门户网站“财政预决算”栏目")
    assert "县政府门户网站“财政预决算”栏目" in text


@pytest.mark.parametrize("pages,expected", [(0, 0), (30, 0), (31, 10), (100, 700), (101, 720), (200, 2700),
                                            (201, 2740), (250, 4700)])
def test_per_page_tiers(pages, expected):
    assert fees.per_page(pages) == expected


@pytest.mark.parametrize("nth,expected", [(1, 0), (10, 0), (11, 100), (30, 100), (31, 200), (40, 200), (41, 300),
                                          (55, 400)])
def test_per_request_tiers(nth, expected):
    assert fees.per_request(nth) == expected


def test_a_free_request_or_an_unknown_method_cannot_be_charged():
    assert fees.compute("per_request", nth_in_month=12)["amount"] == 100
    with pytest.raises(Invalid):
        fees.compute("per_page", pages=30)
    with pytest.raises(Invalid):
        fees.compute("both", pages=300)
