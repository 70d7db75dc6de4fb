"""Read a work plan from plain text, a .docx table or an .xlsx sheet into preview rows.

Best effort by design: the office corrects the preview before anything is created. Each row says
what the parser was unsure of (`problems`), so the page can point at the rows needing a look.
"""

import io
import re

from docx import Document as Docx
from openpyxl import load_workbook

from engine.errors import Invalid
from engine.workplan import units

SECTION_L1 = re.compile(r"^[一二三四五六七八九十]+[、.．]\s*")
SECTION_L2 = re.compile(r"^[（(][一二三四五六七八九十]+[）)]\s*")
NUMBERED = re.compile(r"^\d{1,2}[.、．]\s*")
STOP = re.compile(r"^(抄送|扫一扫|政策解读$|Copyright|关闭窗口|【打印】|打印本页|相关链接|附件[:：]?$)")
HEADER_WORDS = {"工作任务及要求", "牵头单位", "备注", "配合单位", "完成时限", "序号", "责任单位", "工作任务", "任务"}
TRAILING_CLAUSE = re.compile(r"[（(]([^（）()]*?(?:牵头|负责|落实|配合)[^（）()]*)[）)][。.]?\s*$")
LEADING_CLAUSE = re.compile(r"^([^，,。；;]{2,60}?(?:牵头|负责)(?:[，,][^，,。]{0,30}配合)?)[，,]")
UNIT_LINE = re.compile(r"^由.{2,80}(?:负责|牵头|落实|配合).{0,30}$")
SENTENCE_END = re.compile(r"[。；;：:！？!?]")
SECTION_SEPARATOR = " / "


def preview(rows: list[dict], directory: units.Directory, mapping=None) -> dict:
    """Resolve each row's unit mentions against the departments; the preview the API returns."""
    unknown = []
    for row in rows:
        lead, lead_unknown = directory.resolve(row.pop("lead_mentions", row.get("lead_units", [])), mapping)
        assist, assist_unknown = directory.resolve(row.pop("assist_mentions", row.get("assist_units", [])), mapping)
        row["lead_units"], row["assist_units"] = lead + lead_unknown, assist + assist_unknown
        problems = row.setdefault("problems", [])
        if not row["lead_units"]:
            problems.append("no_lead_unit")
        if lead_unknown or assist_unknown:
            problems.append("unknown_unit")
        unknown += [u for u in lead_unknown + assist_unknown if u not in unknown]
    return {"rows": rows, "unknown_units": unknown, "suggestions": units.suggestions(unknown, directory.names)}


BOOK_TITLE = re.compile(r"《([^《》]{4,80}?(?:要点|方案|计划|安排|任务|分解表|清单))》")
PLAN_WORDS = re.compile(r"(工作要点|要点|分工方案|工作方案|工作计划|任务分工)")
META_LINE = re.compile(r"(发布日期|发文日期|成文日期|来源|索引号|发文字号|主题分类|浏览次数|[:：])")


def title_of(text: str) -> str:
    """The plan's title from its heading, not from a 发布日期 line: the name in 《》 of a 关于印发《…》的通知
    (whose heading may be broken over lines), else the first heading line naming a plan."""
    head = [line.strip() for line in (text or "").splitlines()[:40] if line.strip()]
    found = BOOK_TITLE.search("".join(head))
    if found:
        return found.group(1)
    return next((line for line in head if PLAN_WORDS.search(line) and not META_LINE.search(line) and len(line) <= 60),
                next((line for line in head if not META_LINE.search(line)), ""))[:200]


def _row(section, text, lead=(), assist=(), deadline="", note="", problems=()) -> dict:
    return {"section": SECTION_SEPARATOR.join(section), "task": text, "lead_mentions": list(lead),
            "assist_mentions": list(assist), "deadline": deadline, "note": note, "problems": list(problems)}


# ---- plain text ---------------------------------------------------------------------------

def from_text(text: str) -> list[dict]:
    """Rows from a plan pasted as text: numbered outlines (一、(一) 1.) or a flattened table."""
    lines = [re.sub(r"\s+", " ", line).strip(" \u3000\xa0") for line in (text or "").splitlines()]
    lines = _body([line for line in lines if line])
    return _Outline().read(lines)


def _body(lines: list[str]) -> list[str]:
    """The plan itself: from its first heading (or the table's header row) to the page footer."""
    start = next((i for i, line in enumerate(lines) if SECTION_L1.match(line)), None)
    header = next((i for i, line in enumerate(lines) if line in ("备注", "牵头单位")), None)
    if header is not None and (start is None or header < start):
        start = header + 1
    body = lines[start or 0:]
    end = next((i for i, line in enumerate(body) if STOP.match(line)), len(body))
    return [line for line in body[:end] if line not in HEADER_WORDS]


class _Outline:
    """Walk the lines once, keeping the current section path and the tasks waiting for units."""

    def __init__(self):
        self.rows, self.path, self.pending, self.inherited = [], [], [], None
        self.headings, self.level_one = [], set()

    def read(self, lines) -> list[dict]:
        for line in lines:
            self.line(line)
        self.flush_headings()
        self.pending_units_check()
        for row in self.rows:
            row.pop("from_table_units", None)
        return self.rows

    def line(self, line):
        if SECTION_L1.match(line):
            return self.section(SECTION_L1.sub("", line).rstrip("。"))
        if SECTION_L2.match(line):
            return self.subsection(SECTION_L2.sub("", line))
        first, _sep, rest = line.partition("。")
        if UNIT_LINE.match(first) and len(first) < 90:
            self.units_for_pending(first, clause=True, note=rest.strip())
            return None
        if units.looks_like_unit(line) or units.looks_like_clause(line):
            return self.units_for_pending(line, clause=False)
        if not SENTENCE_END.search(line) and len(line) <= 30 and not NUMBERED.match(line):
            self.headings.append(line)  # a heading of an unnumbered (table) plan
            return None
        self.flush_headings()
        return self.task(NUMBERED.sub("", line))

    def section(self, title):
        self.pending_units_check()
        self.inherited = None
        self.path = [title]

    def subsection(self, text):
        self.flush_headings()
        title, _sep, rest = text.partition("。")
        self.pending_units_check()
        self.path = self.path[:1] + [title.strip()]
        rest = rest.strip()
        if rest:
            self.task(rest)

    def flush_headings(self):
        if not self.headings:
            return
        merged, previous = [], ""
        for line in self.headings:  # a cell's title broken over lines: "推进政府" "会议公开"
            if merged and len(line) <= 6 and len(previous) <= 6:
                merged[-1] += line
            else:
                merged.append(line)
            previous = line
        self.headings = []
        if len(merged) >= 2 or merged[0] in self.level_one:
            self.level_one.add(merged[0])
            if self.path[:1] != merged[:1]:
                self.inherited = None
            self.pending_units_check()
            self.path = merged[:2]
        else:
            self.pending_units_check()
            if self.path[1:2] != merged:
                self.inherited = None
            self.path = self.path[:1] + merged

    def task(self, text):
        lead, assist, deadline = [], [], units.deadline_in(text)
        problems = []
        clause = TRAILING_CLAUSE.search(text) or LEADING_CLAUSE.match(text)
        if clause:
            lead, assist = units.parse_clause(clause.group(1))
            deadline = units.deadline_in(clause.group(1)) or deadline
            text = (text[:clause.start()] + text[clause.end():]).strip("，, ") if TRAILING_CLAUSE.search(text) \
                else text[clause.end():].strip()
        elif self.inherited:  # a merged table cell: the units above cover this row too
            lead, assist = self.inherited
            problems.append("units_inferred")
        row = _row(self.path, text, lead, assist, deadline, problems=problems)
        self.rows.append(row)
        if not clause and not self.inherited:
            self.pending.append(row)

    def units_for_pending(self, line, clause, note=""):
        lead, assist = units.parse_clause(line) if clause or units.LEAD_MARK.search(line) else \
            (units.split_mentions(line), [])
        deadline = units.deadline_in(line)
        targets = self.pending or ([self.rows[-1]] if self.rows and "units_inferred" in self.rows[-1]["problems"]
                                   else [])
        if not targets and self.rows and not clause and self.rows[-1].get("from_table_units"):
            targets = [self.rows[-1]]  # a second line of units for the same row
        for row in targets:
            if "units_inferred" in row["problems"]:
                row["problems"].remove("units_inferred")
                row["lead_mentions"], row["assist_mentions"] = [], []
            row["lead_mentions"] += [m for m in lead if m not in row["lead_mentions"]]
            row["assist_mentions"] += [m for m in assist if m not in row["assist_mentions"]]
            row["deadline"] = deadline or row["deadline"]
            row["from_table_units"] = not clause
            row["note"] = note or row["note"]
        self.pending = []
        if targets and not clause:
            self.inherited = (targets[-1]["lead_mentions"], targets[-1]["assist_mentions"])

    def pending_units_check(self):
        for row in self.pending:
            if not row["lead_mentions"]:
                row["problems"].append("units_not_found")
        self.pending = []


# ---- tables (.docx, .xlsx) ----------------------------------------------------------------

COLUMNS = (("task", ("工作任务", "任务", "要求", "内容")), ("lead", ("牵头",)), ("assist", ("配合", "协助", "协办")),
           ("deadline", ("时限", "时间", "期限")), ("note", ("备注",)), ("lead", ("责任单位",)),
           ("number", ("序号",)), ("status", ("状态", "进展")))


def from_table(table: list[list[str]]) -> list[dict]:
    """Rows from a table whose header names its columns; columns before the task are sections."""
    header_at = next((i for i, cells in enumerate(table) if _is_header(cells)), None)
    if header_at is None:
        raise Invalid("表格中找不到“工作任务”列 (no task column in the table)", fields={"file": ["no task column"]})
    cols = _columns(table[header_at])
    section_cols = [i for i in range(cols["task"]) if i not in cols.values()]
    rows, heading = [], []
    for cells in table[header_at + 1:]:
        cells = [str(c or "").strip() for c in cells] + [""] * len(table[header_at])
        filled = [c for c in cells if c]
        if not filled:
            continue
        if _is_heading_row(cells, filled, cols["task"]):
            heading = _heading_path(heading, filled[0])
            continue
        path = [cells[i] for i in section_cols if cells[i]] or heading
        deadline = cells[cols["deadline"]] if cols.get("deadline") is not None else ""
        lead = units.split_mentions(cells[cols["lead"]]) if cols.get("lead") is not None else []
        assist = units.split_mentions(cells[cols["assist"]]) if cols.get("assist") is not None else []
        rows.append(_row(path, cells[cols["task"]], lead, assist, deadline or units.deadline_in(cells[cols["task"]]),
                         cells[cols["note"]] if cols.get("note") is not None else ""))
    return rows


def _is_heading_row(cells, filled, task_col) -> bool:
    """A section row: one text across merged cells, or alone outside the task column, or numbered."""
    if len(set(filled)) != 1:
        return False
    return len(filled) > 1 or not cells[task_col] or bool(SECTION_L1.match(filled[0]) or SECTION_L2.match(filled[0]))


def _is_header(cells) -> bool:
    return {"task", "lead"} <= set(_columns(cells))


def _heading_path(path, title):
    if SECTION_L2.match(title):
        return path[:1] + [SECTION_L2.sub("", title)]
    return [SECTION_L1.sub("", title)]


def _columns(cells) -> dict:
    found = {}
    for i, cell in enumerate(cells):
        text = str(cell or "")
        for key, words in COLUMNS:
            if key not in found and any(w in text for w in words) and i not in found.values():
                found[key] = i
                break
    return found


def from_docx(data: bytes) -> list[dict]:
    try:
        doc = Docx(io.BytesIO(data))
    except Exception as exc:  # not a Word file, or a broken one
        raise Invalid("无法读取该 .docx 文件 (cannot read the .docx file)", fields={"file": [str(exc)[:200]]}) from exc
    for table in doc.tables:
        cells = [[cell.text for cell in row.cells] for row in table.rows]
        if any(_is_header(row) for row in cells[:3]):
            return from_table(cells)
    return from_text("\n".join(p.text for p in doc.paragraphs))


def from_xlsx(data: bytes) -> list[dict]:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        raise Invalid("无法读取该 .xlsx 文件 (cannot read the .xlsx file)", fields={"file": [str(exc)[:200]]}) from exc
    sheet = book.worksheets[0]
    table = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True, max_row=5000)]
    return from_table(table)


def read_file(filename: str, data: bytes) -> list[dict]:
    """Rows from an uploaded file, by its extension."""
    name = (filename or "").lower()
    if name.endswith(".docx"):
        return from_docx(data)
    if name.endswith(".xlsx"):
        return from_xlsx(data)
    if name.endswith(".txt"):
        try:
            return from_text(data.decode("utf-8"))
        except UnicodeDecodeError as exc:
            raise Invalid("文本文件应为 UTF-8 编码 (text must be UTF-8)", fields={"file": ["not UTF-8"]}) from exc
    raise Invalid("请上传 .docx、.xlsx 或 .txt 文件 (upload a .docx, .xlsx or .txt file)",
                  fields={"file": ["unsupported type"]})
