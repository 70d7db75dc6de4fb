"""Render the annual report as .docx (to publish) and .xlsx (to check the figures)."""

import io

from engine.config import current


def _title(report) -> str:
    return f"{current().agency_name}{report['year']}年度政府信息公开工作年度报告"


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


def section3_rows(report) -> list[list]:
    s3 = report["section3"]
    header = ["", "", *[c["name"] for c in s3["columns"]]]
    return [header] + [[r["group"], r["label"], *[r["values"][c["key"]] for c in s3["columns"]]] for r in s3["rows"]]


def section4_rows(report) -> list[list]:
    s4 = report["section4"]
    header = ["", *[r["name"] for r in s4["results"]]]
    return [header] + [[k["name"], *[k["values"][r["key"]] for r in s4["results"]]] for k in s4["kinds"]]


def other_matters(report) -> str:
    fees = report["fees_collected"]
    line = f"本年度依据《政府信息公开信息处理费管理办法》收取信息处理费{fees['count']}件，共计{fees['amount']}元。"
    return "\n".join(t for t in (report["other_matters"], line) if t)


def identity_line(report) -> str:
    s3 = report["section3"]
    state = "成立" if s3["identity"]["holds"] else "不成立，请核对"
    return f"校验：{s3['identity']['formula']}（{state}）"


def to_docx(report) -> bytes:
    from docx import Document

    doc = Document()
    doc.add_heading(_title(report), level=1)
    doc.add_paragraph(f"本报告依据《中华人民共和国政府信息公开条例》第五十条编制，格式依{report['format']}。"
                      f"统计期限为{report['year']}年1月1日至12月31日。")
    for heading, body, rows in (
        ("一、总体情况", report["overview"], None),
        ("二、主动公开政府信息情况", None, section2_rows(report)),
        ("三、收到和处理政府信息公开申请情况", identity_line(report), section3_rows(report)),
        ("四、政府信息公开行政复议、行政诉讼情况", None, section4_rows(report)),
        ("五、存在的主要问题及改进情况", report["problems"], None),
        ("六、其他需要报告的事项", other_matters(report), None),
    ):
        doc.add_heading(heading, level=2)
        if body:
            for para in str(body).splitlines():
                doc.add_paragraph(para)
        if rows:
            table = doc.add_table(rows=len(rows), cols=len(rows[0]))
            table.style = "Table Grid"
            for i, row in enumerate(rows):
                for j, value in enumerate(row):
                    table.cell(i, j).text = str(value)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def to_xlsx(report) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    sheets = (("二、主动公开", section2_rows(report)), ("三、依申请公开", section3_rows(report)),
              ("四、复议诉讼", section4_rows(report)))
    for index, (name, rows) in enumerate(sheets):
        ws = wb.active if index == 0 else wb.create_sheet()
        ws.title = name
        ws.append([_title(report)])
        for row in rows:
            ws.append(row)
        if name.startswith("三"):
            ws.append([identity_line(report)])
    ws = wb.create_sheet("按月统计")
    ws.append(["月份", "新收", "予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理"])
    for m in report["by_month"]:
        g = m["groups"]
        ws.append([m["month"], m["received"], *[g.get(k, 0) for k in ("予以公开", "部分公开", "不予公开", "无法提供",
                                                                         "不予处理", "其他处理")]])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
