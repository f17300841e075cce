"""Complainants' personal data never reaches a public page (issue 14, part D): complaints with
distinctive names, phone numbers and ID numbers, in several states, then a crawl of every public page
reachable from the home page, plus the tracking page answered with each complaint's right code."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from sanxiang.supervision.complaint_services import complaint_answer_set
from sanxiang.supervision.models import Complaint
from tests.factories import id_number
from tests.portal.test_leak import crawl
from tests.supervision.complaint_support import complaint_file, complaint_matter_move, desk_public

pytestmark = pytest.mark.django_db


def test_no_complainant_data_reaches_any_public_page():
    desk = desk_public()
    secrets, receipts = [], []
    for n, state in enumerate(["received", "accepted", "concluded", "closed"]):
        person = (f"褚翊{'琰瑾璇珩琮'[n]}", f"1391111{n:04d}", id_number(serial=900 + n))
        secrets += list(person)
        receipt = complaint_file(desk, name=person[0], phone=person[1], id_number=person[2],
                                 description=f"投诉人{person[0]}（电话{person[1]}）反映执法人员未出示证件。")
        complaint = Complaint.objects.get(receipt_number=receipt.receipt_number)
        if state == "concluded":
            complaint_answer_set(complaint=complaint, actor=desk.first, public_outcome="已责令改正。")
        if state == "closed":
            complaint_answer_set(complaint=complaint, actor=desk.first, not_accepted_reason="unclear")
        if state != "received":
            complaint_matter_move(desk, complaint, to=state)
        receipts.append(receipt)
    client = Client(REMOTE_ADDR="192.0.2.10")
    pages = crawl(client)
    assert "/complaints/track/" in pages and "/complaints/new/" in pages  # the crawl reached them
    for receipt in receipts:
        response = client.post(reverse("complaints:track"),
                               {"receipt_number": receipt.receipt_number, "query_code": receipt.query_code})
        assert response.status_code == 200 and receipt.receipt_number in response.content.decode()
        pages[f"track:{receipt.receipt_number}"] = response.content.decode()
    for url, body in pages.items():
        for secret in secrets:
            assert secret not in body, (url, secret)
    # The complaint's own text (which may name the complainant) is not shown either.
    assert not any("反映执法人员未出示证件" in body for body in pages.values())
