"""Blueprints, one per audience."""

from flask import Flask

from transparency.views import (
    admin,
    admin_import,
    answers,
    api,
    auth,
    charts,
    compare,
    contribute,
    data,
    disclosure,
    exports,
    feeds,
    health,
    public,
    replies,
    requests,
    review,
    search_api,
    two_factor,
    voter,
)

BLUEPRINTS = (
    health.bp,
    public.bp,
    disclosure.bp,
    replies.bp,
    compare.bp,
    voter.bp,
    auth.bp,
    two_factor.bp,
    contribute.bp,
    review.bp,
    requests.bp,
    answers.bp,
    admin.bp,
    admin_import.bp,
    api.bp,
    search_api.bp,
    exports.bp,
    feeds.bp,
    data.bp,
    charts.bp,
)


def init_app(app: Flask) -> None:
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
