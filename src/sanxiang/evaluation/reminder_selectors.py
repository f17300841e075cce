"""Reads of the reminders (issue 15, item 9): a user's open reminders (theirs, and their role's in
their agency: an agency head those of the agency, a supervisor those of the bureau, never another
county's), one query for the rows and one for the count."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from sanxiang.accounts.models import User
from sanxiang.evaluation.models import Reminder


def _addressed_to(user: User) -> Q:
    mine = Q(recipient_user_id=user.pk)
    if user.agency_id is not None:
        mine |= Q(recipient_user__isnull=True, recipient_role=user.role, recipient_agency_id=user.agency_id)
    return mine


def reminders_open(*, user: User) -> QuerySet[Reminder]:
    """The user's reminders not dismissed and still applying, the nearest due first."""
    if not user.is_authenticated:
        return Reminder.objects.none()
    return (Reminder.objects.filter(_addressed_to(user), closed_on__isnull=True, dismissed_at__isnull=True)
            .order_by("due_on", "pk"))


def reminders_waiting(*, user: User, limit: int = 200) -> list[Reminder]:
    return list(reminders_open(user=user)[:limit])


def reminders_waiting_count(*, user: User) -> int:
    return reminders_open(user=user).count()


def user_receives(*, user: User, reminder: Reminder) -> bool:
    if not user.is_authenticated:
        return False
    if reminder.recipient_user_id is not None:
        return reminder.recipient_user_id == user.pk
    return user.role == reminder.recipient_role and user.agency_id == reminder.recipient_agency_id


def reminder_get(*, user: User, reminder_id: int) -> Reminder:
    """A reminder addressed to the user (404 for any other: whether it exists is not told)."""
    reminder = Reminder.objects.filter(pk=reminder_id).first()
    if reminder is None or not user_receives(user=user, reminder=reminder):
        raise Http404
    return reminder


def reminder_recipients(*, reminder: Reminder) -> list[User]:
    """Who the reminder is for: its user, or the active users of its role in its agency."""
    if reminder.recipient_user_id is not None:
        return [reminder.recipient_user] if reminder.recipient_user.is_active else []
    return list(User.objects.filter(role=reminder.recipient_role, agency_id=reminder.recipient_agency_id,
                                    is_active=True).order_by("pk"))
