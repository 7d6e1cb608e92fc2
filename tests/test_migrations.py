"""The migrations and the models describe the same schema; init-db is idempotent."""

import json
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import upgrade
from sqlalchemy import create_engine, func, inspect, select, text

from tests.conftest import POSTGRES_URL, database_config, drop_test_tables, new_schema_name
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
    drop_test_tables(app, migrated=True)


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
    drop_test_tables(app, migrated=True)


# -- migrations are additive: a database of an earlier head upgrades with its data ---------

FIXTURES = Path(__file__).parent / "migrations"


def migration_script(app) -> ScriptDirectory:
    return ScriptDirectory(str(Path(app.extensions["migrate"].directory)))


def fixture_revisions() -> list[str]:
    return sorted(path.stem for path in FIXTURES.glob("*.json"))


@pytest.fixture
def empty_database(app_config: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Settings of an empty database: a new SQLite file, or a PostgreSQL schema of its own."""
    if not POSTGRES_URL:
        yield app_config
        return
    schema = new_schema_name()
    engine = create_engine(POSTGRES_URL)
    with engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield {**app_config, **database_config(Path(), schema)}
    finally:
        with engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


def as_json(value: Any) -> Any:
    return json.dumps(value) if isinstance(value, dict | list) else value


def stored(value: Any, expected: Any) -> Any:
    """A value read back with SQL, in the fixture's JSON form (SQLite gives 0/1 and text,
    PostgreSQL booleans, dates and decoded JSON)."""
    if value is None:
        return None
    if isinstance(expected, bool):
        return bool(value)
    if isinstance(expected, dict | list):
        return json.loads(value) if isinstance(value, str) else value
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return value


@pytest.mark.parametrize("revision", fixture_revisions())
def test_a_database_of_an_earlier_head_upgrades_with_its_data(empty_database, revision):
    fixture = json.loads((FIXTURES / f"{revision}.json").read_text(encoding="utf-8"))
    assert fixture["revision"] == revision
    app = create_app(empty_database)
    with app.app_context():
        upgrade(revision=revision)
        with db.engine.begin() as connection:
            for table, rows in fixture["tables"].items():
                for row in rows:
                    names = ", ".join(row)
                    marks = ", ".join(f":{name}" for name in row)
                    connection.execute(
                        text(f"INSERT INTO {table} ({names}) VALUES ({marks})"),  # noqa: S608
                        {k: as_json(v) for k, v in row.items()},
                    )
        upgrade()
        with db.engine.connect() as connection:
            head = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
            assert head == migration_script(app).get_current_head()
            for table, rows in fixture["tables"].items():
                for row in rows:
                    # by id; association and bookkeeping rows by their first two columns
                    keys = ["id"] if "id" in row else list(row)[:2]
                    where = " AND ".join(f"{k} = :{k}" for k in keys)
                    found = (
                        connection.execute(
                            text(f"SELECT {', '.join(row)} FROM {table} WHERE {where}"),  # noqa: S608
                            {k: row[k] for k in keys},
                        )
                        .mappings()
                        .one()
                    )
                    assert {k: stored(found[k], v) for k, v in row.items()} == row, table
        db.engine.dispose()


def test_each_schema_change_brings_a_data_fixture(app):
    """The head is at most one revision past the newest fixture: a new revision comes with
    a fixture of a database at the revision before it (tests/migrations/<revision>.json),
    so the upgrade test above runs over the change."""
    script = migration_script(app)
    fixtures = set(fixture_revisions())
    assert fixtures, "tests/migrations holds no fixture"
    newer = []
    for step in script.walk_revisions():
        if step.revision in fixtures:
            break
        newer.append(step.revision)
    assert len(newer) <= 1, (
        f"revisions {newer} are newer than the newest fixture in tests/migrations: add "
        f"{newer[-1]}.json, a few fictional rows of a database at that revision"
    )


def test_accounts_made_before_public_names_get_the_default_one(empty_database):
    """a7d3f19c2e60: every existing account is "Relawan #<its id>" until its user chooses."""
    app = create_app(empty_database)
    with app.app_context():
        upgrade(revision="e41d7a9c2b55")
        with db.engine.begin() as connection:
            for ident, email in ((3, "ani@contoh.example"), (17, "budi@contoh.example")):
                connection.execute(
                    text(
                        "INSERT INTO user_account (id, email, name, password_hash, role, active,"
                        " session_version, created_at) VALUES (:id, :email, :email, 'x',"
                        " 'volunteer', :active, 1, '2023-11-15 08:00:00')"
                    ),
                    {"id": ident, "email": email, "active": True},
                )
        upgrade()
        with db.engine.connect() as connection:
            rows = connection.execute(
                text("SELECT id, display_name, display_key FROM user_account ORDER BY id")
            ).all()
        db.engine.dispose()
    assert [tuple(row) for row in rows] == [
        (3, "Relawan #3", "relawan #3"),
        (17, "Relawan #17", "relawan #17"),
    ]
