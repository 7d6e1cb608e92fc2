"""Security by default: headers on every response, cookie flags, session lifetimes, proxies,
and only the host names this site answers to (TRUSTED_HOSTS)."""

from __future__ import annotations

import time

from flask import Flask, Response, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_babel import gettext as _
from werkzeug.exceptions import SecurityError
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.serving import WSGIRequestHandler

from transparency import urls

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


def refuse_untrusted_host() -> Response | None:
    """A Host header outside TRUSTED_HOSTS: 400 before any other hook or page runs.

    Flask finds it while matching the URL and leaves no way to build URLs, so the answer is
    plain text rather than the error page."""
    if isinstance(request.routing_exception, SecurityError):
        body = _("Bad request: this site does not answer to that host name.") + "\n"
        return Response(body, status=400, mimetype="text/plain")
    return None


def quiet_development_server() -> None:
    """Werkzeug's development server (`flask run`) names itself and Python's version in a
    Server header on every answer; say only that it is a development server."""
    WSGIRequestHandler.version_string = lambda _self: "development server"  # type: ignore[method-assign]


def init_app(app: Flask) -> None:
    app.session_interface = SessionInterface()
    urls.init_app(app)
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_untrusted_host)
    if app.config["TRUSTED_PROXIES"]:
        hops = int(app.config["TRUSTED_PROXIES"])
        # Not X-Forwarded-Host: the proxy passes the visitor's Host header on unchanged
        # (docs/deploy.md), and a forwarded one could name any host.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0)  # type: ignore[method-assign]
    quiet_development_server()
    app.before_request(lambda: expire_session(app))
    app.after_request(add_security_headers)
