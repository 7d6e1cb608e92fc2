"""Default settings. Overridden by instance/config.py, then TRANSPARENCY_* variables."""

from pathlib import Path

from transparency.strength import weak_key

DEFAULT_SECRET_KEY = "dev-only-change-me"  # noqa: S105 - refused outside the test runner
MIN_SECRET_KEY_LENGTH = 32


class Defaults:
    SECRET_KEY = DEFAULT_SECRET_KEY
    # Set from TRANSPARENCY_DATABASE_URL; empty means SQLite under the instance folder.
    DATABASE_URL = ""
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    # Where the Whoosh index lives; empty means instance/search-index.
    SEARCH_INDEX_DIR = ""
    # Where `flask export dump` writes dated snapshots and /data/ lists them; empty means
    # instance/dumps. Several machines: a shared folder, or the proxy serves it.
    DUMPS_DIR = ""
    # A deployment behind N reverse proxies sets this to N so client addresses are real.
    TRUSTED_PROXIES = 0
    LANGUAGES = ("id", "en")
    BABEL_DEFAULT_LOCALE = "id"
    BABEL_DEFAULT_TIMEZONE = "Asia/Jakarta"
    BABEL_TRANSLATION_DIRECTORIES = str(Path(__file__).parent / "translations")
    # Forms are text: 1 MiB is ample, and a flood of large bodies cannot fill memory. The
    # admin import raises it for its own upload (IMPORT_MAX_UPLOAD_BYTES).
    MAX_CONTENT_LENGTH = 1024 * 1024
    PER_PAGE = 50
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # A signed-in session ends after 2 hours without a request, and after 12 hours in any case.
    SESSION_IDLE_SECONDS = 2 * 3600
    SESSION_ABSOLUTE_SECONDS = 12 * 3600
    PERMANENT_SESSION_LIFETIME = 12 * 3600
    SESSION_COOKIE_SECURE = False  # also Secure whenever the request came over HTTPS
    REMEMBER_COOKIE_DURATION = 12 * 3600
    WTF_CSRF_TIME_LIMIT = 8 * 3600
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    # The canonical address, e.g. "https://jejak.example": every absolute link (feeds, API,
    # exports, e-mails) is built on it. Empty: the request's host, as TRUSTED_HOSTS allows.
    PUBLIC_URL = ""
    # Flask's own setting: the host names this site answers to; any other Host header gets
    # 400. None: 127.0.0.1, localhost and PUBLIC_URL's host.
    TRUSTED_HOSTS: list[str] | None = None
    # Registration answers 429 past these (flask-limiter syntax), per client address and for
    # the whole site; with MAIL_SERVER set, a new account waits for its e-mail link.
    REGISTER_LIMIT_PER_ADDRESS = "5 per hour"
    REGISTER_LIMIT_GLOBAL = "200 per hour"
    REGISTER_LINK_HOURS = 24
    # Log-in and second-factor posts per client address, whatever the account.
    LOGIN_LIMIT_PER_ADDRESS = "30 per minute;300 per hour"
    # Opening or sending an answer link (a request's one-time token): guessing stays slow.
    ANSWER_LIMIT_PER_ADDRESS = "10 per minute;60 per hour"
    # Roles that must set up a second factor (TOTP) before using their pages.
    TWO_FACTOR_REQUIRED_ROLES = ("admin",)
    SITE_NAME = "Jejak Terbuka"


def secret_key_problem(key: object) -> str | None:
    """What makes this secret key unfit for a server, or None."""
    if not isinstance(key, str) or not key:
        return "is not set"
    if key == DEFAULT_SECRET_KEY:
        return "is the public default"
    if len(key) < MIN_SECRET_KEY_LENGTH:
        return f"is shorter than {MIN_SECRET_KEY_LENGTH} characters"
    if weak_key(key):
        return "is easy to guess (repeats, sequences or words)"
    return None
