"""Attacker review of issue 15 (task 8): odd query strings and form input on the evaluation pages
(huge numbers, NUL bytes, month=13, negative or NaN hours, very long text) give a page or a Chinese
refusal, never a 500. These probes found no defect; they stay as regression tests."""

import pytest
from django.urls import reverse

from tests.evaluation.support import county_make

pytestmark = pytest.mark.django_db

@pytest.mark.parametrize("path, params", [
    ("evaluation:training_list", {"year": "99999999999999999999"}),
    ("evaluation:training_list", {"year": "2026\x00"}),
    ("evaluation:training_list", {"organiser": "99999999999999999999999"}),
    ("evaluation:training_list", {"page": "-1"}),
    ("evaluation:training_summary", {"year": "1e9"}),
    ("evaluation:training_officers", {"agency": "99999999999999999999999", "met": "x\x00"}),
    ("evaluation:training_officers", {"year": "-5"}),
    ("evaluation:report_list", {"month": "2026-13"}),
    ("evaluation:report_list", {"month": "2026-00"}),
    ("evaluation:report_list", {"month": "99999999999999999999-1"}),
    ("evaluation:report_list", {"month": "\x00"}),
    ("evaluation:document_checklist", {"agency": "99999999999999999999999"}),
    ("evaluation:document_checklist", {"agency": "\x00"}),
    ("evaluation:reminder_list", {}),
])
def test_odd_query_strings_never_give_a_500(client, path, params):
    county = county_make()
    for user in (county.head, county.supervisor):
        client.force_login(user)
        r = client.get(reverse(path), params)
        assert r.status_code < 500

@pytest.mark.parametrize("data", [
    {"kind": "three_systems", "topic": "x", "held_on": "2026-02-30", "hours": "2"},
    {"kind": "three_systems", "topic": "x\x00", "held_on": "2026-02-01", "hours": "2"},
    {"kind": "three_systems", "topic": "x", "held_on": "2026-02-01", "hours": "-2"},
    {"kind": "three_systems", "topic": "x", "held_on": "2026-02-01", "hours": "1e400"},
    {"kind": "three_systems", "topic": "x", "held_on": "2026-02-01", "hours": "NaN"},
    {"kind": "three_systems", "topic": "x", "held_on": "2026-02-01", "hours": "99999999999999999999999"},
    {"kind": "three_systems", "topic": "x" * 100000, "held_on": "2026-02-01", "hours": "2"},
    {"kind": "three_systems", "topic": "x", "held_on": "99999-02-01", "hours": "2"},
])
def test_odd_training_input_is_refused_not_a_500(client, data):
    county = county_make()
    client.force_login(county.head)
    r = client.post(reverse("evaluation:training_new"), data)
    assert r.status_code == 400  # refused with reasons on the form, nothing recorded
