"""De-identification of personal information in documents to be published (DOMAIN.md §3).

Public API: `deidentify` finds and redacts, `apply_findings` re-renders after the publisher's
review, `deidentify_docx` does the same to a .docx file; policies say what each category keeps.
`warm_up` loads the statistical name recognizer (call it once at worker start).
"""

from .core import apply_findings, deidentify, manual_finding
from .docx_io import deidentify_docx, docx_text
from .model import KINDS, Finding, Redaction, findings_to_dict
from .policy import DOCUMENT_CATEGORY_POLICY, POLICIES, get_policy, policy_for_document_category
from .recognizer import warm_up

__all__ = [
    "DOCUMENT_CATEGORY_POLICY",
    "KINDS",
    "POLICIES",
    "Finding",
    "Redaction",
    "apply_findings",
    "deidentify",
    "deidentify_docx",
    "docx_text",
    "findings_to_dict",
    "get_policy",
    "manual_finding",
    "policy_for_document_category",
    "warm_up",
]
