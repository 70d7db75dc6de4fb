"""Policies: per deid category, which kinds are kept, which are ignored and which operator
redacts each kind; plus the default mapping from the workflow's document categories.

A policy is a plain dict so the admin's DMN table (or a caller) can override any part of it.
"""

from engine.errors import Invalid

from .model import KINDS
from .operators import OPERATORS

DEFAULT_OPERATORS = {
    "id_card": {"operator": "mask"},
    "mobile": {"operator": "mask"},
    "landline": {"operator": "mask"},
    "bank_card": {"operator": "mask"},
    "email": {"operator": "mask"},
    "person_name": {"operator": "pseudonym"},
    "address": {"operator": "generalize"},
    "plate": {"operator": "mask"},
    "passport": {"operator": "mask"},
    "credit_code_individual": {"operator": "mask"},
    "cc_list": {"operator": "suppress"},
}

# keep: reported for review but published as is; ignore: not looked for at all.
POLICIES = {
    "general": {"keep": [], "ignore": ["cc_list"]},
    "penalty_publicity": {"keep": ["person_name", "credit_code_individual"], "ignore": ["cc_list"]},
    "mandatory_disclosure": {"keep": ["person_name", "credit_code_individual"], "ignore": ["cc_list"]},
    "social_assistance_publicity": {"keep": ["person_name"], "ignore": ["cc_list"]},
    "proposal_reply": {"keep": [], "ignore": [], "operators": {"person_name": {"operator": "label"}}},
}

DOCUMENT_CATEGORY_POLICY = {
    "normative": "general",
    "policy": "general",
    "licensing": "general",
    "penalty": "penalty_publicity",
    "proposal_reply": "proposal_reply",
    "social_assistance": "social_assistance_publicity",
    "general": "general",
}


def policy_for_document_category(category: str) -> str:
    """Return the deid category for a workflow document category (unknown ones: general)."""
    return DOCUMENT_CATEGORY_POLICY.get(category, "general")


def get_policy(name: str = "general", override: dict | None = None) -> dict:
    """Return the full policy for a deid or document category, with `override` merged on top."""
    if name not in POLICIES:
        name = policy_for_document_category(name)
    base = POLICIES[name]
    policy = {"name": name, "keep": set(base.get("keep", [])), "ignore": set(base.get("ignore", [])),
              "operators": {kind: dict(spec) for kind, spec in DEFAULT_OPERATORS.items()}}
    _merge(policy, base)
    if override:
        _merge(policy, override)
    _validate(policy)
    return policy


def _merge(policy: dict, extra: dict) -> None:
    for key in ("keep", "ignore"):
        if key in extra:
            policy[key] = set(extra[key])
    for kind, spec in extra.get("operators", {}).items():
        policy["operators"][kind] = {"operator": spec} if isinstance(spec, str) else dict(spec)


def _validate(policy: dict) -> None:
    unknown = (policy["keep"] | policy["ignore"] | set(policy["operators"])) - set(KINDS)
    if unknown:
        raise Invalid(f"unknown de-identification kinds: {sorted(unknown)}")
    for kind, spec in policy["operators"].items():
        if spec.get("operator") not in OPERATORS + ("generalise",):
            raise Invalid(f"unknown operator for {kind}: {spec.get('operator')!r}")


def is_redacted(policy: dict, kind: str) -> bool:
    """Tell whether findings of `kind` are redacted (not kept) under `policy`."""
    return kind not in policy["keep"]
