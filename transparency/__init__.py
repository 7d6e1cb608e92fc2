"""Jejak Terbuka: election candidates' track records, open and comparable."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from transparency import (
    auth,
    auth_forms,
    cli,
    database,
    derived,
    disclosure,
    errors,
    i18n,
    inputs,
    mail,
    replica,
    revisions,
    search,
    security,
    templating,
    unit_of_work,
    views,
)
from transparency.config import Defaults, secret_key_problem
from transparency.extensions import csrf, db, limiter, migrate

ROOT = Path(__file__).resolve().parent.parent


def site_folder(name: str) -> Path:
    """templates/ or static/: inside the package in a wheel (setup.py puts them there),
    beside it in a checkout."""
    shipped = Path(__file__).resolve().parent / name
    return shipped if shipped.is_dir() else ROOT / name


class WeakSecretKey(RuntimeError):
    pass


class MissingExtra(RuntimeError):
    """A setting needs an optional package that is not installed."""


REDIS_SCHEMES = ("redis://", "rediss://", "redis+sentinel://", "redis+cluster://", "redis+unix://")


def require_storage_package(app: Flask) -> None:
    """A redis:// rate-limit store needs the `redis` package (the `redis` extra): say so at
    start-up, naming the extra, instead of failing inside flask-limiter."""
    uri = str(app.config.get("RATELIMIT_STORAGE_URI") or "")
    if not uri.startswith(REDIS_SCHEMES):
        return
    try:
        import redis  # noqa: F401 - only its presence is checked
    except ImportError:
        raise MissingExtra(
            f"Refusing to start: RATELIMIT_STORAGE_URI is {uri.split('://')[0]}://..., which "
            "needs the Python package 'redis'. Install the project with its redis extra: "
            "pip install '.[redis]' (or pip install 'transparency[redis]')."
        ) from None


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(site_folder("templates")),
        static_folder=str(site_folder("static")),
    )
    app.config.from_object(Defaults)
    if test_config is None:  # tests never read a developer's local instance/config.py
        app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("TRANSPARENCY")
    if test_config is not None:
        app.config.update(test_config)
    refuse_unsafe_production(app)
    require_storage_package(app)

    inputs.init_app(app)  # before any route is added: the strict `int` converter
    database.configure(app)
    database.init_app(app)
    unit_of_work.init_app(app)  # requests commit once, after the view returns
    replica.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(Path(__file__).parent / "migrations"),
        render_as_batch=True,
        compare_type=True,
    )
    csrf.init_app(app)
    mail.init_app(app)
    limiter.init_app(app)
    revisions.init_app(app)
    derived.init_app(app)  # the change channel; consumers register in their own init_app
    disclosure.init_app(app)
    search.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    auth.init_app(app)  # after security: an expired session is cleared before access checks
    auth_forms.init_app(app)
    templating.init_app(app)
    errors.init_app(app)
    views.init_app(app)
    cli.init_app(app)
    return app


def served_by_gunicorn() -> bool:
    """True in a gunicorn worker (`make serve` included): its arbiter forked this process."""
    return "gunicorn.arbiter" in sys.modules


def refuse_unsafe_production(app: Flask) -> None:
    """Production safety that no setting switches off.

    Under gunicorn, DEBUG and TESTING are turned off whatever the environment says (no
    debugger, no test shortcuts), and a weak secret key stops the start. Elsewhere only the
    test runner (TESTING) may start with a weak key: `flask run` refuses it too, debug or not.
    """
    if served_by_gunicorn():
        if app.debug or app.testing:
            app.logger.warning("DEBUG and TESTING are ignored under gunicorn: both are off.")
        app.debug = False
        app.testing = False
    if app.testing:
        return
    problem = secret_key_problem(app.config.get("SECRET_KEY"))
    if problem:
        raise WeakSecretKey(
            f"Refusing to start: SECRET_KEY {problem}. "
            "Set TRANSPARENCY_SECRET_KEY in the environment, or SECRET_KEY in "
            f"{Path(app.instance_path) / 'config.py'}, to a random value (for example: "
            "python -c 'import secrets; print(secrets.token_urlsafe(48))')."
        )
