from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    """The exchange with the provincial supervision information system (行政执法监督条例, art. 37):
    documented JSON documents per case, per decision and per year, their JSON Schemas, the daily
    export, and the import of assignments from above."""

    name = "sanxiang.exchange"
    label = "exchange"
    verbose_name = "与省级行政执法监督信息系统的数据交换"

    def ready(self) -> None:
        from sanxiang.exchange.schedule import exchange_tasks_register

        exchange_tasks_register()
