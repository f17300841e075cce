from django.apps import AppConfig


class InspectionConfig(AppConfig):
    name = "sanxiang.inspection"
    verbose_name = "行政检查"

    def ready(self) -> None:
        # The registry's refresh of the 事前 page lists the agency's published 抽查事项清单 (publication
        # asks through the slot: inspection and publication are siblings).
        from sanxiang.inspection.register_services import items_public
        from sanxiang.public_events import inspection_items_provided

        inspection_items_provided.install(items_public)
