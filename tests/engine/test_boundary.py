"""The arrows point one way: no module under engine/ imports web, workers or Flask.

Checked on the syntax tree of every module, so an import inside a function counts too.
"""

import ast
import re
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


def _product_files(suffixes=(".py",), skip=()) -> list[Path]:
    """Every file of engine, web and workers whose name ends in one of `suffixes`, except `skip`."""
    root = ENGINE_DIR.parent
    return [p for d in ("engine", "web", "workers") for p in sorted((root / d).rglob("*"))
            if p.suffix in suffixes and p not in skip]


def test_only_the_clock_module_reads_the_time():
    modules = _product_files(skip={ENGINE_DIR / "clock.py"})
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


# No circles: the engine's packages (and its top-level modules, each a unit of its own) import one
# another one way only. Imports inside functions count: they hid most of the circles this replaced.
def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _engine_imports(root: Path) -> list[tuple[str, str, int, bool]]:
    """(importer, imported, line, inside a function) for every import of an engine module under `root`."""
    paths = {_module_name(p, root): p for p in sorted(root.rglob("*.py")) if "migrations" not in p.parts}
    found = []
    for importer, path in paths.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node, in_function in _walk(tree, False):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    package = importer.split(".") if path.name == "__init__.py" else importer.split(".")[:-1]
                    base = ".".join(package[:len(package) - node.level + 1] + ([node.module] if node.module else []))
                submodules = [f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in paths]
                targets = submodules + ([base] if len(submodules) < len(node.names) else [])
            else:
                continue
            found.extend((importer, target, node.lineno, in_function) for target in targets
                         if target.split(".")[0] == "engine")
    return found


def _walk(node, in_function):
    for child in ast.iter_child_nodes(node):
        yield child, in_function
        yield from _walk(child, in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda))


def _package(module: str) -> str:
    return ".".join(module.split(".")[:2])  # engine.requests.intake -> engine.requests; engine.access stays


def _cycles(edges: dict[tuple[str, str], str]) -> list[list[str]]:
    """The strongly connected components with more than one node (Tarjan), each with the imports inside it."""
    graph: dict[str, set[str]] = {}
    for a, b in edges:
        graph.setdefault(a, set()).add(b)
        graph.setdefault(b, set())
    index, low, stack, on_stack, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(f"{a} -> {b} ({where})" for (a, b), where in edges.items()
                                  if a in component and b in component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def _package_cycles(root: Path) -> list[list[str]]:
    edges = {}
    for importer, target, line, _inside in _engine_imports(root):
        a, b = _package(importer), _package(target)
        if a != b and b != "engine" and a != "engine":
            edges.setdefault((a, b), f"{importer}:{line}")
    return _cycles(edges)


def _import_time_cycles(root: Path) -> list[list[str]]:
    """Module by module, through the imports that run when a module is loaded (not inside functions)."""
    edges = {}
    for importer, target, line, inside in _engine_imports(root):
        if not inside and importer != target and not importer.startswith(target + "."):
            edges.setdefault((importer, target), f"line {line}")
    return _cycles(edges)


def test_no_import_cycle_between_engine_packages():
    assert _package_cycles(ENGINE_DIR) == []


def test_no_import_cycle_between_engine_modules_at_import_time():
    assert _import_time_cycles(ENGINE_DIR) == []


def test_the_cycle_checker_would_notice(tmp_path):
    root = tmp_path / "engine"
    for name, text in {"__init__.py": "", "agencies.py": "from engine.requests import settings\n",
                       "requests/__init__.py": "", "requests/settings.py": "",
                       "requests/intake.py": "def f():\n    from engine import agencies\n",
                       "disclosure/__init__.py": "", "disclosure/documents.py": "from engine.disclosure import redaction\n",
                       "disclosure/redaction.py": "from engine.disclosure import documents\n"}.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    assert [len(c) for c in _package_cycles(root)] == [2]  # agencies -> requests -> agencies, via a function
    assert len(_import_time_cycles(root)) == 1  # documents <-> redaction


# An import inside a function hides a dependency from whoever reads the module's head: each one says why.
def _unexplained_function_imports(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    tree = ast.parse("\n".join(lines), filename=str(path))
    return [f"{path.name}:{node.lineno}" for node, inside in _walk(tree, False)
            if inside and isinstance(node, ast.Import | ast.ImportFrom)
            and "#" not in lines[node.lineno - 1] and not lines[node.lineno - 2].strip().startswith("#")]


def test_imports_inside_functions_say_why():
    modules = [p for p in sorted(ENGINE_DIR.rglob("*.py")) if "migrations" not in p.parts]
    assert [hit for path in modules for hit in _unexplained_function_imports(path)] == []


def test_the_function_import_checker_would_notice(tmp_path):
    path = tmp_path / "probe.py"
    path.write_text("def f():\n    import json\n\n\ndef g():\n    # heavy: on first use\n    import csv\n\n\n"
                    "def h():\n    import zlib  # heavy\n", encoding="utf-8")
    assert [hit.rsplit(":", 1)[1] for hit in _unexplained_function_imports(path)] == ["2"]


# Who may see or do what is decided in engine/access.py only: a role test anywhere else (engine, web,
# workers, templates) is a rule that the next change will miss. The User model defines the tests.
_ROLE_CHECK = re.compile(r"\.has_role\(|(?<!access)\.is_admin\b|role_keys\s*[&|]|[&|]\s*[\w.]+\.role_keys"
                         r"|\bin\s+[\w.]+\.role_keys")


def _role_checks(path: Path) -> list[str]:
    return [f"{path.name}:{number}: {line.strip()}"
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if _ROLE_CHECK.search(line)]


def test_role_checks_live_in_access_only():
    paths = _product_files((".py", ".html"), skip={ENGINE_DIR / "access.py", ENGINE_DIR / "models" / "users.py"})
    assert len(paths) > 100
    assert [hit for path in paths for hit in _role_checks(path)] == []


def test_the_role_check_grep_would_notice(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("\n".join(("a = actor.has_role('publisher') or actor.is_admin", "b = actor.role_keys & READERS",
                                "c = access.is_admin(actor)", "d = sorted(user.role_keys)")), encoding="utf-8")
    assert [hit.split(":")[1] for hit in _role_checks(probe)] == ["1", "2"]
