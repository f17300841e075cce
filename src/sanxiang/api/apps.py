from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "sanxiang.api"
    label = "api"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from sanxiang.api.idempotency import idempotency_tasks_register

        idempotency_tasks_register()
