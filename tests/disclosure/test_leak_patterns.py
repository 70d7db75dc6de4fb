"""Each leak pattern of issue 22 goes through the whole procedure with a real worker and is gone
from the public page: an address after a bracketed cue or followed by more words, a name before a
bracket in a title, names after kinship cues with compound or preposition surnames, an ID number with
a wrong check digit in the title and the 文号, later references by surname; numbers that are not
IDs and bare place names stay."""

import pytest

from tests.support.disclosure import publish

POLICY = dict(category="policy")  # a 政策解读 goes out with a policy document


def public_page(app, doc_id) -> str:
    return app.test_client().get(f"/public/documents/{doc_id}").get_data(as_text=True)


@pytest.mark.parametrize(("fields", "gone", "kept"), [
    # An address after a bracketed cue, and one followed by more words, in body and 政策解读.
    (dict(title="关于城南街道供暖问题的答复", body="反映其母亲上官玉梅（住城南街道柳营村三组47号）申请救助。",
          interpretation="家住阳光家园小区8号楼2单元501室的居民反映供暖不足，501室住户已获补贴。", **POLICY),
     ["柳营村三组47号", "8号楼2单元501室", "上官玉梅"], ["城南街道"]),
    # A name right before a bracket in a title, an unlabelled ID with a wrong check digit in title and 文号.
    (dict(title="关于柏秀芳(身份证号370911199308093544)申请低保的公示", doc_number="370911199308093544",
          body="经审核，同意。"),
     ["柏秀芳", "370911199308093544"], ["申请低保的公示"]),
    # Kinship cues before compound and preposition surnames; later references by surname.
    (dict(title="关于宅基地纠纷的调处意见",
          body="村民司徒广福与其侄子司徒少华发生纠纷，其妻向桂英、邻居于国庆，均在场。老司徒说，他不同意。"),
     ["司徒广福", "司徒少华", "向桂英", "于国庆", "老司徒"], ["发生纠纷"]),
])
def test_leak_patterns_are_gone_from_the_public_page(app, api_as, fields, gone, kept):
    doc_id, _ = publish(api_as, **fields)
    page = public_page(app, doc_id)
    assert all(k in page for k in kept), page
    assert not [g for g in gone if g in page]


def test_numbers_that_are_no_ids_stay_published(app, api_as):
    body = ("项目代码：371302202601010012，合同编号：370902202611080017，账号：622848123456789012，"
            "值班期间：20260101-20261231。")
    doc_id, _ = publish(api_as, title="关于项目资金拨付的通知", doc_number="泰发改〔2026〕61号", body=body)
    page = public_page(app, doc_id)
    assert "371302202601010012" in page and "370902202611080017" in page and "泰发改〔2026〕61号" in page
