"""Property-based run over /api/openapi.json (schemathesis): as an admin, a drafter and the 政务公开
office, every operation answers without a server error, with a status it documents and a body its
schema allows. Every JSON body is declared by its schema (web/api/bodies.py), so invalid bodies —
an object where a choice is due — are generated for the work-plan, take-down, agency, request,
report and message operations alike.

Bounded and deterministic: a few derandomized examples per operation and mode, no example database.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from engine import users
from tests.support.workplan import add_staff

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
EXAMPLES = {GenerationMode.POSITIVE: 4, GenerationMode.NEGATIVE: 2}
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def _fresh_token(app, username) -> str:
    # Minted per call: a generated password reset may revoke the caller's earlier tokens.
    return users.issue_token(users.by_username(username), app.config["SECRET_KEY"])


def _negatable(definition: dict) -> bool:
    """Whether schemathesis can make invalid input for it: a body, a query or an integer in the path."""
    parameters = definition.get("parameters", [])
    return "requestBody" in definition or any(
        p.get("in") == "query" or p.get("schema", {}).get("type") == "integer" for p in parameters)


def _runner(app, username, operation, mode):
    checks = CHECKS if mode is GenerationMode.POSITIVE else CHECKS[:2]  # invalid input: any 4xx will do

    @hypothesis_settings(max_examples=EXAMPLES[mode], derandomize=True, database=None, deadline=None,
                         phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        headers = {"Authorization": f"Bearer {_fresh_token(app, username)}"}
        case.validate_response(case.call(app=app, headers=headers), checks=checks)

    return run


def _failures(app, username) -> list[str]:
    schema = schemathesis.openapi.from_dict(app.test_client().get("/api/openapi.json").get_json())
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in EXAMPLES:
            if mode is GenerationMode.NEGATIVE and not _negatable(operation.definition.raw):
                continue
            try:
                _runner(app, username, operation, mode)()
            except Unsatisfiable:
                continue  # nothing in this operation can be made invalid
            except Exception as exc:  # collect every operation's failure, not only the first
                failures.append(f"{operation.label} [{mode.value}]: {str(exc)[:600]}")
    return failures


@pytest.mark.parametrize("username", ["admin", "drafter1", "office1"])
def test_every_operation_keeps_its_documented_promises(app, username):
    add_staff()  # office1 reaches the office-only work-plan operations past their role check
    failures = _failures(app, username)
    assert not failures, "\n\n".join(failures)
