"""The SpiffWorkflow host: our parser, serializer registry and sandboxed script engine.

Service tasks are asynchronous here: running one leaves it STARTED (nothing is called in-process);
the engine hands it to a worker through the outbox. Every script and expression is checked by
`sandbox` before Spiff evaluates it.
"""

import ast
import datetime as _dt
import logging
from functools import lru_cache

from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment
from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser, SpiffProcessParser
from SpiffWorkflow.spiff.parser.task_spec import ServiceTaskParser
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.spiff.serializer.task_spec import ServiceTaskConverter
from SpiffWorkflow.spiff.specs.defaults import ServiceTask

from engine import calendar, clock
from engine.workflow import sandbox

# Spiff logs every task state change at INFO, building a record with the task's data attached for
# each: under `gongkai serve` (root logger at INFO) that was a line per step in the operator's log
# and a tenth of a completion's CPU. Its warnings and errors still come through. Spiff reads these
# loggers' own levels (not the effective ones) to decide what to attach, hence each is set.
for _name in ("spiff", "spiff.task", "spiff.workflow", "spiff.data", "spiff.dmn"):
    logging.getLogger(_name).setLevel(logging.WARNING)


class AsyncServiceTask(ServiceTask):
    """A service task that waits (STARTED) for a worker instead of calling anything itself."""

    def _execute(self, task):
        return None


class GongkaiProcessParser(SpiffProcessParser):
    """Spiff's process parser, indexing only BPMN elements by id.

    Spiff indexes every element with an id attribute, so a service task whose id equals its
    operation name (`<serviceTask id="publish">` holding `<serviceTaskOperator id="publish">`)
    would be shadowed by its own operator element and fail to parse.
    """

    def _index_process_nodes(self):
        super()._index_process_nodes()
        for node in self.xpath(".//bpmn:*[@id]"):
            self.nodes_by_id[node.get("id")] = node


class GongkaiParser(SpiffBpmnParser):
    PROCESS_PARSER_CLASS = GongkaiProcessParser
    OVERRIDE_PARSER_CLASSES = {
        **SpiffBpmnParser.OVERRIDE_PARSER_CLASSES,
        "{http://www.omg.org/spec/BPMN/20100524/MODEL}serviceTask": (ServiceTaskParser, AsyncServiceTask),
    }


_config = dict(SPIFF_CONFIG)
_config[AsyncServiceTask] = ServiceTaskConverter
SERIALIZER = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(_config))
SERIALIZER_VERSION = SERIALIZER.VERSION


def script_helpers() -> dict:
    """Return the functions diagrams may call besides the safe builtins."""
    def working_days(n, start=None):
        return calendar.working_days_deadline_iso(int(n), start)

    def today():
        return clock.now().astimezone(calendar.SHANGHAI).date().isoformat()

    def days(n):
        return f"P{int(n)}D"

    def hours(n):
        return f"PT{int(n)}H"

    def days_from_now(n):
        return (clock.now() + _dt.timedelta(days=int(n))).isoformat()

    # A deadline is a day (working-day rules: due at the end of it) or a moment (hour rules such as
    # the 24 hours of a product recall); reminders count in the deadline's own unit.
    def hours_after(n, start):
        return (calendar.as_moment(start) + _dt.timedelta(hours=int(n))).isoformat()

    def deadline_end(deadline):
        if calendar.has_time(deadline):
            return calendar.as_moment(deadline).isoformat()
        return _dt.datetime.combine(calendar.as_date(deadline), calendar.END_OF_DAY, calendar.SHANGHAI).isoformat()

    def reminder_at(deadline, n):
        if calendar.has_time(deadline):  # `n` hours before the moment
            return (calendar.as_moment(deadline) - _dt.timedelta(hours=int(n))).isoformat()
        # 09:00 on the working day that leaves `n` working days before the deadline day.
        start = calendar.working_day_before(calendar.as_date(deadline), int(n))
        return _dt.datetime.combine(start, _dt.time(9), calendar.SHANGHAI).isoformat()

    def reminder_text(deadline, n, what="公开期限"):
        # Counted when the reminder fires, not taken from `n`: a timer that fires late (the workers
        # were down over the reminder day) must not promise days that are gone.
        if calendar.has_time(deadline):
            seconds = (calendar.as_moment(deadline) - clock.now()).total_seconds()
            left, unit, past = min(int(n), -(-int(seconds) // 3600)), "小时", seconds <= 0
        else:
            day, today = calendar.as_date(deadline), clock.today()
            left, unit, past = min(int(n), calendar.working_days_between(today, day)), "个工作日", today > day
        if past:
            return f"已超过{what}，请立即办理"
        if left <= 0:
            return f"今日即到{what}，请立即办理"
        return f"距{what}仅剩{left}{unit}，请{'立即' if left <= 2 else '尽快'}办理"

    return {"working_days": working_days, "today": today, "days": days, "hours": hours,
            "days_from_now": days_from_now, "hours_after": hours_after, "deadline_end": deadline_end,
            "reminder_at": reminder_at, "reminder_text": reminder_text}


HELPER_NAMES = frozenset({"working_days", "today", "days", "hours", "days_from_now", "hours_after",
                          "deadline_end", "reminder_at", "reminder_text"})


class SandboxedEnvironment(TaskDataEnvironment):
    """Task-data evaluation with the sandbox check first.

    The check sits here rather than on the script engine because Spiff also calls
    `environment.evaluate` directly (inclusive-gateway and loop conditions, message correlations).
    """

    def evaluate(self, expression, context, external_context=None):
        sandbox.check(expression, HELPER_NAMES | set(external_context or ()))
        with sandbox.budget():
            return super().evaluate(sandbox.guarded_code(expression.strip(), "eval"), context, external_context)

    def execute(self, script, context, external_context=None):
        sandbox.check(script, HELPER_NAMES | set(external_context or ()))
        with sandbox.budget():
            return super().execute(sandbox.guarded_code(script, "exec"), context, external_context)


class SandboxedScriptEngine(PythonScriptEngine):
    """Spiff's engine on the sandboxed environment, with no real builtins."""

    def __init__(self):
        env_globals = {"__builtins__": dict(sandbox.SAFE_BUILTINS), **script_helpers(), **sandbox.GUARDS}
        super().__init__(environment=SandboxedEnvironment(env_globals))

    def validate(self, expression):
        # Spiff's DMN engine relies on SyntaxError to tell "< 5" (a partial comparison) from "5".
        ast.parse(expression)
        sandbox.check(expression, HELPER_NAMES | {"dmninputexpr", "v"})


@lru_cache(maxsize=1)
def script_engine() -> SandboxedScriptEngine:
    """Return the process-wide script engine (built lazily: its helpers import the calendar)."""
    return SandboxedScriptEngine()
