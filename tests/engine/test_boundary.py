"""The arrows point one way: no module under engine/ imports web, workers or Flask.

Checked on the syntax tree of every module, so an import inside a function counts too.
"""

import ast
from pathlib import Path

import engine

FORBIDDEN = ("web", "workers", "flask", "flask_wtf", "flask_babel", "werkzeug")
ENGINE_DIR = Path(engine.__file__).parent


def _imported_modules(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in (
                "import_module", "__import__") and node.args and isinstance(node.args[0], ast.Constant):
            found.append((node.lineno, str(node.args[0].value)))
    return found


def test_engine_never_imports_web_workers_or_flask():
    modules = sorted(ENGINE_DIR.rglob("*.py"))
    assert len(modules) > 20
    offending = [f"{path.relative_to(ENGINE_DIR.parent)}:{line} imports {name}"
                 for path in modules for line, name in _imported_modules(path)
                 if name.split(".")[0] in FORBIDDEN]
    assert offending == []


def test_the_checker_would_notice(tmp_path):
    path = tmp_path / "probe.py"
    path.write_text("def f():\n    from web import auth\n    import flask\n"
                    "    importlib.import_module('workers.jobs')\n", encoding="utf-8")
    assert [name for _line, name in _imported_modules(path)] == ["web", "flask", "workers.jobs"]


# Reading the time anywhere but engine/clock.py: a date the tests cannot move.
_CLOCK_READS = {("datetime", "now"), ("datetime", "utcnow"), ("date", "today"), ("datetime", "today"),
                ("time", "time"), ("time", "time_ns")}


def _clock_reads(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [f"{path.name}:{node.lineno} {node.func.value.id if isinstance(node.func.value, ast.Name) else '…'}."
            f"{node.func.attr}()" for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and (getattr(node.func.value, "id", None) or getattr(node.func.value, "attr", None), node.func.attr)
            in _CLOCK_READS]


def test_only_the_clock_module_reads_the_time():
    root = ENGINE_DIR.parent
    modules = [p for d in ("engine", "web", "workers") for p in sorted((root / d).rglob("*.py"))
               if p != ENGINE_DIR / "clock.py"]
    assert len(modules) > 50
    assert [hit for path in modules for hit in _clock_reads(path)] == []


def test_the_clock_checker_would_notice(tmp_path):
    path = tmp_path / "probe.py"
    path.write_text("import datetime, time\nfrom datetime import date\n"
                    "a = datetime.datetime.now()\nb = date.today()\nc = time.time()\n", encoding="utf-8")
    assert len(_clock_reads(path)) == 3


def test_the_suite_runs_at_its_moved_date_not_the_real_one():
    from engine import clock
    from tests.support.clock import suite_today

    assert clock.today() == suite_today()  # GONGKAI_TEST_TODAY, or the suite's fixed default day
