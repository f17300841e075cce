"""Issue 19: 事前公示的文件 through the API as /staff/publication/documents/ and its publish page: the
agency's head publishes for their agency (evidence store, ledger), an officer may not (403), another
agency named 404; a system administrator publishes for the agency they name (422 without one); the
list shows an agency its own, the county's supervisor the county's, never another county's; a wrong
kind, a blank title or a file of the wrong type 422 naming the field; a POST replayed with its
Idempotency-Key answers the first answer without a second document. CSRF checks on."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sanxiang.accounts.models import Role
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry as LedgerEntry
from sanxiang.publication.models import PublicDocument
from tests.api.support import bearer
from tests.evaluation.support import PDF
from tests.factories import agency_make, user_make

pytestmark = pytest.mark.django_db
URL = "/api/public-documents"


def publish(client, auth, *, content=PDF, headers=None, **fields):
    data = {"kind": "服务指南", "title": "行政许可服务指南"} | fields
    data["file"] = SimpleUploadedFile("指南.pdf", content)
    return client.post(URL, data=data, **auth, **(headers or {}))


def fields_of(answer) -> list:
    return [v["field"] for v in answer.json()["violations"]]


def test_publish_and_list_as_the_pages(client):
    agency, other = agency_make(name="乌审旗市场监督管理局"), agency_make(name="乌审旗交通运输局")
    bureau = agency_make(name="乌审旗司法局", is_judicial_bureau=True)
    far = agency_make(name="杭锦旗市场监督管理局", region_code="150625")
    head = bearer(user_make(role=Role.AGENCY_HEAD, agency=agency))
    admin = bearer(user_make(role=Role.SYSTEM_ADMIN))

    done = publish(client, head, headers={"HTTP_IDEMPOTENCY_KEY": "pd-1"})
    assert done.status_code == 201, done.content
    body = done.json()
    assert body["agency_id"] == agency.pk and body["content_type"] == "application/pdf" and body["size"] == len(PDF)
    assert LedgerEntry.objects.filter(kind=EventKind.PUBLIC_DOCUMENT_PUBLISHED,
                                      subject=f"public-document:{body['id']}").exists()
    again = publish(client, head, headers={"HTTP_IDEMPOTENCY_KEY": "pd-1"})
    assert again.status_code == 201 and again.json() == body and PublicDocument.objects.count() == 1

    assert publish(client, bearer(user_make(role=Role.OFFICER, agency=agency))).status_code == 403
    assert publish(client, head, agency_id=other.pk).status_code == 404
    for fields, field in (({"kind": "通知"}, "kind"), ({"title": " "}, "title")):
        refused = publish(client, head, **fields)
        assert refused.status_code == 422 and field in fields_of(refused), refused.content
    wrong_type = publish(client, head, content=b"not a document")
    assert wrong_type.status_code == 422 and fields_of(wrong_type) == ["file"], wrong_type.content
    assert publish(client, admin).status_code == 422 and PublicDocument.objects.count() == 1
    by_admin = publish(client, admin, agency_id=far.pk, title="杭锦旗执法流程图", kind="流程图")
    assert by_admin.status_code == 201 and by_admin.json()["agency_id"] == far.pk, by_admin.content

    def titles(auth, **query):
        answer = client.get(URL, query, **auth)
        assert answer.status_code == 200, answer.content
        return [row["title"] for row in answer.json()["items"]]

    assert titles(head) == ["行政许可服务指南"]
    assert titles(bearer(user_make(role=Role.AGENCY_HEAD, agency=other))) == []
    assert titles(bearer(user_make(role=Role.SUPERVISOR, agency=bureau))) == ["行政许可服务指南"]
    assert titles(admin) == ["杭锦旗执法流程图", "行政许可服务指南"]
    assert titles(admin, kind="流程图") == ["杭锦旗执法流程图"]
    assert titles(admin, ordering="published_at", limit=1) == ["行政许可服务指南"]
    assert client.get(URL, {"kind": "通知"}, **admin).status_code == 422
