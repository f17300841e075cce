from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "sanxiang.accounts"
    verbose_name = "用户与角色"

    def ready(self) -> None:
        from axes.signals import user_locked_out

        user_locked_out.connect(_lockout_record, dispatch_uid="sanxiang.accounts.lockout_record")
        # The registry, below accounts, checks its readers and writers with these rules.
        from sanxiang.accounts import permissions
        from sanxiang.registry.permissions import SLOTS

        for name, slot in SLOTS.items():
            slot.install(getattr(permissions, name))


def _lockout_record(sender, *, request=None, username=None, ip_address=None, **kwargs) -> None:
    from sanxiang.accounts.services import user_lockout_record

    if username:
        user_lockout_record(username=username)
