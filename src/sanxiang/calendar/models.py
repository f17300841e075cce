from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class HolidayYear(models.Model):
    """A year's official holiday schedule entered by an administrator: the State Council
    publishes each year's schedule in autumn, usually before the calendar package is updated."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    holidays = models.JSONField(_("法定节假日"), default=list, help_text=_("ISO 日期列表"))
    adjusted_working_days = models.JSONField(_("调休上班日"), default=list, help_text=_("ISO 日期列表"))
    holiday_names = models.JSONField(_("节日名称"), default=dict)
    source = models.CharField(_("依据"), max_length=200, help_text=_("如：国务院办公厅关于2027年部分节假日安排的通知"))
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        # The table the model had when it lived in `cases` (migration cases 0002): moving the
        # model moved no data (calendar 0001, cases 0004).
        db_table = "cases_holidayyear"
        verbose_name = _("节假日安排")
        verbose_name_plural = _("节假日安排")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)
