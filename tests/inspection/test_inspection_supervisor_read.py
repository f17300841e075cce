"""The 司法局 supervises every inspection of its county (《行政执法监督条例》; 民营经济促进法 第五十三条):
a supervisor who follows an inspection from the desk (a high-frequency alert, a complaint naming
its 检查码) reads its page, its record, its photos, its 检查码 and the frequency statistics, and
changes nothing (the page has no forms; a posted step is refused, nothing written). A supervisor
of another county finds nothing (404); an officer of another agency is refused (403)."""

import pytest
from django.test import Client
from django.urls import reverse

from sanxiang.accounts.models import Role
from sanxiang.inspection import inspection_selectors as sel
from sanxiang.inspection.inspection_services import inspection_act, inspection_photo_add
from sanxiang.inspection.models import Inspection, InspectionState
from sanxiang.ledger.models import Entry
from tests.factories import agency_make, user_make
from tests.inspection.builders import closed, photo, world_make
from tests.querycount import queries_without_ledger_writes
from tests.web.crawl import page_read

pytestmark = pytest.mark.django_db

FORM_MARKS = ('data-testid="record-form"', 'data-testid="result-form"', 'data-testid="start"',
              'data-testid="photo-upload"', 'data-testid="join-form"', 'data-testid="emergency-form"')


def supervisor_client(region: str = "150626") -> Client:
    bureau = agency_make(name=f"司法局{region}", is_judicial_bureau=True, region_code=region)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user_make(role=Role.SUPERVISOR, agency=bureau))
    return client


def test_a_supervisor_of_the_county_reads_the_inspection_record_photos_and_code_without_any_form():
    world = world_make()
    inspection = closed(world)
    client = supervisor_client()
    url = reverse("inspection:detail", args=[inspection.pk])
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert page_read(html.replace(inspection.code, ""))[0] == []  # Chinese only (the code itself is letters)
    assert 'data-testid="record"' in html and "食品经营许可证在有效期内 · 符合" in html  # the record
    assert 'data-testid="code-text"' in html and inspection.code in html  # the 检查码 and its state
    assert 'data-testid="result"' in html
    for mark in (*FORM_MARKS, f'action="{url}'):  # no form of a step, an upload or a join
        assert mark not in html, mark
    link = reverse("inspection:photo_file", args=[inspection.pk, _photo_id(inspection)])
    assert f'href="{link}" data-testid="photo-link"' in html  # the photos, listed
    entries = Entry.objects.count()
    picture = client.get(link)
    assert picture.status_code == 200 and picture["Content-Type"] == "image/png"
    assert Entry.objects.count() == entries + 1  # the access is in the ledger
    assert client.get(reverse("inspection:qr", args=[inspection.pk])).status_code == 200


def test_a_supervisor_may_not_take_a_step_nothing_is_written():
    world = world_make()
    client = supervisor_client()
    url = reverse("inspection:detail", args=[world.inspection.pk])
    html = client.get(url).content.decode()
    assert "提交审批" not in html and f'action="{url}' not in html  # the approval form is the head's
    pk = world.inspection.pk
    inspection_act(actor=world.head, inspection_id=pk, action="inspection_approve", data={"approval": "agree"})
    officer = Client()
    officer.force_login(world.users[0])
    for state, marks in (("approved", ('data-testid="start"', 'data-testid="photo-upload"')),
                         ("in_progress", ('data-testid="record-form"', 'data-testid="photo-upload"'))):
        assert all(m in officer.get(url).content.decode() for m in marks), state  # the officer's forms
        html = client.get(url).content.decode()
        assert not any(m in html for m in marks) and f'action="{url}' not in html, state  # none for the reader
        if state == "approved":
            inspection_act(actor=world.users[0], inspection_id=pk, action="inspection_start", data={})
    client = Client()  # the forms are absent: post without a token check to reach the view itself
    client.force_login(user_make(role=Role.SUPERVISOR, agency=agency_make(is_judicial_bureau=True)))
    record = client.post(reverse("inspection:act", args=[pk, "inspection_record"]), {"on": "2026-01-01"})
    assert record.status_code == 403
    upload = client.post(reverse("inspection:photo", args=[world.inspection.pk]), {"photo": photo()})
    assert upload.status_code == 403
    assert Inspection.objects.get(pk=world.inspection.pk).state == InspectionState.IN_PROGRESS
    assert sel.inspection_media_counts(sel.inspection_load(pk=pk)) == (0, 0)


def test_another_countys_supervisor_finds_nothing_and_another_agencys_officer_is_refused():
    world = world_make()
    inspection = closed(world)
    far = supervisor_client(region="150627")
    for name, args in (("inspection:detail", [inspection.pk]), ("inspection:qr", [inspection.pk])):
        assert far.get(reverse(name, args=args)).status_code == 404
    record_id = _photo_id(inspection)
    assert far.get(reverse("inspection:photo_file", args=[inspection.pk, record_id])).status_code == 404
    anonymous = Client().get(reverse("inspection:photo_file", args=[inspection.pk, record_id]))
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    stranger = Client()
    other = agency_make()
    stranger.force_login(user_make(role=Role.OFFICER, agency=other))
    assert stranger.get(reverse("inspection:detail", args=[inspection.pk])).status_code == 403
    assert stranger.get(reverse("inspection:photo_file", args=[inspection.pk, record_id])).status_code == 403
    head = Client()
    head.force_login(user_make(role=Role.AGENCY_HEAD, agency=other))
    assert head.get(reverse("inspection:detail", args=[inspection.pk])).status_code == 403


def test_the_page_costs_the_same_for_a_supervisor_whatever_the_photos():
    world = world_make()
    inspection = closed(world)
    client = supervisor_client()
    url = reverse("inspection:detail", args=[inspection.pk])

    def cost() -> int:
        with queries_without_ledger_writes() as queries:
            assert client.get(url).status_code == 200
        return queries.count

    small = cost()
    Inspection.objects.filter(pk=inspection.pk).update(state=InspectionState.IN_PROGRESS)
    for n in range(3):
        inspection_photo_add(actor=world.users[0], inspection_id=inspection.pk, source=photo(),
                             original_name=f"b{n}.png")
    Inspection.objects.filter(pk=inspection.pk).update(state=InspectionState.CLOSED)
    assert cost() == small


def _photo_id(inspection: Inspection) -> int:
    return sel.inspection_photos(inspection)[0].pk


def test_a_supervisor_follows_a_desk_matter_to_the_inspection():
    """The alert's matter names the inspection (origin "inspection:<pk>"): the desk links to it."""
    from sanxiang.supervision.models import Matter
    from sanxiang.supervision.selectors import matter_origin_link

    world = world_make()
    label, address = matter_origin_link(Matter(origin=f"inspection:{world.inspection.pk}"))
    assert label == "行政检查" and address == reverse("inspection:detail", args=[world.inspection.pk])
    assert supervisor_client().get(address).status_code == 200
