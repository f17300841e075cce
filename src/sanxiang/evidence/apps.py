from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "sanxiang.evidence"
    label = "evidence"
    verbose_name = "证据存储"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # `sanxiang verify` re-hashes every stored file through this check.
        from sanxiang.evidence.verification import evidence_files_check
        from sanxiang.ledger.verification import verification_check_register

        verification_check_register(evidence_files_check)
        # Abandoned uploads expire by the scheduler (jobs.schedule), daily.
        from sanxiang.evidence.schedule import evidence_tasks_register

        evidence_tasks_register()
