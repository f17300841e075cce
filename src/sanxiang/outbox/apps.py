from django.apps import AppConfig


class OutboxConfig(AppConfig):
    """Events for other systems (issue 19, item 4): subscriptions, signed webhook deliveries and
    their log. The ledger is the outbox: every entry is written in the transaction of its change,
    and the delivery worker turns the entries of offered kinds into events (`services`)."""

    name = "sanxiang.outbox"
    label = "outbox"
    verbose_name = "事件推送"
    default_auto_field = "django.db.models.BigAutoField"
