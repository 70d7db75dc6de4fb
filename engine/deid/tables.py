"""Find text tables (pipe-, tab- or space-aligned rows) and the cells under a given header.

Household tables in 征地补偿公告 and 低保公示 carry names and addresses in a column whose header
(户主姓名, 家庭住址 …) says what it holds even when the name has a rare surname.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

_SEPARATORS = (re.compile(r"[|｜]"), re.compile(r"\t"), re.compile(r"[ \u3000]{2,}"))


@dataclass
class Cell:
    text: str
    start: int
    end: int


def _split(line: str, offset: int) -> list[Cell]:
    for sep in _SEPARATORS:
        if sep.search(line.strip()):
            break
    else:
        return []
    cells, pos = [], 0
    for piece in sep.split(line):
        stripped = piece.strip()
        lead = len(piece) - len(piece.lstrip())
        cells.append(Cell(stripped, offset + pos + lead, offset + pos + lead + len(stripped)))
        pos += len(piece) + 1
    # Space separators vary in width; recompute positions by searching the line.
    if sep.pattern.startswith("[ "):
        cells = [c for c in _locate(line, offset) if c.text]
    return cells


def _locate(line: str, offset: int) -> list[Cell]:
    return [Cell(m.group(), offset + m.start(), offset + m.end()) for m in re.finditer(r"\S+(?: \S+)*", line)]


def iter_tables(text: str) -> tuple[list[list[Cell]], ...]:
    """Return blocks of consecutive table rows; each row is a list of cells, the first is the header."""
    # Names and addresses both read the tables of the same text: parse once.
    return _tables(text) if _SEPARATORS[0].search(text) or "\t" in text or "  " in text else ()


@lru_cache(maxsize=4)
def _tables(text: str) -> tuple[list[list[Cell]], ...]:
    return tuple(_iter_tables(text))


def _iter_tables(text: str) -> Iterator[list[list[Cell]]]:
    block: list[list[Cell]] = []
    offset = 0
    for line in text.split("\n"):
        cells = _split(line, offset)
        if len([c for c in cells if c.text]) >= 3:
            block.append(cells)
        elif block:
            yield block
            block = []
        offset += len(line) + 1
    if block:
        yield block


def column_cells(text: str, header: re.Pattern) -> Iterator[Cell]:
    """Yield the non-empty data cells of every table column whose header matches `header`."""
    for block in iter_tables(text):
        columns = [i for i, cell in enumerate(block[0]) if header.fullmatch(cell.text)]
        for row in block[1:]:
            for i in columns:
                if i < len(row) and row[i].text:
                    yield row[i]
