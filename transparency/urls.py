"""Absolute links: built on PUBLIC_URL, the site's canonical address, never on the Host header.

Feeds, API answers, exports and e-mails carry absolute links, and some are cached publicly:
a link built from whatever Host a client sent would send every later reader there. With
PUBLIC_URL empty (development), links use the request's host, which TRUSTED_HOSTS limits to
the names this site answers to.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app, has_request_context, request, url_for

DEVELOPMENT_URL = "http://127.0.0.1:5000/"
# Host names every installation answers to: `make run` serves on 127.0.0.1, browsers may say
# localhost. An operator's TRUSTED_HOSTS replaces these.
LOCAL_HOSTS = ("127.0.0.1", "localhost")


class PublicUrlError(ValueError):
    pass


def check_public_url(value: str) -> str:
    """PUBLIC_URL as scheme://host[:port][/prefix], without query or fragment."""
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise PublicUrlError(
            f"PUBLIC_URL must look like https://jejak.example (scheme and host), not {value!r}"
        )
    return value.rstrip("/") + "/"


def public_root() -> str:
    """The site's address, ending in "/": PUBLIC_URL, else this request's (trusted) root."""
    configured = current_app.config.get("PUBLIC_URL") or ""
    if configured:
        return str(configured)
    if has_request_context():
        return request.url_root
    return DEVELOPMENT_URL


def _path(path: str) -> str:
    """A path from url_for without the mount point, which public_root already holds."""
    root = request.script_root if has_request_context() else ""
    return path[len(root) :] if root and path.startswith(root) else path


def public_url_for(endpoint: str, **values: Any) -> str:
    return public_root().rstrip("/") + _path(url_for(endpoint, **values))


def public_request_url() -> str:
    """This request's own address (path and query) on the public root."""
    query = request.query_string.decode("ascii", "replace")
    return public_root().rstrip("/") + request.path + (f"?{query}" if query else "")


def trusted_hosts(app: Flask) -> list[str]:
    """TRUSTED_HOSTS as set, else the local names and PUBLIC_URL's host."""
    configured = app.config.get("TRUSTED_HOSTS")
    if isinstance(configured, str):  # TRANSPARENCY_TRUSTED_HOSTS=a.example,b.example
        configured = [host.strip() for host in configured.split(",") if host.strip()]
    if configured is not None:
        return [str(host) for host in configured]
    hosts = list(LOCAL_HOSTS)
    public = app.config.get("PUBLIC_URL") or ""
    if public:
        hosts.append(urlsplit(public).hostname or "")
    return hosts


def init_app(app: Flask) -> None:
    app.config["PUBLIC_URL"] = check_public_url(str(app.config.get("PUBLIC_URL") or ""))
    app.config["TRUSTED_HOSTS"] = trusted_hosts(app)
