"""Reply letters (政府信息公开申请答复书): one template per outcome, its legal basis and the remedy.

Every reply names the remedy (Art. 51): administrative reconsideration within 60 days, or a lawsuit
within 6 months, before the agency's own bodies (`agency_letters`: its 复议机关 and court, the
installation's by default). Articles cited are those of the
Regulations on Open Government Information (2019 revision) unless another instrument is named.
"""

from datetime import date
from email.message import EmailMessage
from urllib.parse import urlsplit

from engine import clock
from engine.config import current
from engine.requests import REASON_NAMES, fees

REGS = "《中华人民共和国政府信息公开条例》"

OUTCOME_TEXT = {
    "already_public": ("第三十六条第（一）项",
                       "经审查，您申请获取的政府信息已经主动公开，您可以通过以下途径获取：{location}。"),
    "disclosed": ("第三十六条第（二）项",
                  "经审查，您申请获取的政府信息属于公开范围，本机关决定予以公开，现按您要求的{form}形式、"
                  "以{delivery}方式向您提供（见附件）。"),
    "partially_disclosed": ("第三十七条",
                            "经审查，您申请获取的政府信息中含有不应当公开的内容，但能够作区分处理，本机关向您提供"
                            "可以公开的部分（见附件），不予公开的部分理由如下：{explanation}"),
    "withheld": ("第三十六条第（三）项",
                 "经审查，您申请获取的政府信息{reason_text}，本机关决定不予公开。{explanation}"),
    "not_held": ("第三十六条第（四）项",
                 "经检索，本机关没有您申请公开的政府信息，该政府信息不存在。{explanation}"),
    "needs_new_work": ("第三十八条",
                       "经审查，本机关没有现成的您所申请的信息，需要对现有政府信息进行加工、分析方能提供，"
                       "本机关不予提供。{explanation}"),
    "unclear_after_correction": ("第三十条",
                                 "本机关已告知您补正申请，经补正后申请内容仍不明确，本机关无法确定您所需的政府信息，"
                                 "不予提供。{explanation}"),
    "not_processed": ("{reason_basis}", "经审查，您的申请{reason_text}，本机关不作为政府信息公开申请处理。{explanation}"),
    "other": ("{reason_basis}", "{reason_text}。{explanation}"),
}
NOT_OURS = ("经审查，您申请获取的政府信息不属于本机关负责公开。负责公开该政府信息的行政机关为{holder_agency}，"
            "联系方式：{holder_contact}。{explanation}")
WITHHELD_BASIS = {
    "state_secret": ("第十四条", "属于依法确定为国家秘密的政府信息"),
    "prohibited_by_law": ("第十四条", "属于法律、行政法规禁止公开的政府信息"),
    "security_stability": ("第十四条", "公开后可能危及国家安全、公共安全、经济安全、社会稳定"),
    "third_party_rights": ("第十五条", "涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害"),
    "internal_affairs": ("第十六条第一款", "属于人事管理、后勤管理、内部工作流程等内部事务信息"),
    "process_information": ("第十六条第二款", "属于行政机关在履行行政管理职能过程中形成的讨论记录、过程稿、"
                                          "磋商信函、请示报告等过程性信息"),
    "enforcement_files": ("第十六条第二款", "属于行政执法案卷信息"),
    "administrative_inquiry": ("第三十六条第（七）项", "属于工商、不动产登记资料等行政查询事项，应依照有关法律、"
                                                 "行政法规的规定办理"),
}
NOT_PROCESSED_BASIS = {
    "petition_complaint": ("第三十九条第一款", "系以政府信息公开申请的形式进行信访、投诉、举报等活动，"
                                           "请通过{petition_channel}提出"),
    "repeated": ("第三十六条第（六）项", "系重复申请公开本机关已作出答复的相同政府信息"),
    "publication": ("第三十九条第二款", "系要求提供政府公报、报刊、书籍等公开出版物，您可以通过公开发行渠道获取"),
    "excessive": ("第三十五条", "申请公开政府信息的数量、频次明显超过合理范围"),
    "confirmation": ("第二条", "系要求行政机关确认或重新出具已获取的信息，不属于政府信息公开申请"),
}
OTHER_BASIS = {
    "no_correction": ("第三十条", "您未在补正期限内补正，视为放弃申请，本机关不再处理您的政府信息公开申请"),
    "fee_unpaid": ("第四十二条及《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）",
                   "您未在收费通知规定的期限内缴纳信息处理费，视为放弃申请，本机关不再处理您的政府信息公开申请"),
    "other": ("第三十六条", "本机关对您的申请作如下处理"),
}
FORM_NAMES = {"paper": "纸质", "electronic": "电子"}
DELIVERY_NAMES = {"email": "电子邮件", "post": "邮寄", "pickup": "当面领取", "fax": "传真", "on_site": "现场查阅、抄录"}


def _reason(outcome, reason):
    table = {"withheld": WITHHELD_BASIS, "not_processed": NOT_PROCESSED_BASIS, "other": OTHER_BASIS}.get(outcome, {})
    return table.get(reason or "", ("", REASON_NAMES.get(reason or "", "")))


def legal_basis(outcome: str, reason: str | None) -> str:
    article, _text = OUTCOME_TEXT[outcome]
    if outcome == "withheld":
        return f"{REGS}{article}、{_reason(outcome, reason)[0]}"
    if "{reason_basis}" in article:
        basis = _reason(outcome, reason)[0]
        return basis if basis.startswith("《") else f"{REGS}{basis}"
    return f"{REGS}{article}"


def remedy(settings: dict) -> str:
    """The remedy sentence (Art. 51) naming the agency's own 复议机关 and court (`agency_letters`)."""
    body, court = settings["reconsideration_body"], settings["litigation_court"]
    return (f"如对本答复不服，可以自收到本答复之日起六十日内向{body['name']}（地址：{body['address']}）申请行政复议，"
            f"或者自收到本答复之日起六个月内向{court['name']}（地址：{court['address']}）提起行政诉讼。")


def render(req, outcome: str, reason: str | None, *, agency: str, settings: dict, on: date,
           location: str | None = None, explanation: str | None = None, facts: dict | None = None) -> str:
    """Return the full text of the reply letter to `req` (an InformationRequest).

    `facts` carries what some replies must state: `holder_agency`/`holder_contact` turn 不掌握 into
    Art. 36(5) (another agency is responsible), `reasons_result` says how an Art. 35 request for
    reasons ended."""
    facts = facts or {}
    _article, template = OUTCOME_TEXT[outcome]
    basis = legal_basis(outcome, reason)
    if outcome == "not_held" and facts.get("holder_agency"):
        template, basis = NOT_OURS, f"{REGS}第三十六条第（五）项"
    # Art. 39 names the channel the applicant should use: the agency's own 信访 channel.
    reason_text = _reason(outcome, reason)[1].replace("{petition_channel}", settings.get("petition_channel") or "信访渠道")
    if reason == "excessive":
        reason_text = f"申请公开政府信息的数量、频次明显超过合理范围，经本机关要求说明理由，{facts.get('reasons_result', '')}"
    body = template.format(
        location=location or "本机关政府信息公开专栏", form=FORM_NAMES.get(req.form, req.form),
        delivery=DELIVERY_NAMES.get(req.delivery, req.delivery), reason_text=reason_text,
        explanation=(explanation or "").strip(), holder_agency=facts.get("holder_agency", ""),
        holder_contact=facts.get("holder_contact", ""))
    received = req.receipt_on
    return "\n".join([
        f"{agency}",
        "政府信息公开申请答复书",
        f"（{req.request_no}）",
        "",
        f"{req.applicant_name}：",
        f"    本机关于{received.year}年{received.month}月{received.day}日收到您提出的政府信息公开申请，"
        f"申请获取“{req.description.strip()}”的政府信息。",
        f"    {body.strip()}",
        f"    根据{basis}的规定，特此告知。",
        f"    {remedy(settings)}",
        "",
        f"{agency}",
        f"{on.year}年{on.month}月{on.day}日",
    ])


def as_email(subject: str, to: str, text: str, filename: str) -> EmailMessage:
    """A letter as an e-mail: its text as the body and its Word file attached (From: the settings)."""
    settings = current()
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = settings.mail_from or f"noreply@{urlsplit(settings.public_base_url).hostname}"
    message["To"] = to
    message.set_content(text)
    message.add_attachment(to_docx(text), maintype="application",
                           subtype="vnd.openxmlformats-officedocument.wordprocessingml.document", filename=filename)
    return message


def to_docx(text: str) -> bytes:
    """Lay a letter's text out as a Word document to print, sign and seal, or attach to an e-mail:
    agency, title and number centred, indented paragraphs, signature block flush right."""
    import io

    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc = Document()
    lines = text.split("\n")
    closing = max((i for i, line in enumerate(lines) if not line.strip()), default=len(lines))
    for i, line in enumerate(lines):
        para = doc.add_paragraph()
        run = para.add_run(line.strip())
        if i < 3:  # agency, title, number
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run.bold = i == 1
            run.font.size = Pt(18 if i == 1 else 12)
        elif i > closing and i < len(lines) - 1:  # the agency and the date under the text
            para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif line.startswith("    "):
            para.paragraph_format.first_line_indent = Pt(24)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _cn(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _notice(agency, title, req, recipient, paragraphs, on) -> str:
    """A notice laid out like the reply letter: agency, title, number, body, signature and date."""
    return "\n".join([agency, title, f"（{req.request_no}）", "", f"{recipient}：",
                      *[f"    {p}" for p in paragraphs], "", agency, _cn(on)])


def extension_notice(req, days: int, new_due: date, agency: str, on: date | None = None, reason: str = "") -> str:
    """延期答复告知书 (Art. 33(2)): the reply period is extended once, with the office head's consent,
    for the reason the handler gave."""
    on = on or clock.today()
    why = f"因{reason.rstrip('。.')}，" if reason else "因"
    return _notice(agency, "政府信息公开申请延期答复告知书", req, req.applicant_name, [
        f"本机关于{_cn(req.receipt_on)}收到您提出的政府信息公开申请，申请获取“{req.description.strip()}”的政府信息。",
        f"{why}需要延长答复期限，经本机关政府信息公开工作机构负责人同意，答复期限延长{days}个工作日，"
        f"本机关将于{_cn(new_due)}前作出答复。",
        f"根据{REGS}第三十三条第二款的规定，特此告知。"], on)


def correction_notice(req, items: list[str], due: date, agency: str, on: date | None = None) -> str:
    """补正告知书 (Art. 30): every item to correct at once, and the period to do it."""
    on = on or clock.today()
    lines = [f"{i}. {item}" for i, item in enumerate(items, start=1)]
    return _notice(agency, "政府信息公开申请补正告知书", req, req.applicant_name, [
        f"本机关于{_cn(req.receipt_on)}收到您提出的政府信息公开申请。经审查，您的申请内容不明确，请补正以下事项：",
        *lines,
        f"请于{_cn(due)}前补正。答复期限自本机关收到补正的申请之日起计算；无正当理由逾期不补正的，视为放弃申请，"
        f"本机关不再处理该政府信息公开申请。",
        f"根据{REGS}第三十条的规定，特此告知。"], on)


def fee_notice(req, fee: dict, agency: str, payment: str, on: date) -> str:
    """收费通知书 (Art. 42; 国办函〔2020〕109号): basis, standard, calculation, amount, how and by when to pay."""
    standard = ("按件计收：同一申请人一个自然月内累计申请10件以下（含）的不收费，11—30件的部分每件100元，"
                "31件以上的部分每增加10件、收费标准提高100元/件" if fee["method"] == "per_request" else
                "按量计收：30页以下（含）的不收费，31—100页的部分每页10元，101—200页的部分每页20元，201页以上的部分每页40元")
    return _notice(agency, "政府信息公开信息处理费收费通知书", req, req.applicant_name, [
        f"本机关于{_cn(req.receipt_on)}收到您提出的政府信息公开申请。您申请公开政府信息的数量、频次明显超过合理范围，"
        "本机关依法收取信息处理费。",
        f"收费依据：{REGS}第四十二条、《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）。",
        f"收费标准：{standard}。",
        f"计算方式：{fee['basis']}。",
        f"应缴金额：人民币{fee['amount']}元。",
        f"缴纳方式：{payment}",
        f"请自收到本通知书之次日起{fees.PAYMENT_DAYS}个工作日内缴纳。逾期未缴纳的，视为放弃申请，本机关不再处理该政府信息公开申请。"
        "申请期限自收到本通知书之日起至缴费之日止中止计算。"], on)


def third_party_notice(req, party: str, agency: str, on: date, co_producer=False) -> str:
    """第三方征求意见书 (Art. 32) or, for a co-producing agency, the consultation letter of Art. 34. The
    period runs from the day the party receives it, so the letter names no date of its own."""
    article = "第三十四条" if co_producer else "第三十二条"
    return _notice(agency, "政府信息公开征求意见书", req, party, [
        f"本机关于{_cn(req.receipt_on)}收到政府信息公开申请，申请获取“{req.description.strip()}”的政府信息。"
        + ("该信息由本机关与贵机关共同制作。" if co_producer else "经审查，该信息公开可能损害您的合法权益。"),
        "请自收到本意见书之日起15个工作日内向本机关提出书面意见。"
        + ("逾期未提出意见的，视为同意公开。" if co_producer else
           "逾期未提出意见的，由本机关依照条例规定决定是否公开；您不同意公开且有合理理由的，本机关不予公开，"
           "但本机关认为不公开可能对公共利益造成重大影响的，可以决定予以公开，并将决定公开的内容和理由书面告知您。"),
        f"根据{REGS}{article}的规定，特此征求意见。"], on)


def reasons_notice(req, agency: str, due: date, on: date) -> str:
    """说明理由通知书 (Art. 35): requests whose number or frequency looks excessive; reasons first."""
    return _notice(agency, "政府信息公开申请说明理由通知书", req, req.applicant_name, [
        f"本机关于{_cn(req.receipt_on)}收到您提出的政府信息公开申请。您申请公开政府信息的数量、频次明显超过合理范围，"
        f"请于{_cn(due)}前向本机关说明理由。",
        "不能说明理由或者理由不合理的，本机关将告知您不予处理；理由合理但无法在法定期限内答复的，"
        "本机关将确定延迟答复的合理期限并告知您。",
        f"根据{REGS}第三十五条的规定，特此通知。"], on)


def delayed_reply_notice(req, answered_on: date, reply_by: date, agency: str, on: date) -> str:
    """延迟答复告知书 (Art. 35): the reasons are reasonable, the reply cannot come in the statutory
    period, so the agency names the day by which it will reply."""
    return _notice(agency, "政府信息公开申请延迟答复告知书", req, req.applicant_name, [
        f"本机关于{_cn(req.receipt_on)}收到您提出的政府信息公开申请，申请获取“{req.description.strip()}”的政府信息。",
        f"您于{_cn(answered_on)}说明了申请理由，本机关认为理由合理。因您申请公开政府信息的数量、频次明显超过合理范围，"
        f"本机关无法在法定期限内答复，确定延迟答复的合理期限，将于{_cn(reply_by)}前作出答复。",
        f"根据{REGS}第三十五条的规定，特此告知。"], on)


def split_notice(req, original: str, parts: list[tuple], agency: str, on: date) -> str:
    """分件处理告知书 (一事一申请): one request asking for several unrelated things becomes several, each
    answered and timed on its own from the same day of receipt; each part's number and access code."""
    lines = [f"{i}. 申请编号{no}{f'（查询码：{code}）' if code else '（原申请编号）'}：{text}"
             for i, (no, code, text) in enumerate(parts, start=1)]
    return _notice(agency, "政府信息公开申请分件处理告知书", req, req.applicant_name, [
        f"本机关于{_cn(req.receipt_on)}收到您提出的政府信息公开申请，申请获取“{original.strip()}”的政府信息。",
        f"经审查，您的申请包含多项内容，按照“一事一申请”原则，本机关将其分为以下{len(parts)}件申请分别处理，"
        f"各件的收到申请之日均为{_cn(req.receipt_on)}，答复期限分别计算：",
        *lines,
        "您可以凭各件的申请编号和查询码查询办理进度。",
        f"根据{REGS}第二十九条、第三十三条的规定，特此告知。"], on)


def disclosure_decision_notice(req, party: str, agency: str, reason: str, on: date) -> str:
    """决定公开告知书 (Art. 32): disclosed over the third party's objection, with the public interest."""
    return _notice(agency, "政府信息公开决定告知书", req, party, [
        f"本机关就“{req.description.strip()}”的政府信息公开申请征求了您的意见，您不同意公开。",
        f"本机关认为不公开可能对公共利益造成重大影响，决定予以公开。理由如下：{reason}",
        f"根据{REGS}第三十二条的规定，现将决定公开的政府信息内容和理由书面告知您。"], on)


CORRECTION_TEXT = {
    "corrected": "经核实，您提出的更正要求属实，本机关已予以更正。{explanation}",
    "not_corrected": "经核实，本机关提供的与您相关的政府信息记录准确，您提供的证据不足以证明记录不准确，本机关不予更正。"
                     "{explanation}",
    "referred": "经审查，更正该政府信息不属于本机关职能范围。有权更正的行政机关为{holder_agency}（联系方式：{holder_contact}），"
                "请向其提出，或由本机关转送其处理。{explanation}",
}


def render_correction(req, result: str, *, agency: str, settings: dict, on: date, explanation: str | None = None,
                      facts: dict | None = None) -> str:
    """The reply to a request to correct recorded information about the applicant (Art. 41)."""
    facts = facts or {}
    body = CORRECTION_TEXT[result].format(explanation=(explanation or "").strip(),
                                          holder_agency=facts.get("holder_agency", ""),
                                          holder_contact=facts.get("holder_contact", ""))
    return "\n".join([
        agency, "政府信息更正申请答复书", f"（{req.request_no}）", "", f"{req.applicant_name}：",
        f"    本机关于{_cn(req.receipt_on)}收到您要求更正与您相关的政府信息记录的申请，申请更正“{req.description.strip()}”。",
        f"    {body.strip()}",
        f"    根据{REGS}第四十一条的规定，特此告知。",
        f"    {remedy(settings)}",
        "", agency, _cn(on)])
