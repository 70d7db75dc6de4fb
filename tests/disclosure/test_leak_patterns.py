"""Each leak pattern of issue 22 goes through the whole procedure with a real worker and is gone
from the public page: an address after a bracketed cue or followed by more words, a name before a
bracket in a title, names after kinship cues with compound or preposition surnames, an ID number with
a wrong check digit in the title and the 文号, later references by surname, a preposition surname
right before a verb, an address with no cue that reaches one household, a bare surname (老韩), a name
the model reads across a title, a name after 关于 in a title, a surname that is also a verb after a
cue, a surname and a title (钱老板), a referee's landline; numbers that are not IDs, bare place names
and a shop named after its keeper stay."""

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
    # A preposition surname after a cue with a verb right after it; an address without a cue that
    # reaches one household; a bare surname naming someone; a name before 同志 in a title.
    (dict(title="关于门德胜同志任职的通知",
          body="8月强降雨期间，上高村五组24号村民连俊峰家房屋倒塌，邻居于国庆在场。碰到邻居老韩，他说房子早就裂了。"),
     ["门德胜", "五组24号", "于国庆", "老韩"], ["强降雨期间", "房屋倒塌", "同志任职"]),
    # A room reached after a place the model reads, and a compound surname the model reads alone.
    (dict(title="关于对上官红旗未按规定办理装修报备的处理决定",
          body="经查，楼上环湖路18号2单元402室的房屋登记在鲍春雷名下，实际居住人为其岳父上官德福。"),
     ["上官红旗", "18号2单元402室", "鲍春雷", "上官德福"], ["未按规定办理装修报备", "经查，楼上"]),
    # Third pass: a title's name after 关于 and the act; surnames that are also verbs after a cue; a
    # surname and a title after 的; a referee's landline; a shop named after its keeper stays.
    (dict(title="关于撤销应海军营业执照的决定",
          body="户主应建平，其女能晓雪在外务工。楼下超市的钱老板说，证明人：万立新  电话：0538-6223456。"
               "众人在老孙渔家乐商议。"),
     ["应海军", "应建平", "能晓雪", "钱老板", "万立新", "0538-6223456"],
     ["营业执照的决定", "在外务工", "老孙渔家乐"]),
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
