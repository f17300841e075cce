"""Issue 10: schemathesis against the live OpenAPI description, through a real WSGI call (so
Django's CSRF middleware is on, unlike the test client), authenticated with a bearer token, on
the engine the suite runs on (SQLite, or PostgreSQL when DATABASE_URL is set).

Every operation gets valid (positive) and invalid (negative) requests, also with the ids of a
real case, agency and officer; the run is seeded and bounded so that it stays well under two
minutes. It fails on any server error and on any response that breaks the schema (its body, its
status code or its content type)."""

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from sanxiang.accounts.services import api_token_create
from tests.cases.support import lead_make, world_make

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

MAX_EXAMPLES = 15
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance, content_type_conformance]


@pytest.fixture
def connection_kept():
    """The test's transaction lives on the database connection; a real WSGI handler closes a
    connection at the start and end of a request, which Django's test client prevents too."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


def test_the_api_answers_every_generated_request_without_a_server_error_and_within_its_schema(connection_kept):
    w = world_make()
    lead = lead_make(w)
    _, token = api_token_create(actor=w.officer, user=w.officer, name="模糊测试")
    headers = {"Authorization": f"Bearer {token}"}
    real_ids = {"case_id": lead.pk, "agency_id": w.agency.pk, "officer_id": w.zhang.pk}
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", WSGIHandler())
    found: dict[tuple[str, str, int], str] = {}  # (operation, failure, status) -> one request that shows it
    calls = server_errors = 0
    statuses: dict[int, int] = {}

    def with_real_parties(case):
        # A registration naming this agency's party and officers gets past the lookups to the
        # service, with whatever title, dates and field the fuzzer chose.
        if isinstance(case.body, dict):
            case.body = {**case.body, "party_id": w.company.pk, "officer_ids": [w.zhang.pk, w.li.pk]}
        return case

    for result in schema.get_all_operations():
        operation = result.ok()
        names = {p.name for p in operation.path_parameters}
        variants = [(None, None)]
        if names & set(real_ids):
            variants.append(({k: v for k, v in real_ids.items() if k in names}, None))
        if operation.method.upper() == "POST" and operation.path == "/api/cases":
            variants.append((None, with_real_parties))
        for path_parameters, fix in variants:
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                strategy = operation.as_strategy(generation_mode=mode, path_parameters=path_parameters)
                if fix is not None:
                    strategy = strategy.map(fix)

                @given(case=strategy)
                @settings(
                    max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
                    phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck),
                )
                def run(case):
                    nonlocal calls, server_errors
                    # What a request wrote stays (a case created here is then listed, read and acted
                    # on), but a server error is rolled back to its savepoint: on PostgreSQL a failed
                    # statement aborts the transaction and would hide every later request.
                    savepoint = transaction.savepoint()
                    response = case.call(headers=headers)
                    if response.status_code >= 500:
                        transaction.savepoint_rollback(savepoint)
                    else:
                        transaction.savepoint_commit(savepoint)
                    calls += 1
                    statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
                    server_errors += response.status_code >= 500
                    try:
                        case.validate_response(response, checks=CHECKS)
                    except (Exception, BaseExceptionGroup) as failure:  # collect them all, the report names each
                        for one in getattr(failure, "exceptions", [failure]):
                            kind = getattr(one, "title", type(one).__name__)
                            found.setdefault((case.operation.label, kind, response.status_code), case.as_curl_command())

                run()

    failures = [f"{op} → {status}: {kind}\n    {curl}" for (op, kind, status), curl in sorted(found.items())]
    print(f"schemathesis: {calls} requests ({dict(sorted(statuses.items()))}), {server_errors} server errors, "
          f"{len(failures)} distinct failures")
    assert calls > 100
    assert failures == [], "\n".join(failures)
