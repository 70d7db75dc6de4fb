"""One serializer (issue 26): every API handler answers through `respond(Schema, obj)` with the schema
its OpenAPI docstring declares, and the engine hands over days and moments, not text it formatted.

Checked on the syntax tree, so a new handler that jsonify()s a dict, or an answer whose schema is not
the one the document names, fails here before any request is made.
"""

import ast
from pathlib import Path

from apispec.yaml_utils import load_operations_from_docstring

import engine
import web

API_DIR = Path(web.__file__).parent / "api"
ENGINE_DIR = Path(engine.__file__).parent
# Answers that are not a resource: the OpenAPI document itself, and respond() (the one dump).
JSONIFY_ALLOWED = {("openapi.py", "openapi"), ("schemas.py", "respond")}
# What a handler may return besides respond(...): files and downloads, never JSON.
NON_JSON = {"send_file", "Response", "redirect"}


def _functions(path: Path) -> dict[str, ast.FunctionDef]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}


def _is_route(fn: ast.FunctionDef) -> bool:
    return any(isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute) and isinstance(d.func.value, ast.Name)
               and d.func.value.id == "bp" for d in fn.decorator_list)


def _name(call: ast.Call) -> str:
    return call.func.id if isinstance(call.func, ast.Name) else getattr(call.func, "attr", "")


def _declared(fn: ast.FunctionDef) -> dict[int, set[str]]:
    """status -> the JSON schemas the view's docstring names for it (any of its methods)."""
    out: dict[int, set[str]] = {}
    for op in (load_operations_from_docstring(ast.get_docstring(fn) or "") or {}).values():
        for status, response in (op.get("responses") or {}).items():
            schema = (response or {}).get("content", {}).get("application/json", {}).get("schema") \
                if isinstance(response, dict) else None
            if isinstance(schema, str):
                out.setdefault(int(status), set()).add(schema)
    return out


def _statuses(call: ast.Call) -> list:
    """The statuses respond(Schema, obj, status) may answer with: 200, a number, or `a if … else b`."""
    if len(call.args) < 3:
        return [200]
    status = call.args[2]
    branches = [status.body, status.orelse] if isinstance(status, ast.IfExp) else [status]
    return [b.value if isinstance(b, ast.Constant) else ast.unparse(b) for b in branches]


def _answer_problems(path: Path, fn: ast.FunctionDef, functions: dict, declared=None, seen=()) -> list[str]:
    """What is wrong with how `fn` answers: each return is respond(Schema, ...) with a declared schema,
    a file, or a helper of the module that answers so itself."""
    declared = _declared(fn) if declared is None else declared
    where = f"{path.name}:{fn.name}"
    problems = []
    for node in ast.walk(fn):
        if isinstance(node, ast.Call) and _name(node) in ("jsonify", "dump"):
            problems.append(f"{where}:{node.lineno} builds its answer with {_name(node)}()")
        if not isinstance(node, ast.Return) or node.value is None:
            continue
        value = node.value
        if isinstance(value, ast.Name):  # `response = send_file(...)`, headers set, then returned
            value = next((a.value for a in ast.walk(fn) if isinstance(a, ast.Assign) and isinstance(a.value, ast.Call)
                          and any(isinstance(t, ast.Name) and t.id == value.id for t in a.targets)), value)
        if not isinstance(value, ast.Call):
            if not declared and isinstance(value, ast.Tuple):  # text such as BPMN XML, declared as such
                continue
            problems.append(f"{where}:{node.lineno} returns something other than respond(...)")
            continue
        name = _name(value)
        if name == "respond":
            schema = value.args[0].id if value.args and isinstance(value.args[0], ast.Name) else None
            for status in _statuses(value):
                if schema not in declared.get(status, set()):
                    problems.append(f"{where}:{node.lineno} answers {status} with {schema}, the document declares "
                                    f"{sorted(declared.get(status, set())) or 'nothing'}")
        elif name in functions and name not in seen:  # a helper such as reports._render
            problems += _answer_problems(path, functions[name], functions, declared, (*seen, fn.name))
        elif name not in NON_JSON:
            problems.append(f"{where}:{node.lineno} returns {name}(...), not respond(...)")
    return problems


def handler_problems(paths) -> list[str]:
    problems = []
    for path in paths:
        functions = _functions(path)
        for fn in functions.values():
            if (path.name, fn.name) in JSONIFY_ALLOWED:
                continue
            if _is_route(fn):
                problems += _answer_problems(path, fn, functions)
            elif any(isinstance(n, ast.Call) and _name(n) == "jsonify" for n in ast.walk(fn)):
                problems.append(f"{path.name}:{fn.name} calls jsonify()")
    return problems


def test_every_api_handler_answers_through_its_declared_schema():
    paths = sorted(API_DIR.glob("*.py"))
    assert sum(_is_route(fn) for p in paths for fn in _functions(p).values()) > 80
    assert handler_problems(paths) == []


def test_the_handler_checker_would_notice(tmp_path):
    path = tmp_path / "probe.py"
    path.write_text('''
@bp.get("/a")
def built():
    """A.
    ---
    get:
      responses: {200: {content: {application/json: {schema: ASchema}}}}
    """
    return jsonify({"id": 1})


@bp.get("/b")
def wrong_schema():
    """B.
    ---
    get:
      responses: {201: {content: {application/json: {schema: BSchema}}}}
    """
    return respond(ASchema, thing(), 201)


@bp.get("/c")
def dumped():
    """C."""
    return ASchema().dump(thing())


@bp.get("/d")
def fine():
    """D.
    ---
    get:
      responses: {200: {content: {application/json: {schema: ASchema}}}}
    """
    return respond(ASchema, thing())
''', encoding="utf-8")
    assert {p.split(":")[1] for p in handler_problems([path])} == {"built", "wrong_schema", "dumped"}


# ---- the engine hands over dates; formatting them is the schema's job -------------------------------

# `.isoformat()` inside a dict the engine builds is a field formatted by hand. What is left is text the
# engine stores or sends itself (workflow task data, audit and outbox payloads, the published payload,
# exports) or not yet handed to a schema; this count may only go down.
ISOFORMAT_IN_DICTS_LEFT = {
    "admin.py": 1, "audit.py": 1, "disclosure/documents.py": 6, "disclosure/files.py": 1, "disclosure/guide.py": 1,
    "disclosure/historical.py": 1, "disclosure/publication.py": 3, "disclosure/publicity.py": 1,
    "disclosure/published_audit.py": 1, "disclosure/published_audit_runs.py": 3, "disclosure/reviews.py": 1,
    "disclosure/takedown.py": 1, "forms.py": 1, "notifications.py": 1, "queue.py": 1,
    "requests/catalogue_check.py": 1, "requests/conversion.py": 2, "requests/deadlines.py": 2,
    "requests/intake.py": 2, "requests/notices.py": 9, "requests/operations.py": 1, "requests/procedure.py": 7,
    "requests/report.py": 2, "requests/report_publication.py": 3, "requests/steps.py": 2,
    "workflow/definitions.py": 1, "workflow/instances.py": 4, "workflow/progress.py": 2,
    "workflow/service_tasks.py": 2, "workflow/stranded.py": 1, "workflow/tasks.py": 3, "workplan/evidence.py": 1,
    "workplan/operations.py": 2, "workplan/plans.py": 1, "workplan/progress.py": 4, "workplan/rules.py": 1,
}


def _isoformat_in_dicts(path: Path) -> int:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    hits = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            for value in node.values:
                hits |= {id(n) for n in ast.walk(value) if isinstance(n, ast.Call)
                         and isinstance(n.func, ast.Attribute) and n.func.attr == "isoformat"}
    return len(hits)


def _private_formatters(path: Path) -> list[str]:
    """Helpers like `def _iso(v): return v.isoformat() if v else None`: the one of these is clock.iso."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for fn in ast.walk(tree):
        if not (isinstance(fn, ast.FunctionDef) and len(fn.args.args) == 1 and len(fn.body) == 1
                and isinstance(fn.body[0], ast.Return) and fn.body[0].value is not None):
            continue
        value, arg = fn.body[0].value, fn.args.args[0].arg
        if isinstance(value, ast.IfExp):
            value = value.body
        if (isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr == "isoformat"
                and isinstance(value.func.value, ast.Name) and value.func.value.id == arg):
            found.append(f"{path.name}:{fn.lineno} {fn.name}")
    return found


def _engine_modules():
    return [p for p in sorted(ENGINE_DIR.rglob("*.py")) if p != ENGINE_DIR / "clock.py"]


def test_no_private_iso_helpers_in_the_engine():
    assert [hit for path in _engine_modules() for hit in _private_formatters(path)] == []


def test_the_engine_formats_no_new_dates_into_dicts():
    counts = {str(p.relative_to(ENGINE_DIR)): n for p in _engine_modules() if (n := _isoformat_in_dicts(p))}
    grown = {name: (n, ISOFORMAT_IN_DICTS_LEFT.get(name, 0)) for name, n in counts.items()
             if n > ISOFORMAT_IN_DICTS_LEFT.get(name, 0)}
    assert grown == {}, "return the date and let the answer's schema (web.api.schemas.Iso) format it"


def test_the_date_checkers_would_notice(tmp_path):
    path = tmp_path / "probe.py"
    path.write_text("def _iso(v):\n    return v.isoformat() if v else None\n\n\n"
                    "def row(d):\n    return {'on': d.on.isoformat() if d.on else None, 'at': {'x': d.at.isoformat()}}\n",
                    encoding="utf-8")
    assert _isoformat_in_dicts(path) == 2 and len(_private_formatters(path)) == 1
