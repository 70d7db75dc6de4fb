"""Write a plan with its status as .xlsx in the plan's own layout (the 任务分解表 the office sent
out, with 落实情况 and 状态 added), ready for the year-end summary and for re-import."""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from sqlalchemy import select

from engine import sheets
from engine.db import reading
from engine.models import WorkPlanReport, WorkPlanSection
from engine.workplan import access, progress

HEADER = ("序号", "工作任务及要求", "牵头单位", "配合单位", "完成时限", "备注", "落实情况", "状态")
WIDTHS = (6, 60, 24, 20, 14, 20, 40, 10)
CHINESE_NUMBERS = "一二三四五六七八九十"


def plan_xlsx(actor, plan_id: int) -> tuple[str, bytes]:
    """(file name, .xlsx bytes) of the plan as the actor may see it."""
    with reading() as s:
        plan = access.plan_for(s, actor, plan_id)
        sections = {x.id: x for x in s.scalars(select(WorkPlanSection).where(WorkPlanSection.plan_id == plan.id))}
        tasks = progress.task_dicts(s, plan, progress.tasks_of(s, actor, plan))
        latest = _latest_reports(s, [u["unit_id"] for t in tasks for u in t["leads"]])
    book = Workbook()
    sheet = book.active
    sheet.title = str(plan.year)
    sheets.append(sheet, [plan.title])
    sheets.append(sheet, HEADER)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for col, width in zip("ABCDEFGH", WIDTHS, strict=True):
        sheet.column_dimensions[col].width = width
    written, numbers, number = set(), {}, 0
    for task in tasks:
        for section in _path(sections, task["section_id"]):
            if section.id not in written:
                written.add(section.id)
                _heading(sheet, _label(section, numbers))
        number += 1
        progress_text = "；".join(f"{u['department']}：{latest.get(u['unit_id'], '尚未报送')}" for u in task["leads"])
        sheets.append(sheet, [number, task["task"], "、".join(task["lead_units"]), "、".join(task["assist_units"]),
                      task["deadline"], task["note"], progress_text, task["status_name"]])
        for cell in sheet[sheet.max_row]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    book.save(out)
    return f"workplan-{plan.year}-{plan.id}.xlsx", out.getvalue()


def _path(sections, section_id) -> list:
    path = []
    while section_id is not None:
        path.insert(0, sections[section_id])
        section_id = sections[section_id].parent_id
    return path


def _label(section, numbers) -> str:
    """一、 for a top-level section, （一） below it, numbered in order within the parent."""
    key = section.parent_id
    numbers[key] = numbers.get(key, 0) + 1
    digit = chinese_number(numbers[key])
    return f"{digit}、{section.title}" if section.parent_id is None else f"（{digit}）{section.title}"


def chinese_number(n: int) -> str:
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else CHINESE_NUMBERS[tens - 1] + "十")
    return head + (CHINESE_NUMBERS[ones - 1] if ones else "") if n != 10 else "十"


def _heading(sheet, text):
    sheets.append(sheet, [text])
    row = sheet.max_row
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(HEADER))
    sheet.cell(row=row, column=1).font = Font(bold=True)


def _latest_reports(session, unit_ids) -> dict:
    out = {}
    if unit_ids:
        for report in session.scalars(select(WorkPlanReport).where(WorkPlanReport.unit_id.in_(unit_ids))
                                      .order_by(WorkPlanReport.id)):
            out[report.unit_id] = report.text[:500]
    return out
