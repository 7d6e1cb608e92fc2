"""The API against its own OpenAPI document, by schemathesis: every documented operation,
generated valid and invalid requests, every check, a fixed seed; 0 failures.

Bounded so the suite stays fast: a fixed number of examples per operation, each answer
within RESPONSE_LIMIT seconds, no example database, a fixed seed so a failure is
reproducible with the same command (about 30 s for the nine operations).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from transparency import create_app
from transparency.api import openapi, parameters
from transparency.extensions import db
from transparency.reference import load_reference_data

SEED = 20261201
EXAMPLES = 30
# Seconds one answer may take: max_response_time is the one check that is off until given a
# limit; with it every check runs, and no request can stall the run.
RESPONSE_LIMIT = 10.0
CONFIG = {
    "seed": SEED,
    "generation": {"max-examples": EXAMPLES, "database": "none", "deterministic": True},
    "checks": {"enabled": True, "max_response_time": RESPONSE_LIMIT},
}


@pytest.fixture
def dataset(make) -> None:
    """A small real dataset (search index included) for the generated requests to meet."""
    make.candidacy("Siti Rahayu", party_number=1, disclosure={"cv": "refused"})
    make.candidacy("Andi Nelayan", district="3301", party_number=2, programme=["Nelayan"])
    make.candidacy("Calon DPD", office="DPD", district="33", party_number=None)
    db.session.remove()


def reference_values() -> parameters.KnownValues:
    """The filter values of a database holding the reference data, as every test app does.

    Read at collection (schemathesis makes one test per operation from the document), from
    a throw-away SQLite database.
    """
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "schema-" + "x" * 40,
                "DATABASE_URL": f"sqlite:///{Path(folder) / 'reference.db'}",
                "SEARCH_INDEX_DIR": str(Path(folder) / "index"),
            }
        )
        with app.app_context():
            db.create_all()
            # As the `app` fixture loads it (tests/conftest.py): the national level only, so
            # the document enumerates exactly the districts the app under test knows.
            load_reference_data(db.session, areas=False)
            db.session.commit()
            known = parameters.known_values(db.session)
            db.session.remove()
            db.engine.dispose()
    return known


# The document the app serves at /api/v1/openapi.json, built by the same function with the
# same values (tests/test_api_openapi.py checks the live one).
schema = schemathesis.openapi.from_dict(
    openapi.document("http://localhost/", known=reference_values()),
    config=SchemathesisConfig.from_dict(CONFIG),
)


@schema.parametrize()
# The app and its data are read, never changed, by these GET requests: sharing them is safe.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_the_api_keeps_its_documented_promises(case, app, dataset):
    case.call_and_validate(app=app)
