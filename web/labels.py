"""Chinese names for the codes the engine stores (actions, roles, review stages, decisions, states).

One table for every page, so the history, the document page and the inbox speak the same words.
"""

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


def init_app(app) -> None:
    app.jinja_env.globals.update(action_names=ACTIONS, role_names=BUILTIN_ROLES, stage_names=STAGES,
                                 decision_names=DECISIONS)
