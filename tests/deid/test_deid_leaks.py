"""The leak patterns of issue 22 on the detector alone: addresses after bracketed cues and followed
by more words, names in titles and after kinship cues, references by surname, typo'd ID numbers,
organisations and places that are not people."""

import pytest

from engine.deid import deidentify


def found(text, kind):
    return [f.text for f in deidentify(text).findings if f.kind == kind]


@pytest.mark.parametrize(("text", "address"), [
    ("反映其母亲欧阳秀兰（住城南街道柳营村三组47号）申请救助。", "城南街道柳营村三组47号"),
    ("其父【住址】上高街道渐汶河社区12号楼3单元302室，现已退休。", "上高街道渐汶河社区12号楼3单元302室"),
    ("家住阳光家园小区8号楼2单元501室的居民反映供暖不足。", "阳光家园小区8号楼2单元501室"),
    ("经查，家住红门路社区9号楼2单元501室住户已获补贴。", "红门路社区9号楼2单元501室"),
    ("“住西关村二组18号”的村民到场。", "西关村二组18号"),
])
def test_an_address_ends_on_its_last_unit_whatever_stands_around_it(text, address):
    assert found(text, "address") == [address]


def test_a_bare_place_is_no_address():
    assert found("家住石家庄路与黄山路交叉口附近的居民反映噪音。", "address") == []
    assert found("他住在向阳社区，平时很少出门。", "address") == []


@pytest.mark.parametrize(("text", "names"), [
    ("关于柏秀芳(身份证号370911199308093544)申请低保的公示", ["柏秀芳"]),
    ("关于撤销对于长江（410105198511075540）行政处罚的决定", ["于长江"]),
    ("关于同意和顺利等5户农户宅基地审批的批复", ["和顺利"]),
    ("村民于凤兰反映，其外甥和小平反映情况属实。", ["于凤兰", "和小平"]),
    ("其侄子向永刚（身份证号码另附）有车有房。", ["向永刚"]),
    ("来访人之子展小军反映，老伴门德旺因病卧床。", ["展小军", "门德旺"]),
    ("护士长植玉霞说，术后护理同样关键。", ["植玉霞"]),
    ("来自意大利的马可罗西第三次参赛。", ["马可罗西"]),
    ("此次手术邀请了法国专家让-皮埃尔·杜邦现场指导。", ["让-皮埃尔·杜邦"]),
])
def test_names_in_titles_after_cues_and_without_listed_surnames(text, names):
    assert found(text, "person_name") == names


def test_later_references_by_surname_take_the_full_names_pseudonym():
    text = "本地选手鞠晓燕夺得冠军。“特别开心。”鞠说。她的教练告诉记者，小鞠备战了半年。老宋说不出话。"
    r = deidentify(text)
    refs = {f.text: f.replacement for f in r.findings}
    assert refs["鞠晓燕"] == refs["鞠"] == "甲"
    assert "小甲备战" in r.text and "甲说" in r.text and "鞠" not in r.text
    # No 宋 was named in full: 老宋 is another person, by surname alone.
    assert "老乙说不出话" in r.text


def test_a_surname_with_a_title_beside_the_full_name_is_the_same_person():
    r = deidentify("来电人：何先生（何立伟），反映噪音扰民。")
    assert r.text == "来电人：甲先生（甲），反映噪音扰民。"


@pytest.mark.parametrize("number", ["370911199308093544", "13010419901001404X"])
def test_an_id_with_a_wrong_check_digit_is_redacted_labelled_or_not(number):
    assert found(f"关于{number}的户籍迁移证明", "id_card") == [number]
    assert found(f"身份证号：{number}", "id_card") == [number]


@pytest.mark.parametrize("text", [
    "项目代码：371302202601010012", "文号：370902202611080017", "账号：622848123456789012",
    "值班期间：202603012026053100", "编号999999198001011234",
])
def test_numbers_that_are_no_ids_stay(text):
    assert found(text, "id_card") == []


@pytest.mark.parametrize("text", [
    "2014年至2019年在北京大北农科技集团股份有限公司任区域经理，协助大北农在鲁中建立示范基地。",
    "曾任职于泰安中天律师事务所、山东华信会计师事务所。",
    "曾在泰安金农农业发展有限公司（简称“金农”）任会计。",
    "今天去了趟曲阜，孔庙人好多。周末带爸妈去了趟大汶口。",
])
def test_organisations_and_places_are_not_people(text):
    assert found(text, "person_name") == []
