"""Letters laid out in the house style of GB/T 9704-2012 (党政机关公文格式), per agency.

A letter's text (agency, title, number, recipient, paragraphs, signature, date — see
`requests.letters`) becomes a Word file a clerk prints and seals without retyping: A4 with the
standard's margins (上 37 mm, 下 35 mm, 左 28 mm, 右 26 mm: a 156×225 mm 版心 of 22 lines of 28
characters), 3号仿宋_GB2312 text and a 2号小标宋 title (each with the fonts Word falls back to where
they are not installed), the agency's 发文字号, 成文日期 flush right four characters in, and page
numbers "— 1 —" in 4号宋体 outside on odd and even pages. What varies between agencies — the 发文机关代字 of
the number and whether 成文日期 is written in Chinese numerals (GB/T 9704-1999 and some local
practice) or Arabic ones (GB/T 9704-2012, 7.3.5.1) — is a setting per agency (`letter_style`).
"""

import io
import re

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from lxml import etree

from engine.errors import Invalid

BODY_FONT, TITLE_FONT, NUMBER_FONT, LATIN_FONT = "仿宋_GB2312", "方正小标宋简体", "宋体", "Times New Roman"
# Word substitutes these where the official fonts are not installed (Windows and WPS ship them).
FALLBACKS = {BODY_FONT: "仿宋", TITLE_FONT: "华文中宋", NUMBER_FONT: "SimSun"}
BODY_PT, TITLE_PT, PAGE_NUMBER_PT = 16, 22, 14          # 3号, 2号, 4号
LINES, CHARS = 22, 28
TEXT_WIDTH_MM, TEXT_HEIGHT_MM = 156, 225
LINE_PITCH_PT = TEXT_HEIGHT_MM / 25.4 * 72 / LINES      # 28.99 pt: 22 lines fill the 版心
CHAR_PITCH_PT = TEXT_WIDTH_MM / 25.4 * 72 / CHARS       # 15.79 pt: 28 characters fill a line
RED = RGBColor(0xE6, 0x00, 0x12)
DEFAULTS = {"number_prefix": "", "date_numerals": "arabic"}
DATE_NUMERALS = {"arabic": "阿拉伯数字（GB/T 9704-2012）", "chinese": "汉字数字（如二〇二六年十二月七日）"}
_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
_DIGITS = "〇一二三四五六七八九"


def check(value) -> dict:
    """One agency's style as the settings page sends it: refused with the field named when bad."""
    if not isinstance(value, dict):
        raise Invalid("公文格式设置必须是对象", fields={"letter_style": ["not an object"]})
    prefix = str(value.get("number_prefix") or "").strip()
    if len(prefix) > 30 or re.search(r"[〔〕\[\]{}<>]", prefix):
        raise Invalid("发文机关代字最多30字，不含括号（如：示县政公开）", fields={"number_prefix": ["invalid"]})
    numerals = value.get("date_numerals") or "arabic"
    if numerals not in DATE_NUMERALS:
        raise Invalid("成文日期写法应为 arabic 或 chinese", fields={"date_numerals": ["one of arabic, chinese"]})
    return {"number_prefix": prefix, "date_numerals": numerals}


def style_of(all_styles: dict, agency_key: str) -> dict:
    return {**DEFAULTS, **((all_styles or {}).get(agency_key) or {})}


def document_number(style: dict, year: int, seq: int) -> str | None:
    """发文字号: 发文机关代字〔年份〕序号号 (GB/T 9704-2012, 7.2.4); None without a 代字."""
    prefix = style.get("number_prefix")
    return f"{prefix}〔{year}〕{seq}号" if prefix else None


def chinese_date(text: str) -> str:
    """"2026年12月7日" → "二〇二六年十二月七日"; any other text unchanged."""
    found = _DATE.match(text.strip())
    if not found:
        return text
    year, month, day = found.groups()
    return f"{''.join(_DIGITS[int(d)] for d in year)}年{_number(int(month))}月{_number(int(day))}日"


def _number(n: int) -> str:
    tens, ones = divmod(n, 10)
    return ("" if tens < 2 else _DIGITS[tens]) + ("十" if tens else "") + (_DIGITS[ones] if ones or not tens else "")


def render(text: str, style: dict | None = None, number: str | None = None, attachment: str | None = None) -> bytes:
    """Lay a letter's text out as a GB/T 9704 Word file. `number` replaces the letter's reference
    line as its 发文字号; `attachment` names the attachment under the text (附件说明)."""
    style = {**DEFAULTS, **(style or {})}
    doc = Document()
    _page(doc)
    _fonts(doc)
    lines = text.split("\n")
    closing = max((i for i, line in enumerate(lines) if not line.strip()), default=len(lines))
    for i, line in enumerate(lines):
        if i == 0:  # 版头: the agency in red, the 发文字号, the red line; then the title
            _line(doc, line, TITLE_FONT, TITLE_PT, WD_ALIGN_PARAGRAPH.CENTER, color=RED)
            _line(doc, number or (lines[2].strip() if len(lines) > 2 else ""), BODY_FONT, BODY_PT,
                  WD_ALIGN_PARAGRAPH.CENTER)
            _red_rule(doc)
        elif i == 1:
            _line(doc, line, TITLE_FONT, TITLE_PT, WD_ALIGN_PARAGRAPH.CENTER)
        elif i == 2:
            continue
        elif i == closing and attachment:
            _line(doc, "", BODY_FONT, BODY_PT)
            _line(doc, f"附件：{attachment}", BODY_FONT, BODY_PT, indent_chars=2)
        elif i > closing:
            last = i == len(lines) - 1
            shown = chinese_date(line) if last and style["date_numerals"] == "chinese" else line.strip()
            _line(doc, shown, BODY_FONT, BODY_PT, WD_ALIGN_PARAGRAPH.RIGHT, right_chars=4 if last else 2)
        else:
            _line(doc, line.strip(), BODY_FONT, BODY_PT, indent_chars=2 if line.startswith("    ") else 0)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def render_attachment(title: str, text: str) -> bytes:
    """The attachment delivered with a letter (the information provided), in the same house style."""
    doc = Document()
    _page(doc)
    _fonts(doc)
    _line(doc, "附件", "黑体", BODY_PT)
    _line(doc, title, TITLE_FONT, TITLE_PT, WD_ALIGN_PARAGRAPH.CENTER)
    _line(doc, "", BODY_FONT, BODY_PT)
    for paragraph in text.splitlines():
        _line(doc, paragraph.strip(), BODY_FONT, BODY_PT, indent_chars=2)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _page(doc) -> None:
    """A4, the standard's margins, a 22×28 grid; page numbers outside, odd right and even left."""
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(28)  # the number's line sits 7 mm under the 版心 (7.5)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(round(LINE_PITCH_PT * 20)))
    grid.set(qn("w:charSpace"), str(round((CHAR_PITCH_PT - BODY_PT) * 4096)))
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)


def _page_number(footer, alignment) -> None:
    para = footer.paragraphs[0]
    para.alignment = alignment
    para.paragraph_format.left_indent = para.paragraph_format.right_indent = Pt(PAGE_NUMBER_PT)  # 空一字
    _run(para, "— ", NUMBER_FONT, PAGE_NUMBER_PT)
    run = _run(para, "", NUMBER_FONT, PAGE_NUMBER_PT)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            field = OxmlElement("w:fldChar")
            field.set(qn("w:fldCharType"), kind)
        else:
            field = OxmlElement("w:instrText")
            field.set(qn("xml:space"), "preserve")
            field.text = text
        run._r.append(field)
    _run(para, " —", NUMBER_FONT, PAGE_NUMBER_PT)


def _fonts(doc) -> None:
    """The body style in 3号仿宋 on the grid; the font table names each font's fallback (w:altName)."""
    normal = doc.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    normal.font.name = LATIN_FONT
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), BODY_FONT)
    fmt = normal.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(LINE_PITCH_PT)
    part = next((r.target_part for r in doc.part.rels.values() if r.reltype.endswith("/fontTable")), None)
    if part is None:
        return
    table = etree.fromstring(part.blob)
    for name, alternative in FALLBACKS.items():
        entry = etree.SubElement(table, qn("w:font"), {qn("w:name"): name})
        etree.SubElement(entry, qn("w:altName"), {qn("w:val"): alternative})
        etree.SubElement(entry, qn("w:charset"), {qn("w:val"): "86"})  # GB2312
    part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)


def _line(doc, text, font, size, alignment=None, color=None, indent_chars=0, right_chars=0):
    para = doc.add_paragraph()
    if alignment is not None:
        para.alignment = alignment
    if indent_chars:
        para.paragraph_format.first_line_indent = Pt(size * indent_chars)
    if right_chars:
        para.paragraph_format.right_indent = Pt(size * right_chars)
    if size != BODY_PT:  # a title line is taller than the grid's line
        para.paragraph_format.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
        para.paragraph_format.line_spacing = Pt(size * 1.5)
    run = _run(para, text, font, size)
    if color is not None:
        run.font.color.rgb = color
    return para


def _run(para, text, font, size):
    run = para.add_run(text)
    run.font.size = Pt(size)
    run.font.name = LATIN_FONT if font == BODY_FONT else font
    rpr = run._r.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), font)
    return run


def _red_rule(doc) -> None:
    """The red line under the 版头 (7.2.6), as the bottom border of an empty paragraph."""
    para = doc.add_paragraph()
    para.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    para.paragraph_format.line_spacing = Pt(6)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "8"), ("w:space", "1"), ("w:color", "E60012")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    para._p.get_or_add_pPr().append(borders)
