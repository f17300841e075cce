from django.apps import AppConfig


class MaintenanceConfig(AppConfig):
    name = "sanxiang.maintenance"
    label = "maintenance"
    verbose_name = "运维（备份与恢复、每日维护）"

    def ready(self) -> None:
        # `sanxiang serve` starts the daily work in the background (web cannot import its sibling).
        from sanxiang.hooks import server_periodic_work
        from sanxiang.maintenance.daily import periodic_work_start

        server_periodic_work.install(periodic_work_start)
