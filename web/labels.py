"""Chinese names for the codes the engine stores (actions, roles, review stages, decisions, states).

One table for every page, so the history, the document page and the inbox speak the same words.
"""

from lxml import etree

from engine import users
from engine.users import BUILTIN_ROLES

ACTIONS = {
    "instance_started": "发起流程", "claim": "认领", "release": "释放", "delegate": "转办", "complete": "办理完成",
    "service_task_done": "系统处理完成", "incident": "系统处理失败", "retry": "重试", "timer_fired": "定时触发",
    "migrate": "迁移版本", "migrate_version": "批量迁移版本", "document_submitted": "提交文件",
    "deidentified": "去标识化处理", "redaction_edited": "修改去标识化标注", "published": "发布",
    "historical_import": "导入历年文件", "request_received": "收到申请", "correction_received": "收到补正",
    "third_party_answered": "第三方答复", "notice_sent": "发送告知书", "reply_drafted": "拟写答复",
    "conversion_proposed": "建议转主动公开", "deploy": "部署流程", "dmn_saved": "保存决策表",
    "draft_saved": "保存草稿", "form_saved": "保存表单", "user_added": "添加用户", "role_added": "添加角色",
    "department_added": "添加部门", "out_of_office": "外出设置", "login": "登录", "login_failed": "登录失败",
    "annual_report_edited": "编辑年度报告", "proceeding_entered": "录入复议诉讼",
    "request_settings_changed": "修改依申请设置", "instance_cancelled": "撤销流程",
    "worker_lost": "处理进程中断，重新执行",
    "reply_delayed": "确定延迟答复期限", "reasons_answered": "登记申请人说明的理由", "notice_delivered": "登记告知书送达",
    "notice_emailed": "邮件送达告知书",
    "taken_down": "撤下发布", "take_down_notified": "推送撤下通知",
}
STAGES = {
    "dept_review": "初审", "secrecy_review": "复审（保密审查）", "leader_signoff": "领导签批",
    "re_review": "定期评审", "confirm_redaction": "确认去标识化",
}
DECISIONS = {
    "approve": "同意", "return": "退回", "withhold": "不予公开", "confirm": "确认", "reject": "不同意",
    "keep": "继续不予公开", "release": "解除，转为主动公开",
}


FORM_NAMES = {
    "attribute_determination": "认定公开属性", "confirm_redaction": "确认去标识化结果", "confirm_step": "确认办理",
    "consultation": "第三方意见", "conversion_proposal": "依申请转主动公开", "correction_received": "收到补正",
    "document_revise": "修改文件", "extension_approval": "审批延期答复", "fee_payment": "缴费情况",
    "re_review": "定期评审", "reply_delivery": "送达答复", "reply_draft": "拟定答复", "reply_review": "答复材料保密审查",
    "reply_signoff": "签发答复", "request_handle": "承办申请", "request_review": "审查申请", "review": "审核",
    "review_document": "审查文件", "signoff": "领导签批", "workplan_report": "报送进展", "workplan_review": "审核进展",
}
# Accounts that are not people: what the history says instead of their login name.
SYSTEM_ACTORS = {"worker": "系统", "system": "系统", "scheduler": "系统（定时）"}
BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"


def person(username) -> str:
    """The name a colleague knows `username` by (history, records, lists)."""
    if not username:
        return ""
    return SYSTEM_ACTORS.get(username) or users.display_names().get(username, username)


def served_url(url) -> str:
    """A public link stored at publication, as the reader can follow it: without GONGKAI_PUBLIC_URL the
    stored default base is replaced by the address this page was served from."""
    from flask import current_app, request

    settings = current_app.config["GONGKAI"]
    base = settings.public_base_url.rstrip("/")
    if settings.public_url_set or not url or not url.startswith(base + "/"):
        return url or ""
    return request.url_root.rstrip("/") + url[len(base):]


def form_name(key) -> str:
    return f"{FORM_NAMES[key]}（{key}）" if key in FORM_NAMES else (key or "")


def readable_diagram(xml: str, role_names: dict) -> str:
    """The diagram as a viewer shows it: each lane named by its role's Chinese name. The engine reads
    the role key from the lane's name, so only a copy for viewing is relabelled, never the stored one."""
    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        root = etree.fromstring(xml.encode("utf-8"), parser)
    except (etree.XMLSyntaxError, ValueError):
        return xml
    for lane in root.iter(f"{{{BPMN}}}lane"):
        name = lane.get("name")
        if name in role_names:
            lane.set("name", role_names[name])
    return etree.tostring(root, encoding="unicode")


def outcome_names() -> dict:
    """Every decision a shipped form offers, by its value (the history shows the words chosen)."""
    import forms

    names = {}
    for key in forms.form_keys():
        for comp in forms.input_components(forms.load(key)):
            if comp["key"] in ("decision", "outcome", "delivery_method", "third_party_answer"):
                for option in comp.get("values", []):
                    names.setdefault(option["value"], option["label"])
    return {**names, **DECISIONS}


def init_app(app) -> None:
    app.jinja_env.globals.update(action_names=ACTIONS, role_names=BUILTIN_ROLES, stage_names=STAGES,
                                 decision_names=outcome_names(), form_name=form_name)
    app.jinja_env.filters["person"] = person
    app.jinja_env.filters["served_url"] = served_url
