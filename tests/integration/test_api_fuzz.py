"""A fuzz run of the REST API from its own OpenAPI document (schemathesis), as admin BKPSDM:
whatever the body, query or path, no operation answers 5xx (CONTRACT.md: bad input is a
400/422 with an Indonesian message, never a 500).

The run writes as it pleases (admin may delete pegawai and units), so it has a database of its
own: a small demo organisation, with SKPs and evaluations in every state, in a temporary
SQLite file. Bounded: a few examples per operation and a time budget for the whole run.
`make test` runs it (marker ``fuzz``); the PostgreSQL pass leaves it out.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error

from tests.conftest import PASSWORD, make_app

pytestmark = pytest.mark.fuzz

EXAMPLES = 6  # per operation: about 70 operations
BUDGET_SECONDS = 100  # the whole run stays under two minutes


@pytest.fixture(scope="module")
def fuzz_app() -> Iterator[object]:
    from flask_migrate import upgrade

    from app import audit, demo
    from app.extensions import db

    with tempfile.TemporaryDirectory() as folder:
        url = "sqlite:///" + os.path.join(folder, "fuzz.db")
        first = make_app(url)
        with first.app_context():
            upgrade()
        app = make_app(url, UPLOAD_FOLDER=os.path.join(folder, "uploads"))
        with app.app_context():
            with audit.attributed_to("tests:fuzz"):
                demo.load_demo_data(db.session, 40)
            db.session.commit()
        yield app


@pytest.fixture(scope="module")
def admin_headers(fuzz_app) -> dict[str, str]:  # noqa: ANN001
    response = fuzz_app.test_client().post(
        "/api/v1/security/login",
        json={"username": "admin", "password": PASSWORD, "provider": "db"},
    )
    return {"Authorization": f"Bearer {response.get_json()['access_token']}"}


def test_no_operation_answers_a_server_error(fuzz_app, admin_headers):  # noqa: ANN001
    """Every operation of /api/v1/_openapi, a few generated requests each.

    schemathesis's own pytest integration (``schemathesis.pytest.from_fixture``) reads
    ``request.node._nodeid``, which pytest 9 no longer has; the operations are driven here
    through its Python API instead (one Hypothesis run per operation)."""
    api = schemathesis.openapi.from_wsgi("/api/v1/_openapi", fuzz_app, headers=admin_headers)
    started = time.monotonic()
    failures: list[str] = []
    operations = 0
    for result in api.get_all_operations():
        operation = result.ok()
        operations += 1
        if "/sesi/keluar" in operation.label:
            continue  # signing out would end the token every later operation is called with
        if time.monotonic() - started > BUDGET_SECONDS:
            break

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def run(case: schemathesis.Case) -> None:
            case.call_and_validate(headers=admin_headers, checks=[not_a_server_error])

        try:
            run()
        except Exception as error:  # noqa: BLE001 - every failing operation is reported
            failures.append(f"{operation.label}: {error}")
    assert operations > 50, operations
    assert not failures, "\n\n".join(failures)
