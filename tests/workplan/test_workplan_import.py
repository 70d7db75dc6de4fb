"""Importing plans: the three seeds as text, a .docx table and an .xlsx sheet written here, the
plan's own export read back, unknown units mapped or created, and bad input refused by field."""

import io
import json
from pathlib import Path

import pytest
from docx import Document as Docx
from openpyxl import Workbook

from engine import clock, users
from engine.db import transaction
from engine.workplan import plans
from tests.support.flows import run_worker
from tests.support.workplan import PLAN_TEXT, create_plan

SEEDS = Path(__file__).parent / "seeds"
DEPARTMENTS = json.loads((SEEDS / "departments.json").read_text(encoding="utf-8"))
HEADER = ["序号", "工作任务及要求", "牵头单位", "配合单位", "完成时限", "备注"]
TABLE = [  # (section path, task, lead, assist, deadline, note)
    ("加强重点领域信息公开 / 推进财政信息公开", "全面公开财政预决算信息。", ["财政局"], ["民政局"], "2026年11月20日前", ""),
    ("加强重点领域信息公开 / 推进财政信息公开", "公开政府债务限额、余额等信息。", ["财政局"], [], "年底前", "按季度更新"),
    ("加强政策解读", "重要政策文件与解读材料同步公开。", ["教育局", "民政局"], [], "长期坚持", ""),
]


def _preview(api, **kw):
    resp = api.post("/api/workplans/import", **kw)
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()


def _departments(names):
    with transaction() as s:
        for name in names:
            users.ensure_department(s, name)


def _row(rows, fragment):
    found = [r for r in rows if fragment in r["task"]]
    assert len(found) == 1, (fragment, [r["task"][:30] for r in rows])
    return found[0]


def test_the_jilin_plan_reads_sections_units_and_deadlines_and_maps_an_abbreviation(staff):
    _departments(DEPARTMENTS["jilin_gaoxin_2018.txt"])
    office = staff("office1")
    preview = _preview(office, json={"text": (SEEDS / "jilin_gaoxin_2018.txt").read_text(encoding="utf-8")})
    rows = preview["rows"]
    assert len(rows) == 15 and all(r["lead_units"] for r in rows)
    assert len({r["section"].split(" / ")[0] for r in rows}) == 3
    listing = _row(rows, "实行清单目录管理")
    assert (listing["lead_units"], listing["deadline"]) == (["管委会办公室"], "2018年7月底前")
    review = _row(rows, "在信息公开前要确定专人")  # "管委会办公室负责，……" opens the paragraph
    assert review["lead_units"] == ["管委会办公室"] and review["section"].endswith("加强政府信息公开审查")
    assert preview["unknown_units"] == ["经发局"]  # written short for 经济发展局: the office maps it

    mapped = [{**r, "lead_units": ["经济发展局" if u == "经发局" else u for u in r["lead_units"]]} for r in rows]
    body = {"year": 2018, "title": "2018年吉林高新区政务公开工作重点任务分工方案", "rows": rows}
    refused = office.post("/api/workplans", json=body)
    assert refused.status_code == 422 and "经发局" in refused.get_json()["error"]["message"]
    # A 2018 plan imported now: every deadline has passed, and nothing is created until the office
    # says, row by row, what it expects (escalate at once, a new deadline, or done already).
    assert all(r["deadline_passed"] for r in rows)
    late = office.post("/api/workplans", json={**body, "rows": mapped})
    assert late.status_code == 422 and "rows[0].overdue_choice" in late.get_json()["error"]["fields"]
    chosen = [{**r, "overdue_choice": "escalate"} for r in mapped]
    chosen[0] = {**chosen[0], "overdue_choice": "completed", "completion_note": "清单目录已于2018年7月上线"}
    chosen[1] = {**chosen[1], "overdue_choice": "reschedule", "new_due_on": "2099-06-30"}
    plan_id = office.post("/api/workplans", json={**body, "rows": chosen}).get_json()["id"]
    run_worker()  # more lead units than one request starts: a worker starts the rest
    plan = office.get(f"/api/workplans/{plan_id}").get_json()
    assert len(plan["tasks"]) == 15 and [s["title"] for s in plan["sections"] if s["parent_id"] is None] == [
        "深入开展公开解读回应工作", "努力提升政务服务工作实效", "认真做好政务公开各项基础保障工作"]
    done, moved = plan["tasks"][0], plan["tasks"][1]
    assert (done["status"], done["completion_note"]) == ("done", "清单目录已于2018年7月上线")
    # Recorded done: its lead units are done too and start no instance, so nothing escalates.
    assert {(lead["status"], lead["instance_id"]) for lead in done["leads"]} == {("done", None)}
    assert (moved["due_on"], moved["deadline"]) == ("2099-06-30", "2099年6月30日前")
    assert all(lead["instance_id"] for t in plan["tasks"][1:] for lead in t["leads"])


def test_the_yishui_and_taishan_plans_recognise_their_lead_units(staff):
    office = staff("office1")
    _departments(DEPARTMENTS["yishui_2021.txt"] + DEPARTMENTS["taishan_2018.txt"])
    yishui = _preview(office, json={"text": (SEEDS / "yishui_2021.txt").read_text(encoding="utf-8")})["rows"]
    assert len(yishui) == 20 and len({r["section"].split(" / ")[0] for r in yishui}) == 5
    finance = _row(yishui, "稳步扩大预决算公开范围")
    assert finance["lead_units"] == ["财政局"] and finance["section"].endswith("着眼财资管理推进政务公开")
    assert _row(yishui, "开设“十四五”规划公开专栏")["deadline"] == "2021年10月底前"

    taishan = _preview(office, json={"text": (SEEDS / "taishan_2018.txt").read_text(encoding="utf-8")})["rows"]
    assert len(taishan) > 150 and sum(bool(r["lead_units"]) for r in taishan) / len(taishan) > 0.9
    assert _row(taishan, "深化平安山东建设")["lead_units"] == ["公安分局"]
    assert _row(taishan, "围绕防范化解重大风险推进公开")["lead_units"] == ["财政局", "金融办"]
    # A merged table cell: the rows below the unit's first row carry its units, marked for a check.
    inferred = _row(taishan, "按照上级财政主管部门要求")
    assert inferred["lead_units"] == ["财政局"] and "units_inferred" in inferred["problems"]


def _docx_bytes() -> bytes:
    doc = Docx()
    table = doc.add_table(rows=1, cols=len(HEADER))
    for cell, text in zip(table.rows[0].cells, HEADER, strict=True):
        cell.text = text
    seen = []
    for number, (section, task, lead, assist, deadline, note) in enumerate(TABLE, 1):
        for depth, title in enumerate(section.split(" / ")):
            if title not in seen:
                seen.append(title)
                tops = sum(1 for t in seen if t in {x[0].split(" / ")[0] for x in TABLE})
                cells = table.add_row().cells
                cells[0].merge(cells[-1]).text = f"{'一二三'[tops - 1]}、{title}" if depth == 0 else f"（一）{title}"
        values = [str(number), task, "、".join(lead), "、".join(assist), deadline, note]
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.text = text
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _xlsx_bytes() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["2026年政务公开重点工作任务分解表"])
    sheet.append(HEADER)
    current = None
    for number, (section, task, lead, assist, deadline, note) in enumerate(TABLE, 1):
        top, *sub = section.split(" / ")
        if top != current:
            current = top
            sheet.append([f"一、{top}"])
            if sub:
                sheet.append([f"（一）{sub[0]}"])
        sheet.append([number, task, "、".join(lead), "、".join(assist), deadline, note])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _expected():
    return [{"section": s, "task": t, "lead_units": lead, "assist_units": assist, "deadline": d, "note": n}
            for s, t, lead, assist, d, n in TABLE]


def _plain(rows):
    return [{k: r[k] for k in ("section", "task", "lead_units", "assist_units", "deadline", "note")} for r in rows]


@pytest.mark.parametrize("name,maker", [("plan.docx", _docx_bytes), ("plan.xlsx", _xlsx_bytes)])
def test_a_docx_table_and_an_xlsx_sheet_import_exactly(staff, name, maker):
    _departments(["财政局", "民政局", "教育局"])
    preview = _preview(staff("office1"), data={"file": (io.BytesIO(maker()), name)},
                       content_type="multipart/form-data")
    assert _plain(preview["rows"]) == _expected()
    assert preview["unknown_units"] == [] and all(r["problems"] == [] for r in preview["rows"])


def test_the_plans_own_export_reads_back_as_the_same_rows(staff):
    office = staff("office1")
    original = _preview(office, json={"text": PLAN_TEXT})["rows"]
    plan_id = create_plan(office)
    resp = office.get(f"/api/workplans/{plan_id}/export.xlsx")
    assert resp.status_code == 200 and resp.mimetype.endswith("spreadsheetml.sheet")
    again = _preview(office, data={"file": (io.BytesIO(resp.data), "export.xlsx")}, content_type="multipart/form-data")
    assert _plain(again["rows"]) == _plain(original)


def test_unknown_units_can_be_created_with_the_plan(staff):
    office = staff("office1")
    rows = _preview(office, json={"text": "一、专项工作\n（一）公开大数据目录。做好数据开放。（县大数据局负责，年底前完成）"})
    assert rows["unknown_units"] == ["县大数据局"]
    body = {"year": clock.today().year, "title": "专项工作", "rows": rows["rows"], "new_units": ["县大数据局"]}
    plan_id = office.post("/api/workplans", json=body).get_json()["id"]
    task = office.get(f"/api/workplans/{plan_id}").get_json()["tasks"][0]
    assert task["lead_units"] == ["县大数据局"] and task["due_on"] == f"{clock.today().year}-12-31"


def test_bad_input_is_refused_with_the_field_named(staff):
    office = staff("office1")
    cases = [
        (dict(json={}), "text"),
        (dict(json={"text": "   "}), "text"),
        (dict(data={"file": (io.BytesIO(b"%PDF-1.4"), "plan.pdf")}, content_type="multipart/form-data"), "file"),
        (dict(data={"file": (io.BytesIO(b"not a zip"), "plan.docx")}, content_type="multipart/form-data"), "file"),
        (dict(data={"file": (io.BytesIO(b"not a zip"), "plan.xlsx")}, content_type="multipart/form-data"), "file"),
    ]
    for kwargs, field in cases:
        resp = office.post("/api/workplans/import", **kwargs)
        assert resp.status_code == 422 and field in resp.get_json()["error"]["fields"], resp.get_json()
    row = {"section": "", "task": "公开预算", "lead_units": ["财政局"], "assist_units": [], "deadline": "", "note": ""}
    for body, field in (({"year": "2026", "title": "x", "rows": [row]}, "year"),
                        ({"year": 2026, "title": "", "rows": [row]}, "title"),
                        ({"year": 2026, "title": "x", "rows": []}, "rows"),
                        ({"year": 2026, "title": "x", "rows": [{**row, "task": ""}]}, "rows[0].task"),
                        ({"year": 2026, "title": "x", "rows": [{**row, "lead_units": []}]}, "rows[0].lead_units"),
                        ({"year": 2026, "title": "x", "rows": [row], "report_cycle": "P2W"}, "report_cycle")):
        resp = office.post("/api/workplans", json=body)
        assert resp.status_code == 422 and field in resp.get_json()["error"]["fields"], (body, resp.get_json())


def test_a_large_plans_tasks_are_started_by_a_worker(staff, monkeypatch):
    monkeypatch.setattr(plans, "INLINE_STARTS", 1)  # as if the plan had hundreds of lead units
    office = staff("office1")
    plan_id = create_plan(office)
    leads = [lead for t in office.get(f"/api/workplans/{plan_id}").get_json()["tasks"] for lead in t["leads"]]
    assert [bool(lead["instance_id"]) for lead in leads] == [True, False, False]
    run_worker()
    tasks = office.get(f"/api/workplans/{plan_id}").get_json()["tasks"]
    assert all(lead["instance_id"] for t in tasks for lead in t["leads"])
    teaching = next(t for t in tasks if t["lead_units"] == ["教育局"])
    assert staff("liaison_jy").post(f"/api/workplans/tasks/{teaching['id']}/reports",
                                    json={"text": "已同步公开"}).status_code == 200
