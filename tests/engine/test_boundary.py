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
