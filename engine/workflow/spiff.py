"""The SpiffWorkflow host: our parser, serializer registry and sandboxed script engine.

Service tasks are asynchronous here: running one leaves it STARTED (nothing is called in-process);
the engine hands it to a worker through the outbox. Every script and expression is checked by
`sandbox` before Spiff evaluates it.
"""

import datetime as _dt
from functools import lru_cache

from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment
from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser
from SpiffWorkflow.spiff.parser.task_spec import ServiceTaskParser
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.spiff.serializer.task_spec import ServiceTaskConverter
from SpiffWorkflow.spiff.specs.defaults import ServiceTask

from engine.workflow import sandbox


class AsyncServiceTask(ServiceTask):
    """A service task that waits (STARTED) for a worker instead of calling anything itself."""

    def _execute(self, task):
        return None


class GongkaiParser(SpiffBpmnParser):
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
    from engine import calendar

    def working_days(n, start=None):
        return calendar.working_days_deadline_iso(int(n), start)

    def today():
        return _dt.datetime.now(_dt.timezone.utc).astimezone(calendar.SHANGHAI).date().isoformat()

    def days(n):
        return f"P{int(n)}D"

    def hours(n):
        return f"PT{int(n)}H"

    return {"working_days": working_days, "today": today, "days": days, "hours": hours}


HELPER_NAMES = frozenset({"working_days", "today", "days", "hours"})


class SandboxedScriptEngine(PythonScriptEngine):
    """Spiff's engine with the sandbox check in front of every evaluation and no real builtins."""

    def __init__(self):
        env_globals = {"__builtins__": dict(sandbox.SAFE_BUILTINS), **script_helpers()}
        super().__init__(environment=TaskDataEnvironment(env_globals))

    def validate(self, expression):
        sandbox.check(expression, HELPER_NAMES | {"dmninputexpr"})

    def evaluate(self, task, expression, external_context=None):
        names = HELPER_NAMES | set(external_context or ())
        sandbox.check(expression, names)
        return super().evaluate(task, expression, external_context)

    def execute(self, task, script, external_context=None):
        sandbox.check(script, HELPER_NAMES | set(external_context or ()))
        return super().execute(task, script, external_context)


@lru_cache(maxsize=1)
def script_engine() -> SandboxedScriptEngine:
    """Return the process-wide script engine (built lazily: its helpers import the calendar)."""
    return SandboxedScriptEngine()
