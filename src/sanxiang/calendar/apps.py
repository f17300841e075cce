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

    def ready(self) -> None:
        from sanxiang.calendar.events import CALENDAR_EVENTS, HolidayYearSaved
        from sanxiang.calendar.selectors import calendar_cache_clear

        # The calendars this process built are keyed by the entered years' version; a save here
        # also forgets them, once it has committed.
        CALENDAR_EVENTS.subscribe(HolidayYearSaved, calendar_cache_clear, atomic=False)
