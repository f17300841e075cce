"""Builds and writes to a real data folder in its own process, as a running server would (the
backup tests need a database file that several processes open, which pytest's in-memory test
database is not). SANXIANG_DATA_DIR and DATABASE_URL come from the environment.

    python tests/backup/seed.py setup            migrate, a case with evidence, a stored upload,
                                                 an open tus upload, a checkpoint; prints JSON
    python tests/backup/seed.py write N          N more evidence files (each: blob, row, ledger entry)
    python tests/backup/seed.py write-until STOP PROGRESS
                                                 the same until the file STOP exists, writing the
                                                 count to PROGRESS after each commit
"""

import io
import json
import os
import random
import sys
from pathlib import Path


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.settings")
    import django

    django.setup()


def _officer_and_case():
    from sanxiang.accounts.models import Role, User
    from sanxiang.cases.models import Case

    user = User.objects.filter(username="backup-officer").first()
    if user is not None:
        return user, Case.objects.order_by("pk").first()
    from sanxiang.cases.services import case_create
    from tests.factories import agency_make, officer_make, user_make

    agency = agency_make(name="乌审旗市场监督管理局")
    user = user_make(
        role=Role.OFFICER, agency=agency, officer=officer_make(agency=agency), username="backup-officer"
    )
    case = case_create(actor=user, agency=agency, number="乌审市监罚〔2026〕1号", title="无照经营")
    return user, case


def _ingest(user, case, data: bytes, name: str = "现场照片.jpg"):
    from sanxiang.evidence import services

    meta = services.evidence_metadata_check(actor=user, kind="photo", original_name=name, case=case)
    return services.evidence_ingest(actor=user, source=io.BytesIO(data), meta=meta)


def _photo(seed: int, size: int = 3000) -> bytes:
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + random.Random(seed).randbytes(size - 11)


def _modes(root: Path) -> dict[str, int]:
    out = {".": root.stat().st_mode & 0o777}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(folder) / name
            out[str(path.relative_to(root))] = path.stat().st_mode & 0o777
    return out


def setup() -> None:
    from django.conf import settings
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.core.management import call_command
    from django.db import connection, transaction

    from sanxiang.evidence import services
    from sanxiang.ledger.services import checkpoint_issue
    from sanxiang.web.management.commands.serve import data_folder_prepare

    data_folder_prepare()  # as `sanxiang demo` and `serve` do
    call_command("migrate", interactive=False, verbosity=0)
    user, case = _officer_and_case()
    _ingest(user, case, _photo(1))
    _ingest(user, case, _photo(2, 5000), name="询问笔录.jpg")
    _ingest(user, case, _photo(1), name="同一照片再次上传.jpg")  # stored once
    default_storage.save("exports/note.txt", ContentFile(b"stored through Django's storage"))
    services.upload_create(
        actor=user, length=10, fields={"kind": "photo", "filename": "a.jpg", "case": str(case.pk)}
    )  # a tus staging file
    with transaction.atomic():
        checkpoint = checkpoint_issue()
    # Read the folder while the database connection is open, so that -wal/-shm are there.
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM ledger_entry")
    print(json.dumps({"tree_size": checkpoint.size, "modes": _modes(Path(settings.DATA_DIR))}))


def write(count: int, stop: Path | None = None, progress: Path | None = None) -> None:
    user, case = _officer_and_case()
    done = 0
    while (stop is None and done < count) or (stop is not None and not stop.exists()):
        _ingest(user, case, _photo(1000 + done + random.randrange(1 << 30)), name=f"照片{done}.jpg")
        done += 1
        if progress is not None:
            tmp = progress.with_suffix(".tmp")
            tmp.write_text(str(done))
            tmp.replace(progress)
    print(json.dumps({"written": done}))


if __name__ == "__main__":
    sys.path[:0] = [
        str(Path(__file__).resolve().parents[2] / "src"),
        str(Path(__file__).resolve().parents[2]),
    ]
    _setup_django()
    command, *args = sys.argv[1:]
    if command == "setup":
        setup()
    elif command == "write":
        write(int(args[0]))
    elif command == "write-until":
        write(0, stop=Path(args[0]), progress=Path(args[1]))
    else:
        raise SystemExit(f"unknown command {command}")
