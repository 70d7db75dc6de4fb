"""`@idempotent`: a POST that creates something, sent twice with one `Idempotency-Key`, creates it once.

The key comes from the `Idempotency-Key` header (API clients) or the form's hidden
`idempotency_key` field (pages put a fresh one in every form, so a double-click or a browser
retry is one submission). The engine stores the key with the response (`engine.idempotency`).
"""

import hashlib
import json
import uuid
from functools import wraps

from flask import current_app, request

from engine import idempotency
from web import ratelimit
from web.auth import current_user

HEADER = "Idempotency-Key"
FORM_FIELD = "idempotency_key"
_NOT_CONTENT = {"csrf_token", FORM_FIELD}
_REPLAYED_HEADERS = ("Content-Type", "Location")


def idempotent(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        key = _key()
        if key is None:
            return view(*args, **kwargs)
        scope = _scope()
        stored = idempotency.begin(scope, key, _fingerprint())
        if stored is not None:
            return _replay(stored)
        try:
            response = current_app.make_response(view(*args, **kwargs))
        except BaseException:
            idempotency.release(scope, key)
            raise
        if response.status_code >= 400:  # nothing was created: the client may retry this key
            idempotency.release(scope, key)
        else:
            idempotency.finish(scope, key, idempotency.Stored(
                response.status_code, {h: response.headers[h] for h in _REPLAYED_HEADERS if h in response.headers},
                response.get_data(as_text=True)))
        return response

    wrapped.idempotent = True  # the OpenAPI document declares the header for it
    return wrapped


def _scope() -> str:
    # A key is the caller's own: a logged-in user's, or for the public an address's, so that a
    # guessed key with a guessed body cannot fetch someone else's answer (it holds an access code).
    user = current_user()
    return f"user:{user.id}" if user is not None else f"public:{ratelimit.client_ip()}"[:100]


def _key() -> str | None:
    key = request.headers.get(HEADER)
    if key is None and request.mimetype in ("multipart/form-data", "application/x-www-form-urlencoded"):
        key = request.form.get(FORM_FIELD)
    return key.strip() if key is not None else None


def _fingerprint() -> str:
    """Hash what the request asks for: the path and the body's content (not a form's random boundary)."""
    digest = hashlib.sha256(f"{request.method} {request.path}\0".encode())
    if request.mimetype in ("multipart/form-data", "application/x-www-form-urlencoded"):
        fields = sorted((k, v) for k, vs in request.form.lists() if k not in _NOT_CONTENT for v in vs)
        digest.update(json.dumps(fields, ensure_ascii=False).encode())
        for name, upload in sorted(request.files.items(multi=True), key=lambda item: item[0]):
            content = upload.stream.read()
            upload.stream.seek(0)
            digest.update(f"\0{name}\0{upload.filename}\0".encode() + hashlib.sha256(content).digest())
    else:
        body = request.get_json(silent=True, cache=True)
        digest.update(json.dumps(body, sort_keys=True, ensure_ascii=False).encode() if body is not None
                      else request.get_data(cache=True))
    return digest.hexdigest()


def _replay(stored):
    response = current_app.response_class(stored.body, status=stored.status, headers=stored.headers)
    response.headers["Idempotent-Replayed"] = "true"
    return response


def init_app(app) -> None:
    """Give templates `idempotency_key()`: a fresh key for each rendered form."""
    app.jinja_env.globals["idempotency_key"] = lambda: uuid.uuid4().hex
