"""`sanxiang restore FILE DIR`: restore a backup into a new data folder (and, for PostgreSQL, into
the empty database DATABASE_URL names), then run `sanxiang verify` on it.

Exit status: 0 restored and verified; 1 restored but the verification names differences;
2 refused (damaged archive, target not empty, other version); 3 refused because the backup is
older than a published checkpoint (see --accept-fork); 4 refused because the backup's ledger key
is not the installation's (see --accept-key-change)."""

import tempfile
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from sanxiang.command_checks import WITHOUT_URLS
from sanxiang.maintenance import backup as ops


class Command(BaseCommand):
    help = (
        "从备份恢复到新的数据目录 DIR（PostgreSQL：恢复到 DATABASE_URL 所指的空数据库），然后运行账本校验。"
        " (Restore a backup into a new data folder and verify the ledger.)"
    )
    requires_system_checks = WITHOUT_URLS  # serves no request (sanxiang.command_checks)

    def add_arguments(self, parser):
        parser.add_argument("file", help="the archive written by `sanxiang backup`")
        parser.add_argument("dir", help="the new data folder (must not exist or be empty)")
        parser.add_argument(
            "--checkpoint",
            action="append",
            default=[],
            metavar="FILE",
            help="the latest published signed checkpoint (repeatable): a backup older than it is refused",
        )
        parser.add_argument(
            "--trusted-key",
            action="append",
            default=[],
            metavar="VKEY",
            help="another trusted checkpoint key, as name+keyid+base64 (repeatable)",
        )
        parser.add_argument(
            "--accept-fork",
            action="store_true",
            help="restore a backup older than a published checkpoint anyway, recording the fork in the ledger",
        )
        parser.add_argument(
            "--accept-key-change",
            action="store_true",
            help=(
                "restore a backup whose ledger key is not the installation's (or whose key does not verify the"
                " installation's own checkpoint) anyway, recording both keys in the ledger"
            ),
        )

    def handle(self, *args, **options):
        try:
            self._restore(options)
        except ops.BackupError as exc:
            raise CommandError(str(exc), returncode=exc.exit_code) from exc

    def _restore(self, options) -> None:
        archive = Path(options["file"])
        published = ops.note_files_read(options["checkpoint"])
        self.stderr.write("检查备份文件 checking the archive ...")
        manifest = ops.archive_check(archive)
        ledger = manifest["ledger"]
        self.stdout.write(
            f"备份 Backup of {manifest['created_at']} ({manifest['engine']}): 账本 {ledger['tree_size']} 条记录 entries, "
            f"{manifest['files']['count']} 个存储文件 stored files; 清单校验通过 manifest digests match"
        )
        ledger_key = (
            ops.archive_read_member(archive, ops.LEDGER_KEY_MEMBER)
            if manifest["keys"]["ledger_signing_key"]
            else None
        )
        replaced = ops.installation_checkpoint_read(target=options["dir"])
        found = replaced.checkpoints
        # An installation that never wrote an entry nor signed a checkpoint (a fresh machine whose
        # service started once and made its key) has no key anyone may hold: it is no key change.
        installation = None if replaced.empty else ops.installation_verifier()
        if not published and not found:
            # Nothing to compare with: say so, rather than let a fork go unnoticed.
            self.stderr.write(
                "警告：未提供已公布的检查点（--checkpoint），也未找到被替换安装的检查点：无法判断此备份是否早于已公布的内容，"
                "恢复后继续记账可能与已公布的账本分叉。请先取得最新公布的检查点 (/ledger/checkpoint 的副本) 再恢复。\n"
                "WARNING: no published checkpoint given (--checkpoint) and none found: whether this backup is older "
                "than what was published cannot be checked"
            )
        assessment = ops.published_checkpoints_check(
            manifest=manifest,
            notes=published,
            found=found,
            ledger_key=ledger_key,
            trusted_vkeys=options["trusted_key"],
            installation=installation,
            accept_key_change=options["accept_key_change"],
        )
        ops.published_consistency_check(archive=archive, manifest=manifest, assessment=assessment)
        if assessment.forks and not options["accept_fork"]:
            raise ops.ForkRefused(
                (
                    "备份早于已公布的检查点，未恢复任何内容 (backup older than a published checkpoint: nothing restored)"
                    if assessment.unreachable
                    else "备份与已公布的检查点不一致，未恢复任何内容 (backup inconsistent with a published checkpoint)"
                )
                + "\n"
                + assessment.explanation()
            )
        result = ops.restore_into(archive=archive, manifest=manifest, target=options["dir"])
        self.stdout.write(f"已恢复到 Restored into {result.target}: {result.files} 个存储文件 stored files")
        if not manifest["keys"]["ledger_signing_key"]:
            self.stdout.write(
                self.style.WARNING("备份中没有账本签名密钥：运行时请照旧设置 SANXIANG_LEDGER_SIGNING_KEY")
            )
        ops.restored_data_use(target=result.target, engine=result.engine)
        if assessment.key_change is not None and not assessment.forks:
            seq = ops.fork_record(manifest=manifest, assessment=assessment)
            self.stdout.write(
                self.style.WARNING(
                    f"密钥变更已记录 Key change recorded as ledger entry {seq}: {assessment.key_change.reason}"
                )
            )
        if assessment.forks:
            seq = ops.fork_record(manifest=manifest, assessment=assessment)
            labels = ", ".join(c.label for c in [*assessment.unreachable, *assessment.inconsistent])
            self.stdout.write(
                self.style.WARNING(
                    f"账本分叉已记录 Fork recorded as ledger entry {seq}: 已公布的检查点 {labels} 与恢复后的账本不一致"
                    " (these published checkpoints no longer match this ledger)"
                    + (
                        f"；第 {assessment.tree_size}..{max(c.size for c in assessment.unreachable) - 1} 号记录不在备份中"
                        if assessment.unreachable
                        else ""
                    )
                )
            )
        self.stdout.write("账本校验 Verifying the restored ledger (sanxiang verify):")
        given = set(options["checkpoint"])
        reachable = [
            arg for cp in assessment.reachable if cp.label in given for arg in ("--checkpoint", cp.label)
        ]
        trusted = [arg for key in options["trusted_key"] for arg in ("--trusted-key", key)]
        with tempfile.TemporaryDirectory(prefix="sanxiang-restore-found-") as folder:
            # The installation's own checkpoints the restored ledger reaches are held against it too
            # (not after an accepted key change: the restored ledger's key does not verify them).
            notes = {cp.label: cp.note for cp in found} if assessment.key_change is None else {}
            for n, cp in enumerate(assessment.reachable):
                if cp.label in notes:
                    path = Path(folder) / f"installation-{n}.note"
                    path.write_text(notes[cp.label], encoding="utf-8")
                    reachable += ["--checkpoint", str(path)]
            call_command("verify", *reachable, *trusted, "--no-progress", stdout=self.stdout, stderr=self.stderr)
        how = (
            "（不设 DATABASE_URL，without DATABASE_URL）"
            if result.engine == "sqlite"
            else "（DATABASE_URL 照旧，with DATABASE_URL as now）"
        )
        self.stdout.write(
            f"恢复完成 Restore complete. 启动 Start with: SANXIANG_DATA_DIR={result.target} sanxiang serve {how}"
        )
