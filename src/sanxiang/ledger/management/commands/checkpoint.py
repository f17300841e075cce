"""`sanxiang checkpoint`: sign the current tree heads (run it periodically, e.g. from cron).

With one ledger, its checkpoint is printed as always. With county ledgers, every ledger's head is
signed (each recorded in the log of heads), then the log's own head, and every note is printed,
the log's last; `--ledger NAME` signs one ledger only."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from sanxiang.command_checks import WITHOUT_URLS
from sanxiang.ledger.selectors import ledger_by_name
from sanxiang.ledger.services import checkpoint_issue, checkpoints_issue_all


class Command(BaseCommand):
    help = "Sign the ledgers' current tree heads as C2SP checkpoints and print the notes."
    requires_system_checks = WITHOUT_URLS  # serves no request (sanxiang.command_checks)

    def add_arguments(self, parser):
        parser.add_argument("--ledger", help="sign this ledger only (its name; default: every ledger)")

    def handle(self, *args, **options):
        with transaction.atomic():
            if options["ledger"]:
                ledger_id = ledger_by_name(options["ledger"])
                if ledger_id is None:
                    raise CommandError(f"no ledger is named {options['ledger']!r}")
                checkpoints = [checkpoint_issue(ledger_id=ledger_id)]
            else:
                checkpoints = checkpoints_issue_all()
        self.stdout.write("\n".join(c.note for c in checkpoints), ending="")
