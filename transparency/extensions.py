"""Flask extensions, created unbound here and bound to the app in the factory."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from transparency.models.base import Base
from transparency.net import client_address


def _routing_session() -> type:
    from transparency.replica import RoutingSession

    return RoutingSession


db = SQLAlchemy(model_class=Base, session_options={"class_": _routing_session()})
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=client_address, default_limits=[])
