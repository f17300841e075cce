"""`sanxiang ledgers`: list the ledgers, create a county's ledger, send agencies' entries to it.

    sanxiang ledgers list
    sanxiang ledgers create wushen --title 乌审旗 [--hash sm3]
    sanxiang ledgers assign wushen 12 13      # agency ids, before their first entry
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from sanxiang.command_checks import WITHOUT_URLS
from sanxiang.ledger.models import Head, Ledger, LedgerAgency
from sanxiang.ledger.selectors import ledger_ids, ledger_name, ledger_origin_for
from sanxiang.ledger.services import LedgerError, ledger_agency_assign, ledger_county_create


class Command(BaseCommand):
    help = "List the ledgers, create a county ledger, or assign agencies to a ledger."
    requires_system_checks = WITHOUT_URLS  # serves no request (sanxiang.command_checks)

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list")
        create = sub.add_parser("create")
        create.add_argument("name")
        create.add_argument("--title", default="")
        create.add_argument("--hash", dest="algorithm", default=None, choices=["sha256", "sm3"])
        assign = sub.add_parser("assign")
        assign.add_argument("name")
        assign.add_argument("agency_ids", nargs="+", type=int)

    def handle(self, *args, **options):
        try:
            with transaction.atomic():
                if options["action"] == "create":
                    ledger = ledger_county_create(
                        name=options["name"], title=options["title"], algorithm=options["algorithm"]
                    )
                    self.stdout.write(f"{ledger.name}: {ledger_origin_for(ledger.id)}")
                elif options["action"] == "assign":
                    ledger = Ledger.objects.filter(name=options["name"]).first()
                    if ledger is None:
                        raise CommandError(f"no county ledger is named {options['name']!r}")
                    for agency_id in options["agency_ids"]:
                        ledger_agency_assign(agency_id=agency_id, ledger=ledger)
                    self.stdout.write(f"{len(options['agency_ids'])} agencies write to {ledger.name}")
                else:
                    sizes = dict(Head.objects.values_list("id", "size"))
                    for ledger_id in ledger_ids():
                        agencies = LedgerAgency.objects.filter(ledger_id=ledger_id).count()
                        self.stdout.write(
                            f"{ledger_name(ledger_id)}\t{ledger_origin_for(ledger_id)}\t"
                            f"{sizes.get(ledger_id, 0)} entries\t{agencies} agencies"
                        )
        except LedgerError as exc:
            raise CommandError(str(exc)) from exc
