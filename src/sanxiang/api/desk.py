"""The 司法局's desk through the API: who may act there, and the pair of supervisors a two-person step
takes (行政执法监督 by two supervisors of the bureau), one rule for every supervision module."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from sanxiang.accounts.models import User
from sanxiang.supervision import instrument_selectors


def desk_require(request: HttpRequest) -> None:
    """Only a supervisor of a 司法局 acts at the desk (403 otherwise)."""
    if not instrument_selectors.user_is_supervisor(request.user):
        raise PermissionDenied("只有司法局监督人员可以办理")


def desk_pair(request: HttpRequest, *, bureau_id: int, second_id: int | None) -> list[User]:
    """The caller and the colleague named (of the same bureau, active): the pair the service judges
    (a colleague not found leaves the caller alone, which the service refuses with its reason)."""
    second = None
    if second_id is not None:
        second = (instrument_selectors.bureau_supervisors(bureau_id=bureau_id).exclude(pk=request.user.pk)
                  .filter(pk=second_id).first())
    return [request.user] + ([second] if second else [])
