"""Supervisors act in pairs, each with a valid supervision certificate, and withdraw from a matter
that concerns them (《四川省行政执法监督条例》第二十九条、第三十条; 《河北省行政执法监督条例》第十八条、第十九条;
the national 《行政执法监督条例》 leaves the number to the provinces, so it is a parameter)."""

import datetime as dt

import pytest

from sanxiang.procedure.supervision.basis import SUPERVISOR_RECUSAL
from sanxiang.supervision.services import supervisors_check
from tests.supervision.support import desk_make, supervisor_user_make

TODAY = dt.date.today()

pytestmark = pytest.mark.django_db


def codes(violations):
    return [v.code for v in violations]


def test_two_supervisors_with_valid_certificates_may_act():
    desk = desk_make()
    assert supervisors_check(users=[desk.first, desk.second], on=TODAY) == []


def test_a_single_supervisor_is_refused_with_the_provincial_basis_and_may_act_with_a_colleague():
    desk = desk_make()
    refused = supervisors_check(users=[desk.first], on=TODAY)
    assert codes(refused) == ["supervisors.too_few"]
    assert "2名以上" in refused[0].message and "四川省行政执法监督条例" in refused[0].legal_basis
    # The same supervisor named twice is still one.
    assert codes(supervisors_check(users=[desk.first, desk.first], on=TODAY)) == ["supervisors.too_few"]
    assert supervisors_check(users=[desk.first, desk.second], on=TODAY) == []


def test_an_expired_certificate_is_refused_on_the_day_after_it_ends_and_not_on_its_last_day():
    desk = desk_make()
    ends = TODAY + dt.timedelta(days=10)
    late = supervisor_user_make(bureau=desk.bureau, valid_to=ends, name="钱监督")
    assert supervisors_check(users=[desk.first, late], on=ends) == []
    refused = supervisors_check(users=[desk.first, late], on=ends + dt.timedelta(days=1))
    assert codes(refused) == ["supervisor.certificate_expired"]
    assert "钱监督" in refused[0].message and ends.isoformat() in refused[0].message


def test_every_reason_is_reported_at_once():
    desk = desk_make()
    without = supervisor_user_make(bureau=desk.bureau, certificate=False, name="孙监督")
    refused = supervisors_check(users=[without], on=TODAY)
    assert codes(refused) == ["supervisors.too_few", "supervisor.no_certificate"]


def test_a_recused_supervisor_is_refused_and_another_pair_may_act():
    desk = desk_make()
    third = supervisor_user_make(bureau=desk.bureau, name="李监督")
    recused = frozenset({desk.first.pk})
    refused = supervisors_check(users=[desk.first, desk.second], on=TODAY, recused_user_ids=recused)
    assert codes(refused) == ["supervisor.recused"] and refused[0].legal_basis == SUPERVISOR_RECUSAL
    assert supervisors_check(users=[third, desk.second], on=TODAY, recused_user_ids=recused) == []


def test_a_supervisor_taken_off_post_is_refused_and_acts_again_once_back_in_post():
    """A platform rule (not an article): the bureau's register marks a supervisor off post (离岗, with
    a reason); their still-valid certificate does not let them act; back in post, they may."""
    from sanxiang.procedure.supervision.rules import SUPERVISOR_OFF_POST_BASIS
    from sanxiang.registry.services import supervisor_update

    desk = desk_make()
    supervisor_update(actor=None, supervisor=desk.second.supervisor, is_active=False, reason="借调市局")
    refused = supervisors_check(users=[desk.first, desk.second], on=TODAY)
    assert codes(refused) == ["supervisor.off_post"]
    assert "赵监督已离岗" in refused[0].message and refused[0].legal_basis == SUPERVISOR_OFF_POST_BASIS
    assert refused[0].legal_basis.startswith("平台规则")
    supervisor_update(actor=None, supervisor=desk.second.supervisor, is_active=True)
    assert supervisors_check(users=[desk.first, desk.second], on=TODAY) == []
