"""Each kind of personal data, and the context rules that keep public contacts visible."""

import pytest

from engine.deid import deidentify


def kinds(text, category="general"):
    return [(f.kind, f.text) for f in deidentify(text, category).findings]


@pytest.mark.parametrize("text, kind, value", [
    ("申请人身份证号码：370902198803152115。", "id_card", "370902198803152115"),
    ("申请人手机：13905381276。", "mobile", "13905381276"),
    ("申请人李秀英，固定电话0538-7251683。", "landline", "0538-7251683"),
    ("收款账号：6217008604692844124。", "bank_card", "6217008604692844124"),
    ("我的邮箱是baixueqin@qq.com。", "email", "baixueqin@qq.com"),
    ("车辆牌号：鲁Q·7H2K9。", "plate", "鲁Q·7H2K9"),
    ("护照号码：E12345678。", "passport", "E12345678"),
    ("统一社会信用代码：92370902PGQDLQQ1AR。", "credit_code_individual", "92370902PGQDLQQ1AR"),
    ("住址：泰安市泰山区岱宗大街128号3号楼2单元501室，", "address", "泰安市泰山区岱宗大街128号3号楼2单元501室"),
    ("申请人：欧阳晓峰\n", "person_name", "欧阳晓峰"),
])
def test_each_kind(text, kind, value):
    assert (kind, value) in kinds(text)


@pytest.mark.parametrize("text", [
    "咨询电话：0538-8269012",
    "监督电话：0538-6993312（街道），0538-8267156（区民政局）",
    "投诉举报电话：13893100110（值班手机）",
    "市民服务热线12345。",
    "请与区政府办公室政务公开科联系，电话：0538-6996021，电子邮箱：tsqzwgk@ta.gov.cn。",
    "泰政办发〔2018〕12号，索引号：11370902004380154W/2018-00058",
    "统一社会信用代码：91370911QMM1HDPEFJ，合同金额48万元，2021年2月26日",
    "向泰安市人民政府申请行政复议（地址：泰安市泰山区东岳大街6号，电话：0538-8221130）",
    "征收邱家店镇王家庄村集体土地12.3567公顷，涉及张家庄村北。",
])
def test_public_content_is_left_alone(text):
    assert kinds(text) == []


def test_applicant_phone_is_personal_but_office_phone_is_not():
    text = "申请人：赵国强\n联系电话：0538-8227731\n\n本机关咨询电话：0538-8269012"
    assert kinds(text) == [("person_name", "赵国强"), ("landline", "0538-8227731")]


def test_names_from_cues_lists_salutations_and_tables():
    text = ("刘桂芝、刘春生：\n    尊敬的高文娟、杜宏伟委员提出……执法队员贾志远、聂文博多次劝阻。\n"
            "序号 | 户主姓名 | 金额\n1 | 亓凤英 | 100\n2 | 庞德海 | 200\n")
    names = [t for k, t in kinds(text) if k == "person_name"]
    assert names == ["刘桂芝", "刘春生", "高文娟", "杜宏伟", "贾志远", "聂文博", "亓凤英", "庞德海"]


def test_a_found_name_is_found_everywhere_in_the_document():
    text = "留言人：赵国强\n……赵国强先生：您好！已处理，请赵国强确认。"
    assert [t for k, t in kinds(text)] == ["赵国强"] * 3


def test_company_address_is_public_but_individual_business_address_is_not():
    company = "当事人：兰州宏达建材有限责任公司\n法定代表人：闵德胜\n地址：兰州市城关区雁西路街道南河路1196号\n"
    shop = "当事人：泰山区鑫源便利店（个体工商户）\n经营者：石磊\n住所：泰安市泰山区财源街道青年路56号附2号\n"
    assert ("address", "兰州市城关区雁西路街道南河路1196号") not in kinds(company)
    assert ("address", "泰安市泰山区财源街道青年路56号附2号") in kinds(shop)


def test_numeral_given_names_after_a_cue_are_names():
    from engine.deid import deidentify

    result = deidentify("申请人张三，电话13912341234。户主王五，身份证号110101199003074573。")
    names = [f.text for f in result.findings if f.kind == "person_name"]
    assert names == ["张三", "王五"]
    assert "张三" not in result.text and "王五" not in result.text
    assert not [f for f in deidentify("联系人于周一上午十时到场。").findings if f.kind == "person_name" and f.text == "周一"]


def test_a_verb_right_after_a_name_is_not_part_of_it():
    from engine.deid import deidentify

    names = [f.text for f in deidentify("户主张伟符合条件，申请人李强同意调解。").findings if f.kind == "person_name"]
    assert names == ["张伟", "李强"]
