"""Issue 10: the second factor moves to django-otp's TOTPDevice and the lockout to django-axes.

Every existing secret (base32 in User.totp_secret) becomes a TOTPDevice with the same key in hex,
confirmed or not as it was, with the last accepted time step kept, so that nobody has to enrol
their authenticator again and a code already used stays used. API tokens get an expiry: those
issued before it existed expire a year after they were created."""

import base64
import binascii
import datetime as dt

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import sanxiang.accounts.models


def _key_hex(secret_b32: str) -> str:
    padded = secret_b32.strip().upper() + "=" * (-len(secret_b32.strip()) % 8)
    return binascii.hexlify(base64.b32decode(padded)).decode("ascii")


def secrets_to_devices(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    TOTPDevice = apps.get_model("otp_totp", "TOTPDevice")
    for user in User.objects.exclude(totp_secret="").iterator():
        TOTPDevice.objects.create(
            user=user,
            name="验证器",
            key=_key_hex(user.totp_secret),
            confirmed=user.totp_confirmed,
            step=30,
            t0=0,
            digits=6,
            tolerance=1,
            drift=0,
            last_t=user.totp_last_counter if user.totp_last_counter > 0 else -1,
        )


def devices_to_secrets(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    TOTPDevice = apps.get_model("otp_totp", "TOTPDevice")
    for device in TOTPDevice.objects.order_by("confirmed", "pk").iterator():
        User.objects.filter(pk=device.user_id).update(
            totp_secret=base64.b32encode(binascii.unhexlify(device.key)).decode("ascii"),
            totp_confirmed=device.confirmed,
            totp_last_counter=max(device.last_t, 0),
        )
    TOTPDevice.objects.all().delete()


def token_expiry_fill(apps, schema_editor):
    ApiToken = apps.get_model("accounts", "ApiToken")
    for token in ApiToken.objects.filter(expires_at__isnull=True).iterator():
        token.expires_at = token.created_at + dt.timedelta(days=365)
        token.save(update_fields=["expires_at"])


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_api_token"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [
        migrations.AlterModelManagers(
            name="user",
            managers=[("objects", sanxiang.accounts.models.SanxiangUserManager())],
        ),
        migrations.AddField(
            model_name="user",
            name="must_change_password",
            field=models.BooleanField(default=False, verbose_name="下次登录须修改密码"),
        ),
        migrations.AddField(
            model_name="user",
            name="lockout_recorded_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True, verbose_name="有效期至"),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="created_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="签发人",
            ),
        ),
        migrations.RunPython(secrets_to_devices, devices_to_secrets),
        migrations.RunPython(token_expiry_fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(verbose_name="有效期至"),
        ),
        migrations.RemoveField(model_name="user", name="totp_secret"),
        migrations.RemoveField(model_name="user", name="totp_confirmed"),
        migrations.RemoveField(model_name="user", name="totp_last_counter"),
        migrations.DeleteModel(name="LoginThrottle"),
        # The admin's change form shows a broken role–agency rule in Chinese beside the form.
        migrations.AlterConstraint(
            model_name="user",
            name="agency_role_has_agency",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("role__in", ["agency_admin", "agency_head", "officer", "reviewer"]), _negated=True),
                    ("agency__isnull", False),
                    _connector="OR",
                ),
                name="agency_role_has_agency",
                violation_error_message="本角色的用户必须属于一个执法主体（系统权限规则）",
            ),
        ),
    ]
