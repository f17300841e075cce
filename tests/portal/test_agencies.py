"""事前公开 on the portal: the agency pages and their sections, and the policy documents an agency
publishes (the service, the staff pages, the public download)."""

import datetime as dt
import io
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver, include, path, reverse

from sanxiang import urls as project_urls
from sanxiang.accounts.models import Role
from sanxiang.evidence.models import EvidenceRecord
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from sanxiang.procedure.violations import Refused
from sanxiang.publication import documents as staff_documents
from sanxiang.publication.documents import public_document_publish
from sanxiang.publication.models import PublicAgency, PublicCertificate, PublicDocument
from sanxiang.publication.registry_sync import public_registry_refresh
from sanxiang.registry import services
from sanxiang.review.services import catalogue_publish, catalogue_update
from tests.factories import agency_make, officer_make, user_make

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(64)


class StaffUrls:
    """The project's URLs with the staff document pages in their namespace, for as long as the
    project does not include them yet (they go under staff/publication/, namespace publication)."""

    urlpatterns = [
        *project_urls.urlpatterns,
        path("staff/publication/", include((staff_documents.urlpatterns, "publication"))),
    ]


@pytest.fixture
def staff_urls(settings):
    if "publication" not in get_resolver().namespace_dict:
        settings.ROOT_URLCONF = StaffUrls


@pytest.fixture
def bureau():
    agency = agency_make(name="乌审旗市场监督管理局", enforcement_fields="市场监管")
    services.matter_create(
        actor=None, agency=agency, code="SJ-CF-001", name="对未取得食品经营许可从事食品经营活动的处罚", kind="penalty",
        legal_bases=[{"law": "《中华人民共和国食品安全法》", "article": "第一百二十二条"}], discretion_standard="首次违法从轻",
    )
    services.matter_create(
        actor=None, agency=agency, code="SJ-JC-001", name="食品经营者监督检查", kind="inspection",
        legal_bases=[{"law": "《中华人民共和国食品安全法》", "article": "第一百一十条"}],
    )
    services.matter_create(
        actor=None, agency=agency, code="SJ-XK-001", name="食品经营许可", kind="permit",
        legal_bases=[{"law": "《中华人民共和国食品安全法》", "article": "第三十五条"}],
    )
    return agency


@pytest.fixture
def other():
    return agency_make(name="乌审旗交通运输局")


@pytest.fixture
def officers(bureau):
    result = {
        "valid": officer_make(agency=bureau, name="王有效"),
        "expired": officer_make(agency=bureau, name="李过期", valid_to=TODAY - dt.timedelta(days=3)),
        "suspended": officer_make(agency=bureau, name="张暂扣"),
    }
    services.certificate_update(
        actor=None, certificate=result["suspended"].certificates.get(), status="suspended", reason="调查期间"
    )
    return result


def public(agency) -> PublicAgency:
    return PublicAgency.objects.get(source_id=agency.pk)


def page_of(client, agency) -> str:
    response = client.get(reverse("portal:agency_detail", args=[public(agency).pk]))
    assert response.status_code == 200
    return response.content.decode()


def section(page: str, name: str) -> str:
    start = page.index(f'data-testid="section-{name}"')
    return page[start:page.index("</section>", start)]


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def docx_bytes() -> bytes:
    from docx import Document

    buffer = io.BytesIO()
    document = Document()
    document.add_paragraph("行政执法工作手册")
    document.save(buffer)
    return buffer.getvalue()


# --- the pages -----------------------------------------------------------------------------------


def test_agency_list_links_every_agency(client, bureau, other, officers):
    public_registry_refresh()
    page = client.get(reverse("portal:agency_list")).content.decode()
    assert "乌审旗市场监督管理局" in page and "乌审旗交通运输局" in page
    assert reverse("portal:agency_detail", args=[public(bureau).pk]) in page


def test_agency_page_has_every_section(client, bureau, officers):
    public_registry_refresh()
    page = page_of(client, bureau)
    for name in ("basic", "officers", "matters", "procedures", "remedies", "inspections", "guides", "catalogue", "documents"):
        assert f'data-testid="section-{name}"' in page
    for heading in ("基本信息和职权依据", "执法人员", "执法事项和裁量基准", "执法流程", "救济渠道", "随机抽查事项清单",
                    "服务指南", "重大执法决定法制审核目录", "制度文件"):
        assert f"<h2>{heading}</h2>" in page
    assert "首次违法从轻" in section(page, "matters")
    assert "乌审旗人民政府" in section(page, "remedies") and "乌审旗人民法院" in section(page, "remedies")
    assert "食品经营者监督检查" in section(page, "inspections")
    assert "食品经营许可" in section(page, "guides")


def test_officer_list_shows_who_may_act_today_with_links_to_verification(client, bureau, officers):
    public_registry_refresh()
    listed = section(page_of(client, bureau), "officers")
    valid = PublicCertificate.objects.get(officer_name="王有效")
    assert "王有效" in listed and valid.number in listed and "市场监管" in listed
    assert reverse("portal:certificate_verify", args=[valid.token]) in listed
    assert "李过期" not in listed and "张暂扣" not in listed


def test_procedures_are_an_ordered_list_of_steps(client, bureau):
    public_registry_refresh()
    procedures = section(page_of(client, bureau), "procedures")
    assert "行政处罚普通程序" in procedures and "行政处罚简易程序" in procedures
    assert "<ol" in procedures and "<script" not in procedures
    positions = [procedures.index(f"<strong>{label}</strong>") for label in ("立案", "调查终结", "事先告知", "作出决定", "送达决定书")]
    assert positions == sorted(positions)
    assert "案源登记 → 已立案" in procedures


def test_catalogue_link_appears_once_published(client, bureau):
    public_registry_refresh()
    assert "尚未公布" in section(page_of(client, bureau), "catalogue")
    catalogue_update(actor=None, agency=bureau, explanation="自发布之日起施行。")
    catalogue_publish(actor=None, agency=bureau)
    catalogue = section(page_of(client, bureau), "catalogue")
    assert reverse("catalogues:detail", args=[bureau.pk]) in catalogue


def test_unknown_agency_is_404(client):
    assert client.get(reverse("portal:agency_detail", args=[999999])).status_code == 404


# --- publishing documents ------------------------------------------------------------------------


def test_agency_admin_publishes_a_pdf_with_its_ledger_entry(bureau):
    admin = user_make(role=Role.AGENCY_ADMIN, agency=bureau)
    document = public_document_publish(
        actor=admin, agency=bureau, kind="制度", title="行政执法公示制度", upload=upload("公示制度.pdf", PDF)
    )
    assert (document.kind, document.title, document.filename) == ("制度", "行政执法公示制度", "公示制度.pdf")
    assert (document.content_type, document.size) == ("application/pdf", len(PDF))
    assert document.agency == public(bureau)  # the agency was published on the way
    entry = Entry.objects.filter(kind=EventKind.PUBLIC_DOCUMENT_PUBLISHED).get()
    body = json.loads(bytes(entry.body))
    assert body["payload"]["sha256"] == document.sha256 and body["payload"]["title"] == "行政执法公示制度"
    assert body["files"][0]["sha256"] == document.sha256
    assert (entry.agency_id, entry.actor_id) == (bureau.pk, admin.pk)
    record = EvidenceRecord.objects.get(stored_file__sha256=document.sha256)
    assert (record.agency_id, record.case_id, record.step) == (bureau.pk, None, "publication:document")


def test_head_publishes_docx_and_images(bureau):
    head = user_make(role=Role.AGENCY_HEAD, agency=bureau)
    manual = public_document_publish(actor=head, agency=bureau, kind="执法工作手册", title="手册", upload=upload("手册.docx", docx_bytes()))
    chart = public_document_publish(actor=head, agency=bureau, kind="流程图", title="流程图", upload=upload("图.png", PNG))
    assert manual.content_type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert chart.content_type == "image/png"


def test_system_admin_publishes_for_any_agency(bureau):
    admin = user_make(role=Role.SYSTEM_ADMIN)
    document = public_document_publish(actor=admin, agency=bureau, kind="清单", title="权责清单", upload=upload("a.pdf", PDF))
    assert document.agency.source_id == bureau.pk
    assert EvidenceRecord.objects.get(stored_file__sha256=document.sha256).agency_id == bureau.pk


@pytest.mark.parametrize("role", [Role.OFFICER, Role.REVIEWER, Role.SUPERVISOR])
def test_others_may_not_publish(bureau, role):
    actor = user_make(role=role, agency=None if role == Role.SUPERVISOR else bureau)
    with pytest.raises(PermissionDenied):
        public_document_publish(actor=actor, agency=bureau, kind="制度", title="制度", upload=upload("a.pdf", PDF))
    assert not PublicDocument.objects.exists()


def test_an_admin_of_another_agency_may_not_publish(bureau, other):
    admin = user_make(role=Role.AGENCY_ADMIN, agency=other)
    with pytest.raises(PermissionDenied):
        public_document_publish(actor=admin, agency=bureau, kind="制度", title="制度", upload=upload("a.pdf", PDF))


def test_type_is_judged_from_the_bytes_and_every_reason_is_given(bureau):
    admin = user_make(role=Role.AGENCY_ADMIN, agency=bureau)
    with pytest.raises(Refused) as refused:
        public_document_publish(actor=admin, agency=bureau, kind="其他", title=" ", upload=upload("伪装.pdf", "纯文本".encode()))
    codes = {v.code for v in refused.value.violations}
    assert codes == {"publication.document.kind", "publication.document.title_missing", "publication.document.type"}
    assert "纯文本" in next(v.message for v in refused.value.violations if v.field == "upload")
    assert not PublicDocument.objects.exists() and not EvidenceRecord.objects.exists()
    assert not Entry.objects.filter(kind=EventKind.PUBLIC_DOCUMENT_PUBLISHED).exists()


def test_published_document_is_listed_and_downloaded(client, bureau):
    admin = user_make(role=Role.AGENCY_ADMIN, agency=bureau)
    document = public_document_publish(actor=admin, agency=bureau, kind="服务指南", title="食品经营许可服务指南",
                                       upload=upload("服务指南.pdf", PDF))
    documents = section(page_of(client, bureau), "documents")
    assert "食品经营许可服务指南" in documents and reverse("portal:document_download", args=[document.pk]) in documents
    response = client.get(reverse("portal:document_download", args=[document.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]
    assert client.get(reverse("portal:document_download", args=[document.pk + 1])).status_code == 404


# --- the staff pages -----------------------------------------------------------------------------


def test_staff_page_lists_own_agency_documents(client, staff_urls, bureau, other):
    admin = user_make(role=Role.AGENCY_ADMIN, agency=bureau)
    public_document_publish(actor=admin, agency=bureau, kind="制度", title="本局制度", upload=upload("a.pdf", PDF))
    public_document_publish(
        actor=user_make(role=Role.AGENCY_ADMIN, agency=other), agency=other, kind="制度", title="他局制度",
        upload=upload("b.pdf", PDF + b"%"),
    )
    client.force_login(user_make(role=Role.OFFICER, agency=bureau))
    page = client.get(reverse("publication:documents")).content.decode()
    assert "本局制度" in page and "他局制度" not in page
    assert reverse("publication:document_publish") not in page  # an officer does not publish
    # A supervisor of the county's bureau reads the county's documents.
    client.force_login(user_make(role=Role.SUPERVISOR, agency=agency_make(name="乌审旗司法局", is_judicial_bureau=True)))
    page = client.get(reverse("publication:documents")).content.decode()
    assert "本局制度" in page and "他局制度" in page


def test_staff_publish_page(client, staff_urls, bureau):
    assert client.get(reverse("publication:document_publish")).status_code == 302  # to the login
    client.force_login(user_make(role=Role.OFFICER, agency=bureau))
    assert client.get(reverse("publication:document_publish")).status_code == 403
    client.force_login(user_make(role=Role.AGENCY_ADMIN, agency=bureau))
    page = client.get(reverse("publication:document_publish"))
    assert page.status_code == 200 and 'name="agency"' not in page.content.decode()
    response = client.post(
        reverse("publication:document_publish"), {"kind": "制度", "title": "执法公示制度", "upload": upload("制度.pdf", PDF)}
    )
    assert response.status_code == 302 and response["Location"] == reverse("publication:documents")
    assert PublicDocument.objects.get().title == "执法公示制度"
    refused = client.post(
        reverse("publication:document_publish"), {"kind": "制度", "title": "文本", "upload": upload("a.pdf", b"plain text")}
    )
    assert refused.status_code == 400 and "不能公开发布" in refused.content.decode()
    assert PublicDocument.objects.count() == 1


def test_system_admin_chooses_the_agency(client, staff_urls, bureau, other):
    client.force_login(user_make(role=Role.SYSTEM_ADMIN))
    assert 'name="agency"' in client.get(reverse("publication:document_publish")).content.decode()
    response = client.post(
        reverse("publication:document_publish"),
        {"agency": str(other.pk), "kind": "清单", "title": "随机抽查事项清单", "upload": upload("清单.pdf", PDF)},
    )
    assert response.status_code == 302
    assert PublicDocument.objects.get().agency.source_id == other.pk
