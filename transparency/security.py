"""Security by default: headers on every response, cookie flags, session lifetimes, proxies."""

from __future__ import annotations

import time

from flask import Flask, Response, request, session
from flask.sessions import SecureCookieSessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: https:",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    )
)
# Session keys that carry the lifetimes; kept apart from what the views store.
CREATED, SEEN = "_created", "_seen"
SEEN_RESOLUTION_SECONDS = 60


class SessionInterface(SecureCookieSessionInterface):
    """Session cookies are Secure whenever the request came over HTTPS, not only by setting."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure


def add_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


def expire_session(app: Flask) -> None:
    """End a session that was idle too long or has lived past its absolute limit."""
    if not session:
        return
    now = time.time()
    created = session.get(CREATED, now)
    seen = session.get(SEEN, now)
    too_old = now - created > app.config["SESSION_ABSOLUTE_SECONDS"]
    too_idle = now - seen > app.config["SESSION_IDLE_SECONDS"]
    if too_old or too_idle:
        session.clear()
        return
    if CREATED not in session:
        session[CREATED] = now
    if now - seen >= SEEN_RESOLUTION_SECONDS or SEEN not in session:
        session[SEEN] = now


def init_app(app: Flask) -> None:
    app.session_interface = SessionInterface()
    if app.config["TRUSTED_PROXIES"]:
        hops = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    app.before_request(lambda: expire_session(app))
    app.after_request(add_security_headers)
