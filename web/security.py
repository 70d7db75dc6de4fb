"""Response headers every page and API answer carries, the session cookie's Secure flag, and the
trusted-proxy middleware (web.proxies) wired from settings.

The policy allows scripts and styles from this site only (styles inline too: the diagram editors
write style attributes); nothing may frame our pages.
"""

from flask import request
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature

from engine import clock
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


# Hosts behind one load balancer keep clocks that differ by a little: Flask's own check refuses a
# cookie "signed in the future", so a login on a host a second ahead would be lost on the next.
CLOCK_SKEW_SECONDS = 60


class SessionInterface(SecureCookieSessionInterface):
    """Mark the cookie Secure whenever the request came over HTTPS (directly or via a trusted proxy),
    and accept a cookie another host signed up to CLOCK_SKEW_SECONDS ahead of this one's clock."""

    def get_cookie_secure(self, app) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"] or request.is_secure)

    def open_session(self, app, request):
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:  # an API call with a token: no signer to build (Flask builds one per request)
            return self.session_class() if app.secret_key else None
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        try:
            data, signed_at = serializer.loads(value, return_timestamp=True)
        except BadSignature:
            return self.session_class()
        age = clock.timestamp() - signed_at.timestamp()
        if not -CLOCK_SKEW_SECONDS <= age <= app.permanent_session_lifetime.total_seconds():
            return self.session_class()
        return self.session_class(data)


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
