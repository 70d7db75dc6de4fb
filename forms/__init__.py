"""User-task forms: one bpmn.io form-js schema per form key; the shipped ones are `forms/<key>.json`.

The browser renders the same schema with form-js; the server validates submissions against a
marshmallow schema built from it, so the two can never disagree about what a form requires. A
field required only in some cases says so in `properties.requiredWhen` (the FEEL subset of
`conditional.hide`); form-js has no conditional `required`, so the task page checks it too.
Which version of a form is current (a shipped file, or a later one an admin saved) is the
engine's business (`engine.forms`); this package reads the shipped files and validates.
"""

import json
import re
from functools import lru_cache
from pathlib import Path

from marshmallow import Schema, ValidationError, fields, validate

FORMS_DIR = Path(__file__).parent
_INPUT_TYPES = {"textfield", "textarea", "number", "select", "radio", "checkbox", "checklist",
                "datetime", "taglist", "hidden"}
_KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,99}$")
_BUILT_LIMIT = 512


def valid_key(key) -> bool:
    return isinstance(key, str) and bool(_KEY_RE.match(key))


def form_keys() -> list[str]:
    """The keys of the shipped forms."""
    return sorted(p.stem for p in FORMS_DIR.glob("*.json"))


def exists(key: str) -> bool:
    return valid_key(key) and (FORMS_DIR / f"{key}.json").is_file()


@lru_cache(maxsize=256)
def _load_text(key: str, mtime: float) -> str:
    return (FORMS_DIR / f"{key}.json").read_text(encoding="utf-8")


def load(key: str) -> dict:
    """Return the shipped form-js schema for `key`; KeyError when there is none."""
    if not exists(key):
        raise KeyError(key)
    path = FORMS_DIR / f"{key}.json"
    return json.loads(_load_text(key, path.stat().st_mtime))


def check(key: str, schema) -> None:
    """Raise ValueError unless `key` and `schema` make a form the inbox can render and validate."""
    if not valid_key(key):
        raise ValueError("form key must be lower-case letters, digits and underscores")
    if not isinstance(schema, dict) or not isinstance(schema.get("components"), list):
        raise ValueError("a form-js schema needs a 'components' list")


def input_components(schema: dict) -> list[dict]:
    """Flatten groups and return the components that carry a value."""
    out = []
    for comp in schema.get("components", []):
        if comp.get("components"):
            out.extend(input_components(comp))
        elif comp.get("type") in _INPUT_TYPES and comp.get("key"):
            out.append(comp)
    return out


def validate_data(key: str, data: dict, schema: dict | None = None, tag: str = "") -> tuple[dict, dict]:
    """Validate `data` against form `key` (or the given `schema`, identified by `tag`).

    Returns (clean data, {field: [messages]}).
    """
    if schema is None:
        schema, tag = load(key), str((FORMS_DIR / f"{key}.json").stat().st_mtime)
    shown = [c for c in input_components(schema) if not hidden(c, data)]
    visible = tuple(c["key"] for c in shown)
    required = tuple(c["key"] for c in shown if required_now(c, data))
    marsh = _schema(key, tag, visible, required, schema)
    known = {c["key"] for c in input_components(schema)}
    payload = {k: v for k, v in (data or {}).items() if k in known and not _empty(v)}
    try:
        return marsh.load({k: v for k, v in payload.items() if k in marsh.fields}), {}
    except ValidationError as exc:
        return {}, exc.messages


def required_now(comp: dict, data: dict) -> bool:
    """Is `comp` required with the form filled as `data` (always, or by its `requiredWhen`)?"""
    if (comp.get("validate") or {}).get("required"):
        return True
    expr = ((comp.get("properties") or {}).get("requiredWhen") or "").strip()
    return expr.startswith("=") and _feel(expr[1:], data or {})


def option_keys(schema: dict) -> set[str]:
    """The input variables that hold a select's options (`valuesKey`), e.g. the departments."""
    return {c["valuesKey"] for c in input_components(schema) if c.get("valuesKey")}


_built: dict = {}


def _schema(key: str, tag: str, visible: tuple, required: tuple, schema: dict) -> Schema:
    # Building a marshmallow class costs more than validating with it: one per form version and
    # set of visible and required fields.
    cache_key = (key, tag, visible, required)
    built = _built.get(cache_key)
    if built is None:
        if len(_built) >= _BUILT_LIMIT:
            _built.clear()
        components = {c["key"]: c for c in input_components(schema)}
        built = _built[cache_key] = Schema.from_dict({k: _field(components[k], k in required) for k in visible})()
    return built


def _empty(value) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def _field(comp: dict, required: bool) -> fields.Field:
    rules = comp.get("validate") or {}
    validators = []
    kind = comp["type"]
    msg_required = {"required": "此项必填"}
    if kind in ("select", "radio"):
        values = [v["value"] for v in comp.get("values", [])]
        if values:
            validators.append(validate.OneOf(values, error="不是允许的选项"))
        return fields.Raw(required=required, validate=validators, error_messages=msg_required)
    if kind in ("checklist", "taglist"):
        values = [v["value"] for v in comp.get("values", [])]
        inner = fields.String(validate=validate.OneOf(values)) if values else fields.String()
        return fields.List(inner, required=required, error_messages=msg_required)
    if kind == "checkbox":
        return fields.Boolean(required=required, error_messages=msg_required)
    if kind == "number":
        rng = validate.Range(min=rules.get("min"), max=rules.get("max"))
        return fields.Float(required=required, validate=[rng], error_messages=msg_required)
    return fields.String(required=required, validate=_string_rules(rules), error_messages=msg_required)


def _string_rules(rules: dict) -> list:
    out = []
    low, high = rules.get("minLength"), rules.get("maxLength")
    if low or high:
        error = (f"长度应在 {low} 到 {high} 个字之间" if low and high else
                 f"至少 {low} 个字" if low else f"最多 {high} 个字")
        out.append(validate.Length(min=low, max=high, error=error))
    if rules.get("pattern"):
        out.append(validate.Regexp(rules["pattern"], error="格式不正确"))
    return out


# form-js conditions are FEEL; we understand the small subset our forms use:
#   =field = "value", =field != "value", joined by `and` / `or`.
_COND_RE = re.compile(r'^\s*([a-z_][a-z0-9_]*)\s*(!=|=)\s*"([^"]*)"\s*$')


def hidden(comp: dict, data: dict) -> bool:
    """Does the form hide `comp` when filled as `data` (its `conditional.hide`)?"""
    expr = ((comp.get("conditional") or {}).get("hide") or "").strip()
    if not expr.startswith("="):
        return False
    return _feel(expr[1:], data or {})


def _feel(expr: str, data: dict) -> bool:
    if " or " in expr:
        return any(_feel(part, data) for part in expr.split(" or "))
    if " and " in expr:
        return all(_feel(part, data) for part in expr.split(" and "))
    match = _COND_RE.match(expr)
    if not match:
        return False
    key, op, value = match.groups()
    equal = str(data.get(key, "")) == value
    return equal if op == "=" else not equal
