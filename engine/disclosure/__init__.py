"""The disclosure procedure's domain: documents, review records, redaction and publication.

`documents` submits and reads documents (authorization in every lookup), `procedure` hooks the
BPMN process `disclosure_review` (status, review records), `operations` are its service tasks,
`publication` holds the channels and the public catalogue, `publicity` the 公示 period and
`takedown` taking a published document down.
"""

PROCESS_KEY = "disclosure_review"
CATEGORY_NAMES = {"normative": "规范性文件", "major_decision": "重大行政决策", "policy": "政策性文件", "licensing": "行政许可", "penalty": "行政处罚",
                  "proposal_reply": "建议提案复文", "social_assistance": "社会救助公示",
                  "service_change": "办事服务事项变更", "product_recall": "产品召回信息", "general": "其他"}
CATEGORIES = tuple(CATEGORY_NAMES)
ATTRIBUTES = ("proactive", "on_request", "withheld")
GROUNDS = ("state_secret", "prohibited_by_law", "security_stability", "third_party_rights",
           "internal_affairs", "process_information", "enforcement_files")
CHANNELS = ("catalogue", "static_export", "webhook")
# Counted as published in the year's figures: a document taken down later was still published.
EVER_PUBLISHED = ("published", "taken_down")
