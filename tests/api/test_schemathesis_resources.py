"""Issue 19 item 1: schemathesis over the publication, review, document and evidence endpoints with
the ids of real rows (a decided case's draft and documents, an evidence photo, a public decision),
so that their answers with a body, including the files' bytes, are checked against the schema too;
tests/api/test_schemathesis.py covers every endpoint with generated ids. Same checks, same engine."""

import io
import random

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.db import transaction
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode

from sanxiang.accounts.services import api_token_create
from sanxiang.cases.models import IssuedDocument
from sanxiang.evidence import services as evidence
from sanxiang.publication.models import PublicationDraft
from tests.api.test_schemathesis import CHECKS, MAX_EXAMPLES, connection_kept  # noqa: F401 (a fixture)
from tests.cases.support import to_decided, world_make

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

PREFIXES = ("/api/publication/", "/api/public/", "/api/reviews", "/api/documents/", "/api/evidence/")


def test_the_new_resources_answer_real_rows_within_their_schema(connection_kept):  # noqa: F811
    w = world_make()
    case = to_decided(w)
    draft = PublicationDraft.objects.get(case=case)
    document = IssuedDocument.objects.filter(case=case).first()
    meta = evidence.evidence_metadata_check(actor=w.officer, kind="photo", original_name="现场.jpg", case=case)
    photo = evidence.evidence_ingest(actor=w.officer, source=io.BytesIO(
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + random.Random(1).randbytes(3000)), meta=meta)
    _, token = api_token_create(actor=w.head, user=w.head, name="模糊测试")
    headers = {"Authorization": f"Bearer {token}"}
    real_ids = {"case_id": case.pk, "draft_id": draft.pk, "document_id": document.pk, "record_id": photo.pk}
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", WSGIHandler())
    found: dict[tuple[str, str, int], str] = {}
    calls = server_errors = 0
    statuses: dict[int, int] = {}
    for result in schema.get_all_operations():
        operation = result.ok()
        if not operation.path.startswith(PREFIXES) and not operation.path.endswith(("/documents", "/evidence")):
            continue
        names = {p.name for p in operation.path_parameters}
        if not names & set(real_ids):
            continue
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            strategy = operation.as_strategy(generation_mode=mode,
                                             path_parameters={k: v for k, v in real_ids.items() if k in names})

            @given(case=strategy)
            @settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
                      phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
            def run(case):
                nonlocal calls, server_errors
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
                except (Exception, BaseExceptionGroup) as failure:
                    for one in getattr(failure, "exceptions", [failure]):
                        kind = getattr(one, "title", type(one).__name__)
                        found.setdefault((case.operation.label, kind, response.status_code), case.as_curl_command())

            run()
    failures = [f"{op} → {status}: {kind}\n    {curl}" for (op, kind, status), curl in sorted(found.items())]
    print(f"schemathesis (new resources, real ids): {calls} requests ({dict(sorted(statuses.items()))}), "
          f"{server_errors} server errors, {len(failures)} distinct failures")
    assert statuses.get(200, 0) > 20  # the real rows were read, files included
    assert failures == [], "\n".join(failures)
