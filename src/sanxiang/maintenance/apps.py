from django.apps import AppConfig


class MaintenanceConfig(AppConfig):
    name = "sanxiang.maintenance"
    label = "maintenance"
    verbose_name = "运维（备份与恢复、每日维护）"

    def ready(self) -> None:
        # The daily work (expired sessions, signed checkpoints) runs through the scheduler.
        from sanxiang.maintenance.daily import maintenance_tasks_register

        maintenance_tasks_register()
