"""`sanxiang verify`: recompute every ledger (each county's, and the log of their heads) and name
whatever differs, and in which ledger. Exit 0 when all holds, 1 otherwise."""

import json
import sys
import time

from django.core.management.base import BaseCommand, CommandError

from sanxiang.command_checks import WITHOUT_URLS
from sanxiang.ledger.verification import ledgers_verify, note_file_read


class _ProgressBar:
    """A one-line bar on stderr, only on a terminal (a log file gets no carriage returns)."""

    def __init__(self, stream) -> None:
        self.stream = stream
        self.started = time.monotonic()
        self.shown = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        width = 30
        filled = width if not total else width * done // total
        rate = done / max(time.monotonic() - self.started, 1e-9)
        self.stream.write(f"\r{stage} [{'#' * filled}{'.' * (width - filled)}] {done}/{total} {rate:,.0f}/s ")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()


class Command(BaseCommand):
    help = (
        "Recompute every ledger entry, subtree and checkpoint; name what differs (exit 1 if anything does)."
    )
    requires_system_checks = WITHOUT_URLS  # serves no request (sanxiang.command_checks)

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print the report as JSON on stdout")
        parser.add_argument(
            "--checkpoint",
            action="append",
            default=[],
            metavar="FILE",
            help="a signed checkpoint note kept outside the database to check as well (repeatable)",
        )
        parser.add_argument(
            "--trusted-key",
            action="append",
            default=[],
            metavar="VKEY",
            help="another trusted checkpoint key, as name+keyid+base64 (repeatable)",
        )
        parser.add_argument(
            "--batch-size", type=int, default=1 << 14, help="entries per batch (a power of two)"
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar even on a terminal")

    def handle(self, *args, **options):
        stderr = sys.stderr
        bar = _ProgressBar(stderr) if stderr.isatty() and not options["no_progress"] else None
        try:
            external = [note_file_read(path) for path in options["checkpoint"]]
        except OSError as exc:
            raise CommandError(f"cannot read checkpoint file: {exc}") from exc
        try:
            result = ledgers_verify(
                batch_size=options["batch_size"],
                progress=bar or (lambda *a: None),
                external_checkpoints=external,
                trusted_vkeys=options["trusted_key"],
            )
        finally:
            if bar:
                bar.close()
        single = len(result.reports) == 1  # one ledger: the report as it always was
        if options["json"]:
            document = result.reports[0][2].as_json() if single else result.as_json()
            self.stdout.write(json.dumps(document, ensure_ascii=False, indent=1))
        elif single:
            self._write_text(result.reports[0][2])
        else:
            for name, origin, report in result.reports:
                self.stdout.write(f"== ledger {name} ({origin})")
                self._write_text(report)
        if not result.ok:
            failed = "" if single else f" in ledger(s) {', '.join(result.failed())}"
            raise CommandError(f"ledger verification failed{failed}", returncode=1)

    def _write_text(self, report) -> None:
        import base64

        root = base64.b64encode(report.root).decode() if report.root is not None else "(cannot be recomputed)"
        self.stdout.write(
            f"{report.algorithm} ledger: {report.entries} entries, tree size {report.tree_size}, "
            f"{report.nodes_checked} subtree nodes, {report.checkpoints_checked} checkpoints, "
            f"{report.seconds:.1f} s\nroot {root}"
        )
        for finding in report.findings:
            self.stdout.write(f"DIFFERS {finding.code}: {finding.message}")
        if report.findings_total > len(report.findings):
            self.stdout.write(f"... and {report.findings_total - len(report.findings)} more")
        if report.ok:
            self.stdout.write(self.style.SUCCESS("OK: everything recomputes"))
        else:
            seqs = report.differing_seqs()
            named = ", ".join(map(str, seqs[:50])) + (" ..." if len(seqs) > 50 else "")
            self.stdout.write(
                self.style.ERROR(f"FAILED: {report.findings_total} difference(s)")
                + (f"; entries concerned: {named}" if seqs else "")
            )
