"""The move to django-otp keeps every enrolled authenticator: the base32 secret becomes the
device's hex key, and a code used before the move is still refused after it."""

import base64
import time

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from sanxiang.accounts.totp import totp_code

BEFORE = [("accounts", "0002_api_token")]
AFTER = [("accounts", "0003_otp_axes_token_expiry")]
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@pytest.mark.engine_independent  # a past migration's data code: checked once, on SQLite
@pytest.mark.django_db(transaction=True)
def test_confirmed_secrets_become_totp_devices_that_accept_the_same_codes():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    OldUser = old_apps.get_model("accounts", "User")
    now_step = time.time() // 30
    used = OldUser.objects.create(
        username="enrolled", role="system_admin", totp_secret=SECRET, totp_confirmed=True,
        totp_last_counter=int(now_step) + 5,  # codes up to this step count as already accepted
    )
    pending = OldUser.objects.create(username="pending", role="system_admin", totp_secret="MFRGGZDFMZTWQ2LK")
    OldUser.objects.create(username="none", role="system_admin")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    # Then on to today's schema, which the model classes below describe.
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    from django_otp.plugins.otp_totp.models import TOTPDevice

    from sanxiang.accounts.models import User

    device = TOTPDevice.objects.get(user_id=used.pk)
    assert device.confirmed and bytes.fromhex(device.key) == base64.b32decode(SECRET)
    assert User.objects.get(pk=used.pk).totp_secret == SECRET
    assert device.last_t == int(now_step) + 5
    assert not device.verify_token(totp_code(SECRET))  # already used before the move
    device.last_t = -1
    device.throttle_reset()
    assert device.verify_token(totp_code(SECRET))  # the same authenticator app still works
    assert not TOTPDevice.objects.get(user_id=pending.pk).confirmed
    assert not TOTPDevice.objects.filter(user__username="none").exists()
