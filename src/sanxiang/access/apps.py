from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "sanxiang.access"
    verbose_name = "访问记录"
