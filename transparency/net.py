"""The client's address, as trusted for logs and rate limits."""

from flask import request


def client_address() -> str:
    # ProxyFix (enabled by TRUSTED_PROXIES in the factory) already rewrote remote_addr.
    return request.remote_addr or "unknown"
