"""The script sandbox: every known escape is refused at deploy and again at run time; plain data
manipulation still works.

Run time is tested on diagrams parsed without deploy validation, as a diagram stored before a rule
was tightened would be: the check in front of Spiff's eval/exec is the last line of defence.
"""

import pathlib

import pytest
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.exceptions import WorkflowException
from SpiffWorkflow.util.task import TaskState

from engine.errors import Invalid
from engine.workflow import sandbox
from engine.workflow.spiff import HELPER_NAMES, GongkaiParser, script_engine
from tests.support.bpmn import diagram, gateway, script_task, service_task, timer_event, user_task
from tests.support.flows import deploy, deploy_ok, instance, start

ESCAPES = [
    "().__class__.__base__.__subclasses__()",
    "__import__('os').system('id')",
    "getattr(x, '__cl' + 'ass__')",
    "[c for c in ().__class__.__mro__]",
    '"{0.__class__}".format(1)',
    "'{0.real}'.format_map({})",
    "eval('1')",
    "exec('x=1')",
    "open('/etc/passwd')",
    "lambda: 1",
    "import os",
    "from os import path",
    "globals()",
    "locals()",
    "vars()",
    "type(1)",
    "x.__dict__",
    'f"{x.__class__}"',
    'f"{x!r:{().__class__}}"',
    "def f(): pass",
    "class A: pass",
    "(lambda: 0).__globals__",
    "dir()",
    "breakpoint()",
    "compile('1', '', 'eval')",
    "(i for i in [1]).gi_frame",
    "[i for i in [1]].gi_frame",
    "sorted.__self__",
    "working_days.__globals__",
    "__builtins__",
    "x._private",
    "(y := print)",
    "try:\n    pass\nexcept Exception:\n    pass",
    "while True:\n    pass",
    "with x:\n    pass",
    "raise SystemExit()",
    "object()",
    "str.mro()",
]

ALLOWED = """
total = sum([a, b]) * 2 + abs(-1)
doubled = [n * 2 for n in nums if n > 1]
index = {k: v for k, v in zip(["x", "y"], doubled)}
index["count"] = len(doubled)
name = " 张三 ".strip().upper()
deadline = working_days(20)
flag = "a" if total > 5 else "b"
"""


def _refused_by_sandbox(exc) -> bool:
    inner = exc.__cause__ or exc.__context__  # Spiff wraps the sandbox's Invalid
    return isinstance(inner, Invalid) and ("不允许" in inner.message or "语法错误" in inner.message)


@pytest.mark.parametrize("source", ESCAPES)
def test_the_checker_refuses_every_escape(source):
    assert sandbox.problem_in(source, HELPER_NAMES) is not None


def _workflow(xml: str) -> BpmnWorkflow:
    parser = GongkaiParser()
    parser.add_bpmn_str(xml.encode("utf-8"), filename="t.bpmn")
    key = parser.get_process_ids()[0]
    return BpmnWorkflow(parser.get_spec(key), parser.get_subprocess_specs(key), script_engine=script_engine())


@pytest.mark.parametrize("source", ESCAPES)
def test_a_script_task_escape_fails_at_run_time(source, tmp_path):
    workflow = _workflow(diagram("unchecked", [script_task("s", source), user_task("after")]))
    workflow.get_tasks()[0].data["x"] = 1
    with pytest.raises(WorkflowException) as raised:
        workflow.do_engine_steps()
    assert _refused_by_sandbox(raised.value)
    assert not workflow.get_tasks(state=TaskState.READY, manual=True)


@pytest.mark.parametrize("source", ["().__class__.__base__", "__import__('os').getcwd()", "eval('1')"])
def test_expression_escapes_fail_at_run_time(source):
    for steps in ([gateway("g", source), user_task("after")],
                  [timer_event("t", source), user_task("after")],
                  [service_task("svc", params={"p": source}), user_task("after")]):
        workflow = _workflow(diagram("unchecked", steps))
        with pytest.raises(WorkflowException) as raised:
            workflow.do_engine_steps()
            for task in workflow.get_tasks(state=TaskState.STARTED):
                task.task_spec.evaluate_params(task)  # what the outbox projection does
        assert _refused_by_sandbox(raised.value), steps


def test_the_environment_itself_checks_direct_evaluations():
    # Spiff calls environment.evaluate directly for inclusive gateways and loop conditions.
    env = script_engine().environment
    with pytest.raises(Exception, match="不允许"):
        env.evaluate("().__class__", {})
    assert env.evaluate("a + 1", {"a": 1}) == 2


def test_allowed_scripts_run_in_memory():
    workflow = _workflow(diagram("ok", [script_task("s", ALLOWED), user_task("after")]))
    workflow.get_tasks()[0].data.update(a=2, b=3, nums=[1, 2, 3])
    workflow.do_engine_steps()
    data = workflow.get_tasks(state=TaskState.READY, manual=True)[0].data
    assert data["total"] == 11
    assert data["doubled"] == [4, 6]
    assert data["index"] == {"x": 4, "y": 6, "count": 2}
    assert data["name"] == "张三"
    assert data["deadline"].endswith("23:59:59+08:00")
    assert data["flag"] == "a"


DATES = """
print("computing the deadline", start)
begin = datetime.fromisoformat(start)
due = (begin + timedelta(days=15)).isoformat()
gap = (datetime.fromisoformat(due) - begin).days
span = timedelta(hours=36).total_seconds() / 3600
on = date(2026, 3, 2).isoweekday()
"""


def test_date_arithmetic_and_print_run_and_imports_stay_refused(capsys):
    workflow = _workflow(diagram("dates", [script_task("s", DATES), user_task("after")]))
    workflow.get_tasks()[0].data.update(start="2026-03-02T09:00:00+08:00")
    workflow.do_engine_steps()
    data = workflow.get_tasks(state=TaskState.READY, manual=True)[0].data
    assert data["due"] == "2026-03-17T09:00:00+08:00"
    assert (data["gap"], data["span"], data["on"]) == (15, 36.0, 1)
    assert capsys.readouterr().out == ""  # print is accepted and writes nowhere
    for source in ("import datetime", "locals()", "vars()", "datetime.now.__self__", "timedelta.__class__"):
        assert sandbox.problem_in(source, HELPER_NAMES) is not None, source


def _errors(resp) -> list[dict]:
    assert resp.status_code == 422, resp.get_json()
    return resp.get_json()["errors"]


def test_every_escape_is_refused_at_deploy(backend, api_as):
    admin = api_as("admin")
    for source in ESCAPES:
        errors = _errors(deploy(admin, diagram("escape", [script_task("bad_script", source)])))
        assert [e["element_id"] for e in errors] == ["bad_script"], source
    assert "escape" not in {d["key"] for d in admin.get("/api/process-definitions").get_json()["items"]}


def test_escapes_in_every_kind_of_expression_are_refused_at_deploy(backend, api_as):
    admin = api_as("admin")
    bad = "().__class__.__base__"
    cases = {
        "gw": [gateway("gw", bad), user_task("after")],
        "wait": [timer_event("wait", bad)],
        "svc": [service_task("svc", params={"role": bad})],
        "due": [user_task("due", props={"dueAt": bad})],
        "who": [user_task("who", props={"assignee": "__import__('os')"})],
    }
    for element, steps in cases.items():
        errors = _errors(deploy(admin, diagram("escape", steps)))
        assert element in [e["element_id"] for e in errors]
        assert all("不允许" in e["message"] for e in errors if e["element_id"] == element)


def test_allowed_scripts_deploy_and_run(backend, api_as):
    admin = api_as("admin")
    deploy_ok(admin, diagram("allowed", [script_task("calc", ALLOWED), user_task("check")]))
    body = instance(admin, start(admin, "allowed", {"a": 2, "b": 3, "nums": [1, 2, 3]}))
    assert body["status"] == "running"  # waiting at the user task
    assert body["data"]["total"] == 11
    assert body["data"]["index"] == {"x": 4, "y": 6, "count": 2}
    assert body["data"]["deadline"].endswith("23:59:59+08:00")


def test_runaway_arithmetic_and_loops_are_refused():
    import pytest as _pytest

    from engine.workflow import sandbox
    from engine.workflow.spiff import script_engine

    for source in ("x = 10**10**10", "x = 2 ** n", "x = 9 ** 1000"):
        assert sandbox.problem_in(source) is not None, source
    assert sandbox.problem_in("x = 2 ** 10") is None
    environment = script_engine().environment
    with _pytest.raises(ValueError, match="range"):
        environment.execute("total = 0\nfor i in range(100000000):\n    total += 1", {}, {})
    context = {}
    environment.execute("total = sum(range(100))", context, {})
    assert context["total"] == 4950


RESOURCE_HOGS = [
    "x = 'x' * 10**9",
    "x = [0] * 10**9",
    "x = 10**9 * 'ab'",
    "s = 'ab'\nfor i in range(100):\n    s = s + s",
    "s = [1]\nfor i in range(100):\n    s += s",
    "d = {'k': 'ab'}\nfor i in range(100):\n    d['k'] += d['k']",
    "L = [1]\nfor i in range(100):\n    L.extend(L)",
    "x = 'a' * 1000\ny = x.replace('', 'b' * 1000)",
    "x = ''.join(['a' * 999999, 'b' * 999999])",
    "x = [i for i in range(10000) for j in range(10000)]",
    "n = 2\nfor i in range(20):\n    n = n * n",
]


@pytest.mark.parametrize("source", RESOURCE_HOGS)
def test_scripts_cannot_run_for_ages_or_fill_the_memory(source):
    from engine.workflow.sandbox import TooLarge

    assert sandbox.problem_in(source) is None  # legal Python of the subset: stopped while it runs
    with pytest.raises(TooLarge):
        script_engine().environment.execute(source, {}, {})


def test_a_huge_format_width_is_refused_before_it_runs():
    assert "格式宽度" in sandbox.problem_in("x = f'{1:>999999999}'")
    assert sandbox.problem_in("x = f'{n:>8}|{v:.2f}'") is None


def test_a_runaway_script_task_fails_the_transition_with_a_clear_error():
    workflow = _workflow(diagram("hog", [script_task("s", "x = 'x' * 10**9"), user_task("after")]))
    with pytest.raises(WorkflowException, match="too large a value"):
        workflow.do_engine_steps()


def test_guards_keep_ordinary_arithmetic_and_text_working():
    context = {"a": 2, "b": 3, "names": ["张三", "李四"], "counts": {"x": 1}}
    script_engine().environment.execute(
        "total = a * b + 1\ntitle = '关于' + names[0] + '的通知'\nline = '、'.join(names)\n"
        "counts['x'] += 2\nstars = '*' * 3\nitems = [n * 2 for n in [1, 2, 3]]\nnames.extend(['王五'])\n"
        "label = title.replace('通知', '决定')", context, {})
    assert (context["total"], context["title"], context["line"], context["counts"], context["stars"],
            context["items"], context["names"][-1], context["label"]) == (
        7, "关于张三的通知", "张三、李四", {"x": 3}, "***", [2, 4, 6], "王五", "关于张三的决定")
    assert script_engine().environment.evaluate("a * b + len(names)", {"a": 2, "b": 3, "names": [1]}) == 7


# Values built past the limits by every operation that builds one (issue 25): each is refused while it
# runs, before the value exists, with a clear error.
SIZE_ATTEMPTS = [
    'x = f"{1:>{10**7}}"',
    'w = 10**7\nx = f"{1:>{w}}"',
    'x = f"{1.5:.{10**7}f}"',
    'x = f"{1:>{10**6}}{1:>{10**6}}"',
    'x = "%*d" % (10**7, 1)',
    'x = "%.*f" % (10**7, 1.5)',
    'x = "%10000000d" % 1',
    'x = b"%*d" % (10**7, 1)',
    'x = "%(a)10000000s" % {"a": 1}',
    'x = "a".ljust(10**7)',
    'x = "a".rjust(10**7)',
    'x = "a".center(10**7)',
    'x = "1".zfill(10**7)',
    'x = sum([[0] * 999999] * 20, [])',
    'x = sum([(0,) * 999999] * 20, ())',
    'x = "x" * 10**9',
    'x = b"x" * 10**9',
    'x = [0] * 999999\ny = x * 2',
    'x = [0] * 999999\ny = x + x',
    'x = [[0] * 999999 for i in range(100)]',
    'x = {i: "x" * 999999 for i in range(100)}',
    'x = {"x" * 999999 + str(i) for i in range(100)}',
    'x = ",".join(["x" * 999999] * 20)',
    'x = "x" * 999999\ny = [x + "y" for i in range(100)]',
    'x = "x" * 999999\nL = []\nfor i in range(200):\n    L.append(x + str(i))',
    'x = [1] * 999999\ny = [x[:] for i in range(100)]',
    'x = list(range(10000))\ny = [list(x) for i in range(10000)]',
    'x = ["x" * 999999] * 100\ny = str(x)',
    'x = ["x" * 999999] * 100\ny = f"{x}"',
    'x = ["x" * 999999] * 100\ny = f"{x!r}"',
    'x = ["x" * 999999] * 100\ny = "%s" % (x,)',
    'x = 1 << 10**8',
    'n = 10**64\nfor i in range(6):\n    n = n ** 64',
    'n = 2\nn <<= 10**8',
    'x = ("x" * 999999).replace("x", "yy")',
    'd = {}\nfor i in range(10000):\n    for j in range(100):\n        d[i * 100 + j] = [i, j]',
]
REFUSED_BEFORE_RUNNING = ['x = "{:>{}}".format(1, 10**7)', 'x = "{0:>10000000}".format(1)', "x = format(1, '>10000000')",
                          "x = repr([0] * 10)", "x = ascii('x')"]


@pytest.mark.parametrize("source", SIZE_ATTEMPTS)
def test_no_operation_builds_a_value_past_the_limits(source):
    assert sandbox.problem_in(source) is None  # legal in the subset: stopped while it runs
    with pytest.raises(sandbox.TooLarge, match="too large a value|too much in all|number too large"):
        script_engine().environment.execute(source, {}, {})


@pytest.mark.parametrize("source", REFUSED_BEFORE_RUNNING)
def test_formatting_outside_the_subset_is_refused_before_it_runs(source):
    assert sandbox.problem_in(source) is not None


def test_the_attempts_leave_no_memory_spike(tmp_path):
    """Peak RSS of a fresh process that runs every attempt, measured by the kernel (ru_maxrss)."""
    import json
    import os
    import subprocess
    import sys

    probe = tmp_path / "probe.py"
    probe.write_text(
        "import json, resource, sys\n"
        "from engine.workflow.spiff import script_engine\n"
        "env = script_engine().environment\n"
        "env.execute('x = 1', {}, {})\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "refused = 0\n"
        "for source in json.loads(sys.argv[1]):\n"
        "    try:\n"
        "        env.execute(source, {}, {})\n"
        "    except ValueError:\n"
        "        refused += 1\n"
        "after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "print(json.dumps({'refused': refused, 'grew_mb': (after - before) / 1024}))\n")
    root = str(pathlib.Path(__file__).resolve().parents[2])
    done = subprocess.run([sys.executable, str(probe), json.dumps(SIZE_ATTEMPTS)], capture_output=True, text=True,
                          timeout=120, cwd=root, env={**os.environ, "PYTHONPATH": root})
    assert done.returncode == 0, done.stderr
    measured = json.loads(done.stdout)
    assert measured["refused"] == len(SIZE_ATTEMPTS)
    assert measured["grew_mb"] < 100, measured  # the budget is 64 MB in all; 10**7 characters alone would be 10


def test_a_transition_shares_one_budget_across_its_scripts():
    steps = [script_task(f"s{i}", f"v{i} = 'x' * 900000 + str({i})") for i in range(80)] + [user_task("after")]
    workflow = _workflow(diagram("many", steps))
    with sandbox.budget(), pytest.raises(WorkflowException, match="too much in all"):
        workflow.do_engine_steps()


def test_ordinary_formatting_still_works():
    context = {"n": 7, "v": 3.14159, "names": ["张三"]}
    script_engine().environment.execute(
        'a = f"{n:>4}|{v:.2f}|{names[0]!r}"\nb = "%05d-%s" % (n, "号")\nc = str(n).zfill(4)\n'
        'd = sum([[1], [2, 3]], [])\ne = "x".ljust(3, ".")\nf = str({"k": [1, 2]})\ng = 2 ** 10 << 2', context, {})
    assert (context["a"], context["b"], context["c"], context["d"], context["e"], context["f"], context["g"]) == (
        "   7|3.14|'张三'", "00007-号", "0007", [1, 2, 3], "x..", "{'k': [1, 2]}", 4096)
