from django.core.management.base import BaseCommand, CommandError

from sanxiang.cases.selectors import working_day_calendar_current
from sanxiang.procedure.calendar import workdays_command_output


class Command(BaseCommand):
    help = (
        "打印起算日后第 N 个工作日（起算日不计入，《行政处罚法》第八十五条）；依据估算的年份时加 (estimated)"
        "（Print the date N working days after START）"
    )

    def add_arguments(self, parser):
        parser.add_argument("start", help="起算日期 YYYY-MM-DD")
        parser.add_argument("n", type=int, help="工作日数")

    def handle(self, *args, **options):
        calendar = working_day_calendar_current()
        try:
            self.stdout.write(workdays_command_output(options["start"], options["n"], calendar))
        except ValueError as error:
            raise CommandError(str(error)) from error
