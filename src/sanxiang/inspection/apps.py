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
        # The annual data counts the register's inspections (issue 17, item 7), asked the same way.
        from sanxiang.inspection.annual_selectors import inspection_annual_figures
        from sanxiang.public_events import inspection_annual_provided

        inspection_annual_provided.install(inspection_annual_figures)
