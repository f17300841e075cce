from django.http import Http404

from sanxiang.accounts.models import User
from sanxiang.accounts.permissions import user_can_read_agency
from sanxiang.cases.models import Case


def case_get(*, viewer: User, case_id: int) -> Case:
    try:
        case = Case.objects.select_related("agency", "matter").get(pk=case_id)
    except Case.DoesNotExist as missing:
        raise Http404 from missing
    if not user_can_read_agency(viewer, case.agency_id):
        raise Http404
    return case


def case_get_by_number(*, number: str) -> Case | None:
    return Case.objects.select_related("agency").filter(number=number).first()
