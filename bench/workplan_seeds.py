"""Import the three plan seeds against their department lists: rows found, rows needing correction.

Run: .venv/bin/python bench/workplan_seeds.py   (pure parsing: no database needed)
"""

import json
import time
from collections import Counter
from pathlib import Path

from engine.workplan import parse, units

SEEDS = Path(__file__).resolve().parents[1] / "tests" / "workplan" / "seeds"


def main() -> None:
    departments = json.loads((SEEDS / "departments.json").read_text(encoding="utf-8"))
    for name, names in departments.items():
        started = time.perf_counter()
        rows = parse.from_text((SEEDS / name).read_text(encoding="utf-8"))
        result = parse.preview(rows, units.Directory(names))
        took = (time.perf_counter() - started) * 1000
        flagged = [r for r in result["rows"] if r["problems"]]
        problems = Counter(p for r in result["rows"] for p in r["problems"])
        with_lead = sum(1 for r in result["rows"] if r["lead_units"])
        print(f"{name}: {len(result['rows'])} rows, {with_lead} with lead units, {len(flagged)} need correction "
              f"{dict(problems)}; unknown units {result['unknown_units']}; {took:.0f} ms")


if __name__ == "__main__":
    main()
