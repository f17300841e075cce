"""Evidence asks for the case a record belongs to through the slot `cases` installs at ready(),
not by importing `cases` (which sits above it)."""

import pytest
from django.http import Http404

from sanxiang.cases.selectors import case_get
from sanxiang.evidence import services
from sanxiang.evidence.selectors import case_for_viewer


def test_cases_installs_its_case_lookup():
    assert case_for_viewer._function is case_get


def test_an_upload_names_its_case_through_the_slot(case, user, monkeypatch):
    asked: list[tuple] = []

    def lookup(*, viewer, case_id):
        asked.append((viewer.pk, case_id))
        return case

    monkeypatch.setattr(case_for_viewer, "_function", lookup)
    meta = services.evidence_metadata_parse(actor=user, fields={"kind": "video", "filename": "a.mp4", "case": str(case.pk)})
    assert asked == [(user.pk, case.pk)]
    assert meta.case == case and meta.agency == case.agency


def test_a_case_of_another_agency_is_not_disclosed(case, other_user):
    with pytest.raises(Http404):
        services.evidence_metadata_parse(actor=other_user, fields={"kind": "video", "filename": "a.mp4", "case": str(case.pk)})
