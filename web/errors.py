"""Map the engine's domain errors to HTTP, as JSON under /api and as pages elsewhere."""

from flask import jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from engine.errors import Conflict, DomainError, Forbidden, Gone, Invalid, NotFound, Unauthorized

STATUS = {NotFound: 404, Forbidden: 403, Unauthorized: 401, Conflict: 409, Gone: 410, Invalid: 422}
# What a person reads when the web server itself refuses (Werkzeug's texts are English).
HTTP_MESSAGES = {
    400: "请求有误，请返回上一页重试。", 401: "请先登录。", 403: "您没有权限访问此页面。",
    404: "找不到您要访问的页面，请检查网址是否正确。", 405: "不支持此操作方式。", 409: "操作冲突，请刷新页面后重试。",
    410: "该页面已不再提供。", 413: "上传的文件太大。", 415: "不支持此文件类型。", 422: "提交的内容有误。",
    429: "操作过于频繁，请稍后再试。", 500: "服务器内部错误，请稍后再试；问题持续时请联系管理员。",
    503: "服务暂时不可用，请稍后再试。",
}
TITLES = {404: "页面不存在", 403: "无权访问", 500: "服务器内部错误", 401: "需要登录"}


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_response(status: int, code: str, message: str, fields=None, details=None):
    body = {"error": {"code": code, "message": message}}
    if fields:
        body["error"]["fields"] = fields
    if details:
        body["errors"] = details
    if wants_json():
        return jsonify(body), status
    return render_template("error.html", status=status, title=TITLES.get(status, "出错了"), message=message,
                           fields=fields, details=details), status


def init_app(app) -> None:
    @app.errorhandler(DomainError)
    def domain_error(exc):
        status = next((s for cls, s in STATUS.items() if isinstance(exc, cls)), 400)
        return error_response(status, exc.code, exc.message, exc.fields, exc.details)

    @app.errorhandler(HTTPException)
    def http_error(exc):
        status = exc.code or 500
        message = exc.description if wants_json() else HTTP_MESSAGES.get(status, exc.description)
        return error_response(status, exc.name.lower().replace(" ", "_"), message)

    @app.errorhandler(Exception)
    def unexpected(exc):
        app.logger.exception("unhandled error")
        return error_response(500, "internal_error", HTTP_MESSAGES[500])
