from django.apps import AppConfig


class CalendarConfig(AppConfig):
    """The official working-day calendar's Django side: the years a county enters, the page on which
    supervisors enter them, and `sanxiang workdays`. The arithmetic is `procedure.calendar`.

    The label `calendar` does not clash in Django's app registry (labels are names, not imports;
    no installed app has it), and every import of this package is absolute (`sanxiang.calendar`),
    so the standard library's `calendar` module is untouched."""

    name = "sanxiang.calendar"
    label = "calendar"
    verbose_name = "工作日历"
    default_auto_field = "django.db.models.BigAutoField"
