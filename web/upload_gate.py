"""`@gated(...)`: every route that takes a file runs each one through `engine.uploads` first.

A route declares what it takes — multipart fields and their kinds, a raw body, or JSON keys whose
text is a file (the diagram editor's XML) — and a bomb, a wrong extension or a broken file is a 422
naming it before the handler reads a byte. The declaration is kept on the view
(`view.upload_fields`), so a test can find every route of the app that accepts a file.
"""

from __future__ import annotations

from functools import wraps

from flask import request

from engine import uploads
from engine.errors import Invalid
from web.auth import current_user

EVIDENCE_KINDS = frozenset({"pdf", "doc", "docx", "xls", "xlsx", "wps", "ofd", "jpeg", "png", "txt"})


def gated(files: dict[str, set[str] | frozenset[str]] | None = None, body: str | None = None,
          json_text: dict[str, str] | None = None, in_view: bool = False):
    """Check the declared uploads of a request before the view runs (signed-in callers only).

    `files` maps a multipart field to its allowed kinds; `body` is the kind of the raw body ("xml",
    "json"); `json_text` maps keys of a JSON body whose string value is a file to its kind.
    `in_view`: the view calls `check()` itself first, inside the code that shows errors beside the
    form it keeps filled in (a page form).
    """
    declared = {"files": dict(files or {}), "body": body, "json_text": dict(json_text or {})}

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if current_user() is not None and not in_view:  # an anonymous caller gets the view's 401
                check(declared)
            return view(*args, **kwargs)

        wrapped.upload_fields = declared
        return wrapped

    return decorator


def check(declared: dict) -> None:
    """Run the request's declared uploads through the gate; raise Invalid naming the first bad file."""
    for field, kinds in declared["files"].items():
        for upload in request.files.getlist(field):
            if not upload.filename:
                continue
            data = upload.stream.read(uploads.MAX_BYTES + 1)
            upload.stream.seek(0)
            uploads.check(upload.filename, data, kinds, field=field)
    raw = request.get_data(cache=True) if declared["body"] else b""
    if raw:  # an empty body is the handler's to refuse, with its own message
        try:
            uploads.check(f"request.{declared['body']}", raw, {declared["body"]}, field="body")
        except Invalid as exc:  # said as the diagram validator says it: [{element_id, message}]
            raise Invalid(exc.message, exc.fields, [{"element_id": "", "message": exc.message}]) from None
    for key, kind in declared["json_text"].items():
        body = request.get_json(silent=True)
        value = body.get(key) if isinstance(body, dict) else None
        if isinstance(value, str) and value:
            uploads.check(f"{key}.{kind}", value.encode("utf-8"), {kind}, field=key)
