from django.apps import AppConfig


class MaintenanceConfig(AppConfig):
    name = "sanxiang.maintenance"
    label = "maintenance"
    verbose_name = "运维（备份与恢复）"
