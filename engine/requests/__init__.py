"""Information requests (依申请公开, Regulations Art. 27–45) and the annual report (Art. 49).

`deadlines` holds the pure date rules (Art. 31 receipt, Art. 30 correction, Art. 32–33 pauses and
extension); `fees` the 国办函〔2020〕109号 tiers; `similarity` the matching behind 依申请转主动公开;
`intake` files and reads requests (authorization in every lookup); `procedure` hooks the BPMN
process `information_request`; `letters` renders the reply per outcome; `report` the annual report.
"""

PROCESS_KEY = "information_request"
CONVERSION_KEY = "request_conversion"

APPLICANT_TYPES = ("natural_person", "legal_person")
LEGAL_PERSON_SUBTYPES = ("commercial", "research", "public_welfare", "legal_services", "other")
FORMS = ("paper", "electronic")
# Art. 29/40: by e-mail, post, collection in person, fax, or reading and copying on site (查阅/抄录).
DELIVERIES = ("email", "post", "pickup", "fax", "on_site")
ID_TYPES = ("resident_id", "passport", "hk_macao_permit", "taiwan_permit", "credit_code", "other")
ID_TYPE_NAMES = {"resident_id": "居民身份证", "passport": "护照", "hk_macao_permit": "港澳居民来往内地通行证",
                 "taiwan_permit": "台湾居民来往大陆通行证", "credit_code": "统一社会信用代码", "other": "其他"}
CHANNELS = ("in_person", "letter", "registered_post", "fax", "online")
# disclosure (Art. 27) or correction of recorded information about the applicant (Art. 41)
REQUEST_KINDS = ("disclosure", "correction")
CORRECTION_RESULTS = {"corrected": "予以更正", "not_corrected": "不予更正", "referred": "转送或告知向有权机关提出"}

# Outcomes (Art. 36–39) and their sub-reasons, in the order of the 2021 annual report table.
WITHHELD_REASONS = ("state_secret", "prohibited_by_law", "security_stability", "third_party_rights",
                    "internal_affairs", "process_information", "enforcement_files", "administrative_inquiry")
NOT_PROCESSED_REASONS = ("petition_complaint", "repeated", "publication", "excessive", "confirmation")
OTHER_REASONS = ("no_correction", "fee_unpaid", "other")
OUTCOMES = ("already_public", "disclosed", "partially_disclosed", "withheld", "not_held", "needs_new_work",
            "unclear_after_correction", "not_processed", "other")
REASONS_BY_OUTCOME = {"withheld": WITHHELD_REASONS, "not_processed": NOT_PROCESSED_REASONS,
                      "other": OTHER_REASONS}

OUTCOME_NAMES = {
    "already_public": "已主动公开", "disclosed": "予以公开", "partially_disclosed": "部分公开",
    "withheld": "不予公开", "not_held": "本机关不掌握相关政府信息", "needs_new_work": "没有现成信息需要另行制作",
    "unclear_after_correction": "补正后申请内容仍不明确", "not_processed": "不予处理", "other": "其他处理",
}
REASON_NAMES = {
    "state_secret": "属于国家秘密", "prohibited_by_law": "其他法律行政法规禁止公开",
    "security_stability": "危及“三安全一稳定”", "third_party_rights": "保护第三方合法权益",
    "internal_affairs": "属于三类内部事务信息", "process_information": "属于四类过程性信息",
    "enforcement_files": "属于行政执法案卷", "administrative_inquiry": "属于行政查询事项",
    "petition_complaint": "信访举报投诉类申请", "repeated": "重复申请", "publication": "要求提供公开出版物",
    "excessive": "无正当理由大量反复申请", "confirmation": "要求行政机关确认或重新出具已获取信息",
    "no_correction": "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "fee_unpaid": "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "other": "其他",
}
STATUS_NAMES = {
    "reviewing": "审查申请", "awaiting_correction": "等待补正", "handling": "承办中", "consulting": "征求第三方意见",
    "extension_review": "延期审批中", "fee_pending": "等待缴费", "drafting": "拟定答复", "deidentifying": "去标识化处理",
    "secrecy_review": "保密审查", "awaiting_signoff": "领导签发", "delivering": "送达答复", "replied": "已答复",
    "closed": "已办结", "withdrawn": "已撤销",
}
