"""Issue 19: 制度文件 through the API, as their pages: the checklist (the agency's own, the county's for
the 司法局), a document with its history, submitted with its file (multipart) by the agency's head,
returned with a reason and accepted by the receiving bureau's supervisor, resubmitted, each file
downloaded with an access-log entry; every bad field named in a 422, every reason of a refusal in a
409, the wrong side 403, another county's document 404, an Idempotency-Key replayed without a second
document. Bearer tokens, CSRF checks on."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from sanxiang.access.models import AccessLogEntry
from sanxiang.evaluation.models import SystemDocument
from sanxiang.publication.models import PublicSystemDocument
from tests.api.support import bearer
from tests.evaluation.support import PDF, PNG, county_make

pytestmark = pytest.mark.django_db

URL = "/api/system-documents"


def upload(content: bytes = PDF, name: str = "制度.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def submit(client, auth, *, file=None, headers=None, **fields):
    data = {"kind": "rules", "title": "行政执法公示制度", "public": "true"} | fields
    if file is not False:
        data["file"] = file or upload()
    return client.post(URL, data=data, **auth, **(headers or {}))


def test_the_agency_submits_the_bureau_returns_and_accepts_each_file_downloaded_and_logged(client):
    county = county_make()
    head, supervisor = bearer(county.head), bearer(county.supervisor)
    done = submit(client, head, headers={"HTTP_IDEMPOTENCY_KEY": "doc-1"})
    assert done.status_code == 201, done.content
    body = done.json()
    assert (body["status"], body["version"], body["bureau_id"], body["actions"]) == (
        "submitted", 1, county.bureau.pk, [])
    assert [s["action"] for s in body["steps"]] == ["submit"] and body["file"]["content_type"] == "application/pdf"
    # Sent again with its key: the first answer, not a second document.
    again = submit(client, head, headers={"HTTP_IDEMPOTENCY_KEY": "doc-1"})
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true" and again.json()["id"] == body["id"]
    assert SystemDocument.objects.count() == 1
    url = f"{URL}/{body['id']}"
    # The supervisor sees it waiting and may review it; the agency may not (403), nor resubmit now (409).
    assert client.get(url, **supervisor).json()["actions"] == ["accept", "return"]
    checklist = client.get(f"{URL}/checklist", **supervisor).json()
    assert [d["id"] for d in checklist["waiting_review"]] == [body["id"]] and not checklist["may_submit"]
    assert {a["agency_id"] for a in checklist["agencies"]} == {county.agency.pk, county.other.pk}
    review = f"{url}/review"
    assert client.post(review, data=json.dumps({"action": "accept"}), content_type="application/json",
                       **head).status_code == 403
    early = client.post(f"{url}/resubmit", data={"file": upload()}, **head)
    assert early.status_code == 409 and [v["code"] for v in early.json()["violations"]] == ["evaluation.document.state"]
    # A return without a reason names the field; with one, the document goes back to the agency.
    bare = client.post(review, data=json.dumps({"action": "return", "reason": " "}), content_type="application/json",
                       **supervisor)
    assert bare.status_code == 422 and [v["field"] for v in bare.json()["violations"]] == ["reason"]
    returned = client.post(review, data=json.dumps({"action": "return", "reason": "未列明公示时限"}),
                           content_type="application/json", **supervisor)
    assert returned.status_code == 200 and returned.json()["status"] == "returned"
    assert returned.json()["return_reason"] == "未列明公示时限"
    mine = client.get(url, **head).json()
    assert mine["actions"] == ["resubmit"]
    assert client.get(f"{URL}/checklist", **head).json()["agencies"][0]["items"][0]["status"] == "returned"
    twice = client.post(review, data=json.dumps({"action": "accept"}), content_type="application/json", **supervisor)
    assert twice.status_code == 409 and [v["code"] for v in twice.json()["violations"]] == ["evaluation.document.state"]
    # Resubmitted as a picture, then accepted: published on the portal.
    again = client.post(f"{url}/resubmit", data={"file": upload(PNG, "制度.png")}, **head)
    assert again.status_code == 200 and (again.json()["version"], again.json()["status"]) == (2, "submitted")
    accepted = client.post(review, data=json.dumps({"action": "accept"}), content_type="application/json",
                           **supervisor)
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assert PublicSystemDocument.objects.filter(source_id=body["id"], version=2).exists()
    steps = accepted.json()["steps"]
    assert [s["action"] for s in steps] == ["submit", "return", "resubmit", "accept"]
    # Both files, the first one too, downloaded by either side, each download logged.
    first, second = steps[0]["file"], steps[2]["file"]
    got = client.get(f"{url}/files/{first['id']}", **supervisor)
    assert got.status_code == 200 and b"".join(got.streaming_content) == PDF
    assert got["Content-Type"] == "application/pdf" and "no-store" in got["Cache-Control"]
    assert client.get(f"{url}/files/{second['id']}", **head).status_code == 200
    logged = AccessLogEntry.objects.filter(object_kind="evaluation.system_document", object_id=str(body["id"]))
    assert sorted(logged.values_list("action", flat=True)) == ["download", "download"]
    listed = client.get(f"{URL}?status=accepted&kind=rules", **head).json()["items"]
    assert [d["id"] for d in listed] == [body["id"]]


def test_bad_input_is_named_by_field_and_nothing_is_stored(client):
    county = county_make()
    head = bearer(county.head)
    bad = submit(client, head, title=" ", file=upload(b"just text", "a.pdf"))
    assert bad.status_code == 422, bad.content
    assert {v["field"] for v in bad.json()["violations"]} == {"title", "file"}
    assert submit(client, head, file=False).json()["violations"][0]["field"] == "file"
    empty = submit(client, head, file=upload(b"", "a.pdf"))
    assert empty.status_code == 422 and [v["field"] for v in empty.json()["violations"]] == ["file"]
    with override_settings(SANXIANG_EVIDENCE_MAX_BYTES=10):
        large = submit(client, head)
    assert large.status_code == 413 and [(v["code"], v["field"]) for v in large.json()["violations"]] == [
        ("evidence.too_large", "file")]
    unknown = submit(client, head, kind="poster")
    assert unknown.status_code == 422 and [v["field"] for v in unknown.json()["violations"]] == ["kind"]
    for query, field in (("status=lost", "status"), ("ordering=title", "ordering"),
                         ("since=2026-05-02&until=2026-05-01", "until")):
        refused = client.get(f"{URL}?{query}", **head)
        assert refused.status_code == 422 and [v["field"] for v in refused.json()["violations"]] == [field]
    assert not SystemDocument.objects.exists()


def test_only_the_agency_submits_and_another_county_sees_nothing(client):
    county, elsewhere = county_make(), county_make(region="150627")
    assert submit(client, bearer(county.supervisor)).status_code == 403
    document = submit(client, bearer(county.head)).json()
    url = f"{URL}/{document['id']}"
    file_url = f"{url}/files/{document['file']['id']}"
    # The county's other agency and the other county's bureau and agency: 404 on every path.
    for user in (county.other_head, elsewhere.supervisor, elsewhere.head):
        auth = bearer(user)
        for path in (url, file_url):
            assert client.get(path, **auth).status_code == 404, (user, path)
        assert client.post(f"{url}/resubmit", data={"file": upload()}, **auth).status_code == 404
        assert client.post(f"{url}/review", data=json.dumps({"action": "accept"}), content_type="application/json",
                           **auth).status_code == 404
        assert client.get(URL, **auth).json()["items"] == []
    rows = client.get(f"{URL}/checklist", **bearer(elsewhere.supervisor)).json()["agencies"]
    assert {a["agency_id"] for a in rows} == {elsewhere.agency.pk, elsewhere.other.pk}
    # A file of another document is not this document's.
    other = submit(client, bearer(county.head), kind="list", title="执法事项清单").json()
    assert client.get(f"{url}/files/{other['file']['id']}", **bearer(county.head)).status_code == 404
    assert not AccessLogEntry.objects.filter(object_kind="evaluation.system_document").exists()


def test_two_files_for_one_document_are_422_on_file_and_nothing_is_stored(client):
    county = county_make()
    head = bearer(county.head)
    two = submit(client, head, file=[upload(), upload(PNG, "制度.png")])
    assert two.status_code == 422, two.content
    assert [v["field"] for v in two.json()["violations"]] == ["file"]
    assert not SystemDocument.objects.exists()
    created = submit(client, head)
    assert created.status_code == 201, created.content
    again = client.post(f"{URL}/{created.json()['id']}/resubmit", data={"file": [upload(), upload()]}, **head)
    assert again.status_code == 422 and [v["field"] for v in again.json()["violations"]] == ["file"], again.content
    assert SystemDocument.objects.get().steps.count() == 1
