from django.apps import AppConfig


class InspectionConfig(AppConfig):
    name = "sanxiang.inspection"
    verbose_name = "行政检查"
