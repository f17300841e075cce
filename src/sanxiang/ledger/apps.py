from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "sanxiang.ledger"
    label = "ledger"
    verbose_name = "全过程记录账本"
    default_auto_field = "django.db.models.BigAutoField"
