"""A first-time office setting up its plan: demo people to receive the tasks, every blocking row
named at once, near-duplicate units suggested as one, the title from the heading, counts by task,
the year-end wording true in December, reports as content, evidence cited by 索引号."""

from pathlib import Path

from engine import bootstrap, clock, users
from engine.db import transaction
from engine.workplan import parse, units
from tests.support.workplan import PLAN_TEXT, add_staff, create_plan, published_document

SEEDS = Path(__file__).parent / "seeds"


def test_the_demo_has_an_office_and_a_liaison_in_each_department():
    departments = {dept for _u, _n, _r, dept in bootstrap.DEMO_USERS}
    liaisons = {dept for _u, _n, roles, dept in bootstrap.DEMO_USERS if "liaison" in roles}
    assert liaisons == departments
    assert any("gongkai_office" in roles for _u, _n, roles, _d in bootstrap.DEMO_USERS)


def test_a_plan_on_the_demo_reaches_people(staff):
    office = staff("office1")  # a demo user now
    text = "2026年示例县政务公开工作要点\n一、重点\n（一）公开预算。全面公开预算。（县财政局负责，年底前完成）\n"
    create_plan(office, text=text, year=clock.today().year)
    items = staff("liaison2").get("/api/tasks?scope=available&process_key=workplan_task").get_json()["items"]
    assert [t["form_key"] for t in items] == ["workplan_report"]


def test_near_duplicate_units_are_suggested_as_one():
    assert units.similar("区发展和改革局", "区发展改革局") and units.similar("区发改局", "区发展和改革局")
    assert units.similar("经发局", "经济发展局") and not units.similar("区财政局", "区民政局")
    assert not units.similar("教育局", "教育体育局中心")
    found = units.suggestions(["区发展和改革局", "区发展改革局", "区发改局", "区统计局"], ["财政局"])
    assert found == {"区发展改革局": "区发展和改革局", "区发改局": "区发展和改革局"}


def test_the_title_comes_from_the_heading_not_a_date_line():
    taishan = (SEEDS / "taishan_2018.txt").read_text(encoding="utf-8")
    assert taishan.startswith("发布日期")
    assert parse.title_of(taishan) == "2018年泰山区政务公开重点工作任务分解表"
    jilin = (SEEDS / "jilin_gaoxin_2018.txt").read_text(encoding="utf-8")
    assert parse.title_of(jilin) == "2018年吉林高新区政务公开工作重点任务分工方案"
    assert parse.title_of(PLAN_TEXT) == "2026年示例县政务公开工作要点"


def test_every_blocking_row_is_listed_at_once_with_its_number(staff):
    add_staff()
    office = staff("office1")
    rows = [{"task": "公开预算。", "lead_units": [], "deadline": "年底前", "section": "一"},
            {"task": "公开决算。", "lead_units": ["财政局"], "deadline": "年底前", "section": "一"},
            {"task": "公开低保。", "lead_units": [], "deadline": "年底前", "section": "一"},
            {"task": "", "lead_units": ["民政局"], "deadline": "年底前", "section": "一"}]
    resp = office.post("/api/workplans", json={"year": clock.today().year, "title": "要点", "rows": rows})
    body = resp.get_json()
    assert resp.status_code == 422 and body["error"]["message"].startswith("有3行需要处理")
    assert [(e["row"], e["element_id"]) for e in body["errors"]] == [(1, "rows[0]"), (3, "rows[2]"), (4, "rows[3]")]
    assert "第1行没有牵头单位" in body["errors"][0]["message"] and "(row" not in body["error"]["message"]


def test_counts_are_tasks_and_the_year_end_draft_does_not_call_december_late(staff):
    add_staff()
    with transaction() as s:
        users.ensure_department(s, "民政局")
    office = staff("office1")
    year = clock.today().year
    text = (f"{year}年示例县政务公开工作要点\n一、重点领域\n（一）公开预算。全面公开预算。（县财政局、县民政局牵头，年底前完成）\n"
            "（二）公开低保。做好低保公示。（县民政局负责，年底前完成）\n")
    plan = create_plan(office, text=text, year=year)
    board = office.get(f"/api/workplans/{plan}/dashboard").get_json()
    assert [s["tasks"] for s in board["sections"]] == [2]  # two tasks, three lead units
    assert sum(d["tasks"] for d in board["departments"]) == 3
    draft = office.get(f"/api/workplans/{plan}/summary").get_json()["text"]
    assert "重点任务2项（落实到牵头单位3项次）" in draft
    if clock.today() < clock.today().replace(month=12, day=31):  # due on 31 December: not yet late
        assert "逾期" not in draft and "未到完成时限2项" in draft


def test_a_report_cites_a_document_by_index_number_and_the_office_reads_it_as_content(staff, app):
    from tests.support.web import login

    add_staff()
    office, liaison = staff("office1"), staff("liaison_cz")
    plan = create_plan(office, year=clock.today().year)
    doc = published_document()
    with transaction() as s:
        from engine.models import Document

        s.get(Document, doc).index_no = "000000000/2026-0000042"
    task = [t for t in liaison.get("/api/tasks?scope=available&process_key=workplan_task").get_json()["items"]
            if t["form_key"] == "workplan_report"][0]
    liaison.post(f"/api/tasks/{task['id']}/claim")
    done = liaison.post(f"/api/tasks/{task['id']}/complete", json={"data": {
        "text": "已公开2026年县级财政预算。", "document_ids": "000000000/2026-0000042", "request_completion": True}})
    assert done.status_code == 200, done.get_json()
    review = [t for t in office.get("/api/tasks?scope=available&process_key=workplan_task").get_json()["items"]
              if t["form_key"] == "workplan_review"][0]
    page = login(app.test_client(), "office1").get(f"/tasks/{review['id']}").get_data(as_text=True)
    assert "已公开2026年县级财政预算。" in page and "2026年县级财政预算公开" in page and "申请销号" in page
    assert '<details open class="process-data"' not in page  # raw variables only on demand
    board = login(app.test_client(), "office1").get(f"/workplans/{plan}").get_data(as_text=True)
    assert "最近报送的进展" in board and "已公开2026年县级财政预算。" in board
