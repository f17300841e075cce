"""双随机抽查结果公告 (issue 17 part B): a closed random inspection's result waits on the head's
page with its due day (20 working days, a parameter); publishing it (CSRF checks on) writes the
public row through the public read model's event with a ledger entry, once; the portal lists it
with the body, the enterprise, the items and the outcome, and names no officer. A planned
inspection's result is not published; an officer may not publish."""

import dataclasses
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from sanxiang.inspection.inspection_services import (
    inspection_results_publish,
)
from sanxiang.inspection.models import Inspection, InspectionSource
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from sanxiang.publication.models import PublicInspectionResult
from tests.inspection.builders import closed, world_make

pytestmark = pytest.mark.django_db


def test_the_head_publishes_a_random_result_once_and_the_portal_shows_it():
    world = world_make()
    inspection = closed(world)
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.head)
    html = client.get(reverse("inspection:today")).content.decode()
    assert 'data-testid="to-publish"' in html and f"{inspection.publish_due:%Y年%-m月%-d日}" in html
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    shown = re.findall(r'name="inspection" value="(\d+)"', html)
    assert client.post(reverse("inspection:results_publish"), {"inspection": shown}).status_code == 403  # no token
    assert client.post(reverse("inspection:results_publish"),
                       {"csrfmiddlewaretoken": token, "inspection": shown}).status_code == 302
    row = PublicInspectionResult.objects.get(source_id=inspection.pk)
    assert row.outcome == "未发现问题" and row.items == [world.item.name] and row.target_credit_code
    assert row.basis.startswith("《优化营商环境条例》第五十四条")
    assert Entry.objects.filter(kind=EventKind.INSPECTION_RESULT_PUBLISHED).count() == 1
    assert inspection_results_publish(actor=world.head, agency_id=world.agency.pk) == 0  # once
    portal = Client().get(reverse("portal:inspection_result_list")).content.decode()
    assert world.target.name in portal and world.agency.name in portal and "未发现问题" in portal
    for officer in world.officers:
        assert officer.name not in portal


def test_a_planned_result_is_not_published_and_an_officer_may_not_publish():
    world = world_make(source=InspectionSource.PLANNED)
    inspection = closed(world)
    assert inspection.publish_due is None
    assert inspection_results_publish(actor=world.head, agency_id=world.agency.pk) == 0
    with pytest.raises(PermissionDenied):
        inspection_results_publish(actor=world.users[0], agency_id=world.agency.pk)
    assert not PublicInspectionResult.objects.exists()


def test_the_head_publishes_the_results_the_page_showed_not_one_closed_since():
    # Publication cannot be withdrawn (the page asks to check before): a result closed after the
    # page was read is not published with the ones the head checked.
    world = world_make()
    inspection = closed(world)
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.head)
    html = client.get(reverse("inspection:today")).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    shown = re.findall(r'name="inspection" value="(\d+)"', html)
    assert shown == [str(inspection.pk)]
    later = Inspection.objects.create(agency=world.agency, target=world.target, source=InspectionSource.RANDOM,
                                      planned_from=world.inspection.planned_from,
                                      planned_to=world.inspection.planned_to)
    later.items.set([world.item])
    later.officers.set(world.officers)
    closed(dataclasses.replace(world, inspection=later))
    answer = client.post(reverse("inspection:results_publish"), {"csrfmiddlewaretoken": token, "inspection": shown})
    assert answer.status_code == 302
    assert list(PublicInspectionResult.objects.values_list("source_id", flat=True)) == [inspection.pk]
    # Nothing ticked, nothing published; a posted id that is no number changes nothing either.
    client.post(reverse("inspection:results_publish"), {"csrfmiddlewaretoken": token, "inspection": ["x", "²"]})
    assert PublicInspectionResult.objects.count() == 1
