"""The migrations and the models describe the same schema; init-db is idempotent."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import func, inspect, select

from transparency import create_app
from transparency.extensions import db
from transparency.models import District, Party, Region, Revision


def migrated_app(app_config):
    app = create_app(app_config)
    with app.app_context():
        upgrade()
    return app


def test_migrations_match_the_models(app_config):
    app = migrated_app(app_config)
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_as_batch": True}
        )
        differences = compare_metadata(context, db.metadata)
        tables = set(inspect(connection).get_table_names())
    assert differences == []
    assert {"candidacy", "revision", "disclosure_item"} <= tables
    with app.app_context():
        db.drop_all()
        db.session.execute(db.text("DROP TABLE IF EXISTS alembic_version"))
        db.session.commit()
        db.engine.dispose()


def test_init_db_twice_changes_nothing(app_config):
    app = create_app(app_config)
    runner = app.test_cli_runner()

    def counts():
        with app.app_context():
            return {
                model.__name__: db.session.scalar(select(func.count()).select_from(model))
                for model in (District, Party, Region, Revision)
            }

    first = runner.invoke(args=["init-db"])
    assert first.exit_code == 0, first.output
    after_first = counts()
    second = runner.invoke(args=["init-db"])
    assert second.exit_code == 0, second.output
    assert counts() == after_first
    assert after_first["Party"] == 24
    # 38 provinces, 514 kab/kota, 7,270 kecamatan, 315 desa of split kecamatan, abroad
    assert after_first["Region"] == 38 + 514 + 7270 + 315 + 1
    assert after_first["District"] == 84 + 38 + 301 + 2325
    with app.app_context():
        db.drop_all()
        db.session.execute(db.text("DROP TABLE IF EXISTS alembic_version"))
        db.session.commit()
        db.engine.dispose()
