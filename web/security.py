"""Response headers every page and API answer carries, the session cookie's Secure flag, and the
trusted-proxy middleware (web.proxies) wired from settings.

The policy allows scripts and styles from this site only (styles inline too: the diagram editors
write style attributes); nothing may frame our pages.
"""

from flask import request
from flask.sessions import SecureCookieSessionInterface

from web.proxies import TrustedProxies, parse_networks

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


class SessionInterface(SecureCookieSessionInterface):
    """Mark the cookie Secure whenever the request came over HTTPS (directly or via a trusted proxy)."""

    def get_cookie_secure(self, app) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"] or request.is_secure)


def init_app(app, settings) -> None:
    app.wsgi_app = TrustedProxies(app.wsgi_app, parse_networks(settings.trusted_proxies))
    app.session_interface = SessionInterface()

    @app.after_request
    def security_headers(response):
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response
