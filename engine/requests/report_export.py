"""Render the annual report as .docx (to publish) and .xlsx (to check the figures).

Sections three and four keep the official two-level headers: each is a grid of cells with their
row and column spans (`section3_grid`, `section4_grid`) that the page, Word and Excel all lay out.
The identity check (新收 + 上年结转 = 总计 + 结转下年度) is for staff and never goes into the Word file.
"""

import io

from docx import Document
from openpyxl import Workbook

from engine import sheets, supervision
from engine.config import current

RESULT_GROUP = "三、本年度办理结果"
S3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


def _title(report) -> str:
    return f"{report.get('agency') or current().agency_name}{report['year']}年度政府信息公开工作年度报告"


def _cell(r, c, text, rowspan=1, colspan=1, header=False) -> dict:
    return {"row": r, "col": c, "text": str(text), "rowspan": rowspan, "colspan": colspan, "header": header}


def section3_grid(report) -> dict:
    """Section three as the 2021 table: 3 header rows, 3 heading columns, 7 value columns."""
    s3 = report["section3"]
    columns = [c["key"] for c in s3["columns"]]
    cells = [_cell(0, 0, S3_NOTE, 3, 3, True), _cell(0, 3, "申请人情况", 1, 7, True),
             _cell(1, 3, "自然人", 2, 1, True), _cell(1, 4, "法人或其他组织", 1, 5, True), _cell(1, 9, "总计", 2, 1, True)]
    cells += [_cell(2, 4 + i, c["name"], header=True) for i, c in enumerate(s3["columns"][1:6])]
    body = s3["rows"]
    results = [i for i, row in enumerate(body) if row["group"]]
    for i, row in enumerate(body):
        r = 3 + i
        if not row["group"]:
            cells.append(_cell(r, 0, row["label"], colspan=3, header=True))
        elif row["group"] == RESULT_GROUP:
            cells.append(_cell(r, 1, row["label"], colspan=2, header=True))
        else:
            if i == 0 or body[i - 1]["group"] != row["group"]:
                span = sum(1 for other in body if other["group"] == row["group"])
                cells.append(_cell(r, 1, row["group"], rowspan=span, header=True))
            cells.append(_cell(r, 2, row["label"], header=True))
        cells += [_cell(r, 3 + j, row["values"][key]) for j, key in enumerate(columns)]
    cells.append(_cell(3 + results[0], 0, RESULT_GROUP, rowspan=len(results), header=True))
    return {"rows": 3 + len(body), "cols": 10, "cells": cells, "row_keys": [None] * 3 + [row["key"] for row in body]}


def section4_grid(report) -> dict:
    """Section four as one row of 15 figures: 行政复议 5 | 未经复议直接起诉 5 | 复议后起诉 5."""
    s4 = report["section4"]
    results = s4["results"]
    kinds = {k["key"]: k for k in s4["kinds"]}
    cells = [_cell(0, 0, "行政复议", 2, 5, True), _cell(0, 5, "行政诉讼", 1, 10, True),
             _cell(1, 5, "未经复议直接起诉", 1, 5, True), _cell(1, 10, "复议后起诉", 1, 5, True)]
    for block, key in enumerate(("reconsideration", "litigation_direct", "litigation_after")):
        for j, res in enumerate(results):
            cells.append(_cell(2, block * 5 + j, res["name"], header=True))
            cells.append(_cell(3, block * 5 + j, kinds[key]["values"][res["key"]]))
    return {"rows": 4, "cols": 15, "cells": cells}


def grid_rows(grid) -> list[list[dict]]:
    """The grid's cells row by row, for an HTML table (covered cells left out)."""
    rows = [[] for _ in range(grid["rows"])]
    for cell in sorted(grid["cells"], key=lambda c: (c["row"], c["col"])):
        rows[cell["row"]].append(cell)
    return rows


def section2_rows(report) -> list[list]:
    s2 = report["section2"]
    rows = [["第二十条第（一）项", "", "", ""], ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]]
    rows += [[r["label"], r["issued"], r["repealed"], r["in_force"]] for r in s2["regulations"]]
    rows += [["第二十条第（五）项", "", "", ""], ["信息内容", "本年处理决定数量", "", ""], ["行政许可", s2["licensing"], "", ""]]
    rows += [["第二十条第（六）项", "", "", ""], ["信息内容", "本年处理决定数量", "", ""],
             ["行政处罚", s2["penalty"], "", ""], ["行政强制", s2["coercion"], "", ""]]
    rows += [["第二十条第（八）项", "", "", ""], ["信息内容", "本年收费金额（单位：万元）", "", ""],
             ["行政事业性收费", s2["fees_amount"], "", ""]]
    return rows


def overview(report) -> str:
    """Section one: the staff's text, then the 监督保障 figures the system counts (never typed in)."""
    return "\n".join(t for t in (report["overview"], supervision.report_lines(report.get("supervision"))) if t)


def other_matters(report) -> str:
    fees = report["fees_collected"]
    line = ""
    if "fee_notices" in report:  # 30号: the 信息处理费 charged under 109号, from the notices themselves
        sent = report["fee_notices"]
        line = f"本年度发出信息处理费收费通知书{sent['count']}份，金额共计{sent['amount']}元；"
    line += f"本年度依据《政府信息公开信息处理费管理办法》收取信息处理费{fees['count']}件，共计{fees['amount']}元。"
    c = report.get("corrections") or {}
    if c.get("received") or any(c.get(k) for k in ("corrected", "not_corrected", "referred")):
        line += (f"收到更正与本人相关政府信息记录的申请（条例第四十一条）{c['received']}件，本年度予以更正{c['corrected']}件、"
                 f"不予更正{c['not_corrected']}件、转送或告知向有权机关提出{c['referred']}件。")
    return "\n".join(t for t in (report["other_matters"], line) if t)


def identity_line(report) -> str:
    s3 = report["section3"]
    state = "成立" if s3["identity"]["holds"] else "不成立，请核对"
    return f"校验：{s3['identity']['formula']}（{state}）"


def to_docx(report) -> bytes:
    doc = Document()
    doc.add_heading(_title(report), level=1)
    doc.add_paragraph(f"本报告依据《中华人民共和国政府信息公开条例》第五十条编制，格式依{report['format']}。"
                      f"统计期限为{report['year']}年1月1日至12月31日。")
    for heading, body, rows in (
        ("一、总体情况", overview(report), None),
        ("二、主动公开政府信息情况", None, section2_rows(report)),
        ("三、收到和处理政府信息公开申请情况", None, section3_grid(report)),
        ("四、政府信息公开行政复议、行政诉讼情况", None, section4_grid(report)),
        ("五、存在的主要问题及改进情况", report["problems"], None),
        ("六、其他需要报告的事项", other_matters(report), None),
    ):
        doc.add_heading(heading, level=2)
        if body:
            for para in str(body).splitlines():
                doc.add_paragraph(para)
        if isinstance(rows, dict):
            _docx_grid(doc, rows)
        elif rows:
            table = doc.add_table(rows=len(rows), cols=len(rows[0]))
            table.style = "Table Grid"
            for i, row in enumerate(rows):
                for j, value in enumerate(row):
                    table.cell(i, j).text = str(value)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _docx_grid(doc, grid) -> None:
    table = doc.add_table(rows=grid["rows"], cols=grid["cols"])
    table.style = "Table Grid"
    for cell in grid["cells"]:
        target = table.cell(cell["row"], cell["col"])
        if cell["rowspan"] > 1 or cell["colspan"] > 1:
            target = target.merge(table.cell(cell["row"] + cell["rowspan"] - 1, cell["col"] + cell["colspan"] - 1))
        target.text = cell["text"]


def _xlsx_grid(ws, grid, top: int) -> None:
    for cell in grid["cells"]:
        row, col = top + cell["row"], 1 + cell["col"]
        sheets.put(ws, row, col, int(cell["text"]) if cell["text"].isdigit() and not cell["header"] else cell["text"])
        if cell["rowspan"] > 1 or cell["colspan"] > 1:
            ws.merge_cells(start_row=row, start_column=col, end_row=row + cell["rowspan"] - 1,
                           end_column=col + cell["colspan"] - 1)


def to_xlsx(report) -> bytes:
    wb = Workbook()
    tabs = (("二、主动公开", section2_rows(report)), ("三、依申请公开", section3_grid(report)),
            ("四、复议诉讼", section4_grid(report)))
    for index, (name, rows) in enumerate(tabs):
        ws = wb.active if index == 0 else wb.create_sheet()
        ws.title = name
        sheets.append(ws, [_title(report)])
        if isinstance(rows, dict):
            _xlsx_grid(ws, rows, top=2)
            if name.startswith("三"):  # the working file keeps the check; the Word file to publish does not
                sheets.append(ws, [identity_line(report)])
        else:
            for row in rows:
                sheets.append(ws, row)
    ws = wb.create_sheet("按月统计")
    sheets.append(ws, ["月份", "新收", "予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理"])
    for m in report["by_month"]:
        g = m["groups"]
        sheets.append(ws, [m["month"], m["received"],
                           *[g.get(k, 0) for k in ("予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理")]])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
