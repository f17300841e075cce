from __future__ import annotations

from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "sanxiang.evaluation"
    verbose_name = "考核评估"

    def ready(self) -> None:
        # Each part subscribes to the events it needs here (one block per part).

        # Part: scheduled work and reminders (issue 15, item 9).
        from sanxiang.evaluation.schedule import evaluation_tasks_register

        evaluation_tasks_register()
