from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "sanxiang.portal"
    verbose_name = "公示门户"
