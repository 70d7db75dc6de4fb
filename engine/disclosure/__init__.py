"""The disclosure procedure's domain: documents, review records, redaction and publication.

`documents` submits and reads documents (authorization in every lookup), `procedure` hooks the
BPMN process `disclosure_review` (status, review records), `operations` are its service tasks,
`publication` holds the channels and the public catalogue.
"""

PROCESS_KEY = "disclosure_review"
CATEGORIES = ("normative", "policy", "licensing", "penalty", "proposal_reply", "social_assistance", "general")
ATTRIBUTES = ("proactive", "on_request", "withheld")
GROUNDS = ("state_secret", "prohibited_by_law", "security_stability", "third_party_rights",
           "internal_affairs", "process_information", "enforcement_files")
CHANNELS = ("catalogue", "static_export", "webhook")
