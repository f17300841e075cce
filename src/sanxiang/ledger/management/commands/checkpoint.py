"""`sanxiang checkpoint`: sign the current tree head (run it periodically, e.g. from cron)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from sanxiang.ledger.services import checkpoint_issue


class Command(BaseCommand):
    help = "Sign the ledger's current tree head as a C2SP checkpoint and print the note."

    def handle(self, *args, **options):
        with transaction.atomic():
            checkpoint = checkpoint_issue()
        self.stdout.write(checkpoint.note, ending="")
