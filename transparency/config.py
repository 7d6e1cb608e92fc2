"""Default settings. Overridden by instance/config.py, then TRANSPARENCY_* variables."""

from pathlib import Path

DEFAULT_SECRET_KEY = "dev-only-change-me"  # noqa: S105 - refused outside debug and testing
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
    SITE_NAME = "Jejak Terbuka"


def weak_secret_key(key: object) -> bool:
    return not isinstance(key, str) or key == DEFAULT_SECRET_KEY or len(key) < MIN_SECRET_KEY_LENGTH
