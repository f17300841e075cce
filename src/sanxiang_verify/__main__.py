"""`python -m sanxiang_verify FILE.zip [--key VKEY] [--json]` (also the `sanxiang-verify` command).

Exit status: 0 when everything holds, 1 when anything differs, 2 when the check could not run
(unreadable file, malformed key, SM3 needed but unavailable)."""

from __future__ import annotations

import argparse
import json
import os
import sys

from sanxiang_verify.verify import Report, VerifyUsageError, case_file_verify


def _key_values(values: list[str]) -> list[str]:
    """A --key is a verifier key, or the name of a file holding one (as /ledger/key serves it)."""
    keys = []
    for value in values:
        if os.path.isfile(value):
            with open(value, encoding="utf-8") as handle:
                keys.append(handle.read().strip())
        else:
            keys.append(value)
    return keys


def _print_text(report: Report, out) -> None:
    for zh, en in report.warnings:
        print(f"注意 / Warning: {zh}\n  {en}", file=out)
    if not report.ok:
        print(f"核验失败 / Verification FAILED: {report.path}", file=out)
        print(f"有问题的部分 / parts that fail: {', '.join(report.failed_parts)}", file=out)
        for finding in report.findings:
            print(f"  ✗ {finding.text()}", file=out)
        return
    case = report.case or {}
    export = report.export or {}
    by = export.get("by") or {}
    print(f"核验通过 / Verified: {report.path}", file=out)
    print(f"  案件 case: {case.get('number')} {case.get('title')}（{case.get('agency_name')}）", file=out)
    print(f"  导出 exported: {export.get('at')} by {by.get('username', '命令行 command line')}", file=out)
    print(
        f"  账本 ledger: {report.entries} 条条目 entries 均包含于检查点 included in checkpoint "
        f"{report.origin} @ {report.checkpoint_size} ({report.algorithm})",
        file=out,
    )
    files = ", ".join(f"{folder} {count}" for folder, count in report.files.items())
    print(f"  文件 files: {files}（摘要与账本记录一致 digests match the ledger）", file=out)
    source = "给定 given" if report.key_source == "given" else "压缩包自带 archive's own"
    print(f"  签名公钥 key ({source}): {report.key}", file=out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="sanxiang-verify",
        description="核验三项制度平台导出的案卷压缩包 / verify a Sanxiang case-file archive offline",
    )
    parser.add_argument("file", help="the case-file .zip")
    parser.add_argument(
        "--key",
        action="append",
        default=[],
        metavar="VKEY",
        help="trusted checkpoint key (name+keyid+base64, or a file holding it); repeatable",
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    try:
        report = case_file_verify(args.file, vkeys=_key_values(args.key))
    except (VerifyUsageError, OSError) as exc:
        print(f"无法核验 / cannot verify: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report.as_json(), ensure_ascii=False, indent=1))
    else:
        _print_text(report, sys.stdout)
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
