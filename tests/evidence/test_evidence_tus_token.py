"""Issue 19: an integrator uploads evidence through tus with the API's bearer token, as a browser
does with its session: the same checks of the user's rights, no CSRF token (a browser never sends
the token on its own), and a session request still needs its CSRF token."""

import hashlib

import pytest
from django.test import Client

from sanxiang.evidence.models import EvidenceRecord, UploadSession
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from tests.api.support import bearer
from tests.evidence.conftest import mp4_bytes
from tests.evidence.test_evidence_tus import ENDPOINT, TUS, create, head, metadata, patch

pytestmark = pytest.mark.django_db


def token_client(user) -> tuple[Client, dict]:
    """A client as another system is: CSRF checks on, no session, the token in every request."""
    return Client(enforce_csrf_checks=True), {"Authorization": bearer(user)["HTTP_AUTHORIZATION"]}


def test_an_upload_with_a_token_from_creation_to_the_cases_evidence(user, case):
    client, auth = token_client(user)
    data = mp4_bytes(250_000)
    created = client.post(ENDPOINT, headers=TUS | auth | {"Upload-Length": str(len(data)), "Upload-Metadata": metadata(
        filename="执法记录仪.mp4", kind="video", case=case.pk, step="inspection", device="DSJ-9")})
    assert created.status_code == 201, created.content
    url = created["Location"]
    assert client.head(url, headers=TUS | auth)["Upload-Offset"] == "0"
    first = patch(client, url, 0, data[:100_000], checksum="sha256", **auth)
    assert first.status_code == 204 and first["Upload-Offset"] == "100000"
    last = patch(client, url, 100_000, data[100_000:], **auth)
    assert last.status_code == 204 and last["Upload-Offset"] == str(len(data))
    record = EvidenceRecord.objects.get()
    assert (record.case_id, record.step, record.device_number, record.kind) == (case.pk, "inspection", "DSJ-9", "video")
    assert record.stored_file.sha256 == hashlib.sha256(data).hexdigest() == last["Sanxiang-Evidence-Sha256"]
    assert Entry.objects.filter(kind=EventKind.FILE_RECEIVED).count() == 1
    # The case's evidence, through the API with the same token.
    listed = client.get(f"/api/cases/{case.pk}/evidence", HTTP_AUTHORIZATION=auth["Authorization"])
    assert [i["id"] for i in listed.json()["items"]] == [record.pk]


def test_a_token_has_the_rights_of_its_user_and_nothing_more(case, other_user, user):
    """Another agency's officer, with a valid token, cannot upload into the case; an invalid
    token is 401 (not a session's login page); the upload of one user is not another's."""
    client, other = token_client(other_user)
    refused = client.post(ENDPOINT, headers=TUS | other | {
        "Upload-Length": "100", "Upload-Metadata": metadata(filename="a.mp4", kind="video", case=case.pk)})
    assert refused.status_code == 404 and not UploadSession.objects.exists()  # as for its session (another agency)
    bad = client.post(ENDPOINT, headers=TUS | {"Authorization": "Bearer sx_forged", "Upload-Length": "100"})
    assert bad.status_code == 401 and bad["WWW-Authenticate"] == "Bearer"
    _, mine = token_client(user)
    url = client.post(ENDPOINT, headers=TUS | mine | {
        "Upload-Length": "100", "Upload-Metadata": metadata(filename="a.mp4", kind="video")})["Location"]
    assert client.head(url, headers=TUS | other).status_code == 404


def test_a_session_request_still_needs_its_csrf_token(user):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)
    refused = create(strict, 100)
    assert refused.status_code == 403 and refused["Tus-Resumable"] == "1.0.0"
    assert head(strict, "/staff/evidence/tus/00000000-0000-0000-0000-000000000000").status_code == 404  # HEAD is safe
