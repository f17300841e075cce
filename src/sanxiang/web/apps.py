from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "sanxiang.web"
    verbose_name = "界面"
