"""Fill a shipped form the way its declared rules say is enough: every field required now (always,
or by `requiredWhen`) gets a plausible value, every optional one stays empty. The form-rules test
submits such data to the real server, branch by branch, and expects the first submit to work."""

import re
from itertools import chain

import forms
from engine import clock

EMAIL = "zhangsan@example.com"
TEXT = "按表单填写的内容"
_COND_KEYS = re.compile(r"([a-z_][a-z0-9_]*)\s*(?:!=|=)")


def _conditions(comp: dict) -> list[str]:
    return [e for e in ((comp.get("conditional") or {}).get("hide"), (comp.get("properties") or {}).get("requiredWhen"))
            if e]


def controlling(schema: dict) -> list[dict]:
    """The choice fields other fields' visibility or requiredness depends on, plus the decision."""
    comps = forms.input_components(schema)
    named = set(chain.from_iterable(_COND_KEYS.findall(e) for c in comps for e in _conditions(c)))
    return [c for c in comps if c.get("values") and (c["key"] in named or c["key"] in ("decision", "outcome"))]


def branches(schema: dict) -> list[dict]:
    """One choice per branch: each value of each controlling field, the others at their first value."""
    fields = controlling(schema)
    base = {c["key"]: c["values"][0]["value"] for c in fields}
    out = [dict(base)]
    for comp in fields:
        out += [{**base, comp["key"]: v["value"]} for v in comp["values"][1:]]
    return out


def declared_valid(schema: dict, choice: dict, shown: dict) -> dict:
    """Data that satisfies exactly the rules the form declares for the branch `choice`;
    `shown` is the task's form data (where a select reads its options, `valuesKey`)."""
    data = dict(choice)
    for comp in forms.input_components(schema):
        key = comp["key"]
        if key in data or forms.hidden(comp, data) or not forms.required_now(comp, data):
            continue
        data[key] = sample(comp, shown)
    return {k: v for k, v in data.items() if not forms.hidden(_by_key(schema, k), data)}


def required_now(schema: dict, data: dict) -> list[str]:
    return [c["key"] for c in forms.input_components(schema)
            if not forms.hidden(c, data) and forms.required_now(c, data)]


def _by_key(schema, key):
    return next(c for c in forms.input_components(schema) if c["key"] == key)


def sample(comp: dict, shown: dict):
    """A value a person would type that meets the field's declared rules."""
    rules, kind = comp.get("validate") or {}, comp["type"]
    if comp.get("values"):
        first = comp["values"][0]["value"]
        return [first] if kind in ("checklist", "taglist") else first
    if comp.get("valuesKey"):
        return shown[comp["valuesKey"]][0]["value"]
    if kind == "checkbox":
        return True
    if kind == "number":
        return max(rules.get("min") or 1, 1)
    if kind == "datetime":
        return clock.today().isoformat()
    if rules.get("pattern"):
        for candidate in (clock.today().isoformat(), EMAIL):
            if re.fullmatch(rules["pattern"], candidate):
                return candidate
        raise AssertionError(f"no sample value for {comp['key']}'s pattern {rules['pattern']}")
    return TEXT[:rules.get("maxLength") or len(TEXT)]


def prefilled_by_others(schema: dict, shown: dict) -> dict:
    """The inputs a task opened with a value the form does not declare it shows (`prefill`): the
    previous person's answer leaking into this one's form."""
    return {c["key"]: shown[c["key"]] for c in forms.input_components(schema)
            if shown.get(c["key"]) not in (None, "", [])
            and str((c.get("properties") or {}).get("prefill", "")).lower() != "true"}
