"""Build corpus/seed.docx from corpus/seed.txt the way an office writes such a report in Word.

Body text becomes paragraphs with the numbering typed into the text (一、 (一) 1、), the top headings in
Word's Heading 1 style, East Asian fonts set as offices set them, and a real _GoBack bookmark where the
text version shows "[bookmark: _GoBack]". The indicator lines of each category become a 绩效自评表 table
(一级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分) whose 一级指标 cell is merged down its rows;
the explanations stay as paragraphs after the table. The cell texts are the same words and numbers as the
prose, so both renditions carry the same quantities.

Usage: python scripts/make_seed_docx.py [corpus/seed.txt] [corpus/seed.docx]
"""

from __future__ import annotations

import sys

import docx
import regex
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

INDICATOR_LINE = regex.compile(
    r"^(?P<name>.+?)，年度指标值：(?P<target>.+?)，实际完成值：(?P<actual>.+?)，分值(?P<weight>\d+分)，得分(?P<score>\d+分)。$"
)
CATEGORY_LINE = regex.compile(r"^\(([一二三四五六七八九十]+)\)(?P<name>.+?)\(分值")
TOP_HEADING = regex.compile(r"^[一二三四五六七八九十]+、")
COLUMNS = ["一级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"]


def set_fonts(document: docx.Document) -> None:
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(14)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "仿宋_GB2312")
    heading = document.styles["Heading 1"]
    heading.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "黑体")


def add_paragraph(document: docx.Document, line: str) -> None:
    if "[bookmark: _GoBack]" in line:
        paragraph = document.add_paragraph()
        start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
        start.set(qn("w:id"), "0")
        start.set(qn("w:name"), "_GoBack")
        end.set(qn("w:id"), "0")
        paragraph._p.append(start)
        paragraph._p.append(end)
        paragraph.add_run(line.replace("[bookmark: _GoBack]", ""))
    elif TOP_HEADING.match(line):
        document.add_paragraph(line, style="Heading 1")
    else:
        document.add_paragraph(line)


def add_indicator_table(document: docx.Document, category: str, rows: list[regex.Match]) -> None:
    table = document.add_table(rows=1 + len(rows), cols=len(COLUMNS))
    table.style = "Table Grid"
    for cell, title in zip(table.rows[0].cells, COLUMNS):
        cell.text = title
    for r, m in enumerate(rows, 1):
        cells = table.rows[r].cells
        for c, key in enumerate(["name", "target", "actual", "weight", "score"], 1):
            cells[c].text = m.group(key)
    category_cell = table.cell(1, 0).merge(table.cell(len(rows), 0))
    category_cell.text = category


def build(lines: list[str]) -> docx.Document:
    document = docx.Document()
    set_fonts(document)
    category = None
    pending_rows: list[regex.Match] = []
    pending_text: list[str] = []

    def flush() -> None:
        if pending_rows:
            add_indicator_table(document, category, pending_rows)
        for text in pending_text:
            add_paragraph(document, text)
        pending_rows.clear()
        pending_text.clear()

    for raw in lines:
        line = raw.strip()
        heading = CATEGORY_LINE.match(line)
        if heading or TOP_HEADING.match(line):
            flush()
            category = heading.group("name") if heading else None
            add_paragraph(document, line)
            continue
        indicator = INDICATOR_LINE.match(line) if category else None
        if indicator:
            pending_rows.append(indicator)
        elif category and (pending_rows or pending_text):
            if line:
                pending_text.append(line)
        elif line:
            add_paragraph(document, line)
    flush()
    return document


def main(source: str = "corpus/seed.txt", target: str = "corpus/seed.docx") -> None:
    with open(source, encoding="utf-8") as f:
        lines = f.read().split("\n")
    build(lines).save(target)


if __name__ == "__main__":
    main(*sys.argv[1:])
