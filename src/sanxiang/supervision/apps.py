from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "sanxiang.supervision"
    verbose_name = "行政执法监督"

    def ready(self) -> None:
        # 投诉举报 (part D): the portal hands its complaints over through this slot (it never imports
        # the supervision app).
        from sanxiang.public_events import complaint_submit
        from sanxiang.supervision.complaint_services import complaint_submit_from_portal

        complaint_submit.install(complaint_submit_from_portal)
