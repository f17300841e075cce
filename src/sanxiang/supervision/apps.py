from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "sanxiang.supervision"
    verbose_name = "行政执法监督"

    def ready(self) -> None:
        from django.utils import timezone

        from sanxiang.accounts import permissions
        from sanxiang.supervision import selectors

        # A supervisor reads a case's records only under a read grant naming it (调阅案卷).
        permissions.case_read_grant.install(
            lambda user, case_id: selectors.read_grant_active(user=user, case_id=case_id, at=timezone.now())
        )
        permissions.case_ids_granted.install(
            lambda user: selectors.case_ids_granted(user=user, at=timezone.now())
        )
