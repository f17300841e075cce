"""The catalogue of major decisions: who keeps and publishes it, what is refused (every reason at
once), the versions and their ledger entries, and what the engine reads."""

import hashlib
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from sanxiang.accounts.models import Role
from sanxiang.ledger.canonical import canonical_json
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from sanxiang.procedure.penalty.snapshot import ReviewCatalogue
from sanxiang.procedure.violations import Refused
from sanxiang.registry import services as registry
from sanxiang.review.models import CataloguePublication, MajorDecisionCatalogue
from sanxiang.review.selectors import review_catalogue_for_agency
from sanxiang.review.services import catalogue_publish, catalogue_update
from tests.factories import agency_make, user_make

pytestmark = pytest.mark.django_db
BASIS = [{"law": "《中华人民共和国食品安全法》", "article": "第一百二十二条"}]


def matter(agency, code, name="未取得许可从事食品生产经营"):
    return registry.matter_create(actor=None, agency=agency, code=code, name=name, kind="penalty", legal_bases=BASIS)


@pytest.fixture
def agency():
    return agency_make(name="乌审旗市场监督管理局")


@pytest.fixture
def head(agency):
    return user_make(role=Role.AGENCY_HEAD, agency=agency)


def entries(kind):
    return list(Entry.objects.filter(kind=kind).order_by("seq"))


def payload(entry):
    return json.loads(bytes(entry.body))["payload"]


def test_a_new_catalogue_starts_from_the_parameters(agency, head):
    catalogue = catalogue_update(actor=head, agency=agency, explanation="本目录自发布之日起施行。")
    assert catalogue.kinds == ["downgrade_qualification", "revoke_permit", "suspend_business", "close",
                               "restrict_practice"]
    assert catalogue.fine_natural_person_fen == 1_000_000  # 1万元
    assert catalogue.fine_organization_fen == 10_000_000  # 10万元
    assert catalogue.amount_inclusive is False
    assert catalogue.discretion_deviation is True
    assert catalogue.discussion_for == ["complex", "major"]
    assert catalogue.updated_by == head


@pytest.mark.parametrize(
    ("role", "own", "may"),
    [
        (Role.AGENCY_HEAD, True, True),
        (Role.AGENCY_ADMIN, True, True),
        (Role.SYSTEM_ADMIN, False, True),
        (Role.OFFICER, True, False),
        (Role.REVIEWER, True, False),
        (Role.AGENCY_HEAD, False, False),
        (Role.AGENCY_ADMIN, False, False),
        (Role.SUPERVISOR, False, False),
    ],
)
def test_who_may_change_the_catalogue(agency, role, own, may):
    other = agency_make()
    user = user_make(role=role, agency=agency if own else (None if role == Role.SYSTEM_ADMIN else other))
    if may:
        catalogue_update(actor=user, agency=agency, fine_organization_fen=20_000_000)
        assert MajorDecisionCatalogue.objects.get(agency=agency).fine_organization_fen == 20_000_000
    else:
        with pytest.raises(PermissionDenied):
            catalogue_update(actor=user, agency=agency, fine_organization_fen=20_000_000)
        assert not MajorDecisionCatalogue.objects.exists()


def test_every_violation_is_reported_at_once_and_nothing_is_written(agency, head):
    theirs = matter(agency_make(), "OTHER-001")
    before = Entry.objects.count()
    with pytest.raises(Refused) as refusal:
        catalogue_update(
            actor=head, agency=agency, kinds=["fine", "flogging"], fine_natural_person_fen=0,
            fine_organization_fen=-500, discussion_for=["major", "urgent"], matters=[theirs, 987654],
        )
    assert sorted((v.code, v.field) for v in refusal.value.violations) == [
        ("review.catalogue.discussion_unknown", "discussion_for"),
        ("review.catalogue.kind_unknown", "kinds"),
        ("review.catalogue.matter_other_agency", "matters"),
        ("review.catalogue.matter_unknown", "matters"),
        ("review.catalogue.threshold_not_positive", "fine_natural_person_fen"),
        ("review.catalogue.threshold_not_positive", "fine_organization_fen"),
    ]
    messages = " ".join(v.message for v in refusal.value.violations)
    assert "“flogging”不是法定的行政处罚种类" in messages
    assert "OTHER-001不是本机关的执法事项" in messages
    assert all(v.legal_basis for v in refusal.value.violations)
    assert not MajorDecisionCatalogue.objects.exists()
    assert Entry.objects.count() == before


def test_a_change_is_recorded_in_the_ledger_and_no_change_records_nothing(agency, head):
    mine = matter(agency, "SC-001")
    catalogue_update(actor=head, agency=agency, kinds=["revoke_permit"], matters=[mine], explanation="说明文字")
    (entry,) = entries(EventKind.REVIEW_CATALOGUE_UPDATED)
    assert entry.agency_id == agency.pk and entry.actor_id == head.pk
    assert entry.subject == f"review-catalogue:{agency.pk}"
    recorded = payload(entry)
    assert recorded["matters"] == ["SC-001"] and recorded["kinds"] == ["revoke_permit"]
    assert recorded["explanation_sha256"] == hashlib.sha256("说明文字".encode()).hexdigest()
    catalogue_update(actor=head, agency=agency, kinds=["revoke_permit"], matters=[mine])
    assert len(entries(EventKind.REVIEW_CATALOGUE_UPDATED)) == 1
    catalogue_update(actor=head, agency=agency, amount_inclusive=True)
    assert len(entries(EventKind.REVIEW_CATALOGUE_UPDATED)) == 2
    assert list(MajorDecisionCatalogue.objects.get(agency=agency).matters.all()) == [mine]


def test_publishing_creates_numbered_versions_each_with_its_ledger_entry(agency, head):
    first = catalogue_publish(actor=head, agency=agency)
    assert first.version == 1 and first.published_by == head
    assert first.content["published_on"] == timezone.localdate().isoformat()
    catalogue_update(actor=head, agency=agency, fine_natural_person_fen=2_000_000)
    second = catalogue_publish(actor=head, agency=agency)
    assert second.version == 2
    published = entries(EventKind.REVIEW_CATALOGUE_PUBLISHED)
    assert [e.seq for e in published] == [first.ledger_seq, second.ledger_seq]
    assert [e.subject for e in published] == [f"review-catalogue:{agency.pk}:v1", f"review-catalogue:{agency.pk}:v2"]
    # The entry holds the digest of exactly what was published.
    assert payload(published[1])["content_sha256"] == hashlib.sha256(canonical_json(second.content)).hexdigest()
    assert payload(published[1])["version"] == 2
    # The first version is kept as it was.
    first.refresh_from_db()
    assert first.content["thresholds"]["natural_person_fen"] == 1_000_000
    assert second.content["thresholds"]["natural_person_fen"] == 2_000_000


def test_publishing_an_unchanged_catalogue_is_refused(agency, head):
    catalogue_publish(actor=head, agency=agency)
    with pytest.raises(Refused) as refusal:
        catalogue_publish(actor=head, agency=agency)
    assert [v.code for v in refusal.value.violations] == ["review.catalogue.unchanged"]
    assert CataloguePublication.objects.count() == 1
    assert len(entries(EventKind.REVIEW_CATALOGUE_PUBLISHED)) == 1


@pytest.mark.parametrize(
    ("role", "own", "may"),
    [
        (Role.AGENCY_HEAD, True, True),
        (Role.SYSTEM_ADMIN, False, True),
        (Role.AGENCY_ADMIN, True, False),
        (Role.REVIEWER, True, False),
        (Role.AGENCY_HEAD, False, False),
        (Role.SUPERVISOR, False, False),
    ],
)
def test_only_the_agency_head_or_a_system_administrator_publishes(agency, role, own, may):
    user = user_make(role=role, agency=agency if own else (None if role == Role.SYSTEM_ADMIN else agency_make()))
    if may:
        assert catalogue_publish(actor=user, agency=agency).version == 1
    else:
        with pytest.raises(PermissionDenied):
            catalogue_publish(actor=user, agency=agency)
        assert not CataloguePublication.objects.exists()


def test_the_engine_reads_the_latest_published_version_only(agency, head):
    assert review_catalogue_for_agency(agency_id=agency.pk) is None
    mine = matter(agency, "SC-002")
    catalogue_update(actor=head, agency=agency, kinds=["revoke_permit", "fine"], matters=[mine],
                     fine_natural_person_fen=500_000, amount_inclusive=True, discussion_for=["complex"])
    catalogue_publish(actor=head, agency=agency)
    today = timezone.localdate().isoformat()
    expected = ReviewCatalogue(
        kinds=frozenset({"revoke_permit", "fine"}),
        fine_natural_person_fen=500_000,
        fine_organization_fen=10_000_000,
        amount_inclusive=True,
        matters=frozenset({"SC-002"}),
        discretion_deviation=True,
        discussion_for=frozenset({"complex"}),
        reference=f"乌审旗市场监督管理局重大执法决定法制审核目录清单（第1版，{today}发布）",
    )
    assert review_catalogue_for_agency(agency_id=agency.pk) == expected
    # Edited but not published: the engine still applies version 1.
    catalogue_update(actor=head, agency=agency, fine_natural_person_fen=300_000, matters=[])
    assert review_catalogue_for_agency(agency_id=agency.pk) == expected
    catalogue_publish(actor=head, agency=agency)
    latest = review_catalogue_for_agency(agency_id=agency.pk)
    assert latest.fine_natural_person_fen == 300_000 and latest.matters == frozenset()
    assert "（第2版，" in latest.reference
    # Another agency's publication is not this agency's catalogue.
    assert review_catalogue_for_agency(agency_id=agency_make().pk) is None
