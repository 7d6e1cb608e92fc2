"""Flask extensions, created unbound here and bound to the app in the factory."""

from typing import Any

from flask import has_request_context
from flask_babel import Babel
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.pagination import Pagination
from flask_wtf import CSRFProtect

from transparency.inputs import request_page
from transparency.models.base import Base
from transparency.net import client_address


def _routing_session() -> type:
    from transparency.replica import RoutingSession

    return RoutingSession


class StrictSQLAlchemy(SQLAlchemy):
    """`db.paginate` reads `?page=` with the strict parser (transparency.inputs): Flask-SQLAlchemy
    reads it with int(), so "٣" was page 3 and 2^63 reached the database as an OFFSET it cannot
    hold (a 500). A page that does not parse is a 400 naming it. Every paginated view passes its
    own per_page, so no visitor sets that."""

    def paginate(self, select: Any, *, page: int | None = None, **options: Any) -> Pagination:
        if page is None and has_request_context():
            page = request_page()
        return super().paginate(select, page=page, **options)


db = StrictSQLAlchemy(model_class=Base, session_options={"class_": _routing_session()})
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=client_address, default_limits=[])
