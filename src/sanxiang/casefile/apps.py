from django.apps import AppConfig


class CasefileConfig(AppConfig):
    # An app only so that Django finds the `export-case` management command; it has no models.
    name = "sanxiang.casefile"
    label = "casefile"
    verbose_name = "案卷导出"
