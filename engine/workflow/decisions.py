"""Read a row of an editable DMN table from Python, as the admin last saved it: for rules the code
applies outside a running diagram (a 公示's minimum period, whether a take-down needs approval).

A table is one input column and named outputs; the first row whose input entry equals the value (or
is empty, matching anything) wins, as the FIRST hit policy the shipped tables use.
"""

from functools import lru_cache
from xml.etree import ElementTree

from sqlalchemy import select

from engine.db import reading
from engine.models import DecisionFile
from engine.workflow.definitions import SHIPPED

NS = {"dmn": "https://www.omg.org/spec/DMN/20191111/MODEL/"}


def table_xml(file: str, session=None) -> str:
    """The table as saved (inside a transaction saving it: that session's), else the shipped file."""
    query = select(DecisionFile.xml).where(DecisionFile.name == file)
    if session is not None:
        xml = session.scalar(query)
    else:
        with reading() as s:
            xml = s.scalar(query)
    return xml or (SHIPPED / file).read_text(encoding="utf-8")


@lru_cache(maxsize=16)
def rows(xml: str) -> tuple:
    """((input entry, {output name: text}), …), parsed once per version of a table."""
    table = ElementTree.fromstring(xml).find(".//dmn:decisionTable", NS)
    names = [o.get("name") for o in table.findall("dmn:output", NS)]
    out = []
    for rule in table.findall("dmn:rule", NS):
        entry = (rule.find("dmn:inputEntry/dmn:text", NS).text or "").strip()
        values = [(o.find("dmn:text", NS).text or "").strip().strip('"') for o in rule.findall("dmn:outputEntry", NS)]
        out.append((entry, dict(zip(names, values, strict=False))))
    return tuple(out)


def first_row(file: str, value: str, session=None) -> dict | None:
    """The outputs of the first row matching `value` (an empty entry matches anything); None if none does."""
    for entry, outputs in rows(table_xml(file, session)):
        if entry in ("", "-") or entry.strip('"') == value:
            return dict(outputs)
    return None
