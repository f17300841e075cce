from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "sanxiang.cases"
    verbose_name = "案件"

    def ready(self) -> None:
        # Evidence, below cases, files records under a case: it asks for the case (checked against
        # what the viewer may read) through its slot.
        from sanxiang.cases.selectors import case_get
        from sanxiang.evidence.selectors import case_for_viewer

        case_for_viewer.install(case_get)
