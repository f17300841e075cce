import os

import pytest
from hypothesis import settings as hypothesis_settings

# Tests never assert on wall-clock time: Hypothesis's default 200 ms deadline per example is such an
# assertion, and failed a pure property on a loaded machine. Each test's own settings still apply.
# A property without its own number of examples takes 30 (Hypothesis's default is 100): the suite
# runs twice in CI, on SQLite and PostgreSQL, within its 20 minutes on a 2-core machine.
hypothesis_settings.register_profile("sanxiang", deadline=None, max_examples=30)
hypothesis_settings.load_profile("sanxiang")

# Test files that load the demo county, in two groups that xdist sends whole, and first, to one
# worker each (tests/shared_demo.py): the slowest work starts first and the modules of one demo day
# run one after another on the same worker, sharing one load. Inside a group, files run in this order.
SHARED_DEMO_GROUPS: dict[str, tuple[str, ...]] = {
    "demo-a": (
        # the demo on 2026-06-15, loaded once
        "tests/demo/test_county.py",
        "tests/supervision/test_instruments_demo.py",
        "tests/supervision/test_demo_filings.py",
        "tests/web/test_inbox_demo.py",
        "tests/review/test_tallies_demo.py",
        "tests/publication/test_annual_projection_demo.py",
        "tests/publication/test_content_from_decision_demo.py",
        # what the same load did while it ran (tests.shared_demo.WATCHED_DAY), the documents it
        # rendered included
        "tests/demo/test_load_watched.py",
        "tests/documents/test_demo_documents_text.py",
    ),
    "demo-b": (
        # the demo on 2026-10-09
        "tests/cases/test_case_projection_demo.py",
        "tests/demo/test_demo_coercion.py",
        "tests/cases/test_demo_cases.py",
        "tests/demo/test_grow.py",
        "tests/publication/test_annual_statistics_demo.py",
        # the demo on the day before today, with its year of supervision
        "tests/demo/test_demo_supervision.py",
        "tests/web/test_crawl_client.py",
    ),
    # `sanxiang demo` as a user runs it, loaded once and served (tests/e2e/conftest.py)
    "demo-c": (
        "tests/e2e/test_demo.py",
        "tests/e2e/test_crawl.py",
    ),
}
# The group whose demo day runs on SQLite only. The demo county's load runs on PostgreSQL in group
# demo-b, on two days, and every page of every demo role is opened there (tests/web/test_crawl_client.py).
# demo-a's modules compare what the load stored with a recomputation (tallies, annual acts, the case
# projection's inbox) or read the documents it rendered: each comparison has a module of its own that
# runs on both engines over built cases (test_tallies.py, test_annual_projection.py, test_inbox.py,
# test_instruments.py, test_filings.py, test_content_from_decision.py), and the documents' text is the
# same whatever the engine. Two modules have no such twin and check the loader itself on SQLite only:
# test_county.py (a second load adds nothing, every account signs in, the draws repeat) and
# test_load_watched.py (every record of the load has its ledger entry, each step's snapshot is a fresh
# build's); the loader's code is the same Python over the ORM on both engines, and the load itself
# runs on PostgreSQL in demo-b. The group's second run on PostgreSQL cost one more load and ~250 s.
SQLITE_ONLY_DEMO_GROUP = "demo-a"
_GROUP_OF = {path: group for group, paths in SHARED_DEMO_GROUPS.items() for path in paths}
_RANK_OF = {path: rank for paths in SHARED_DEMO_GROUPS.values() for rank, path in enumerate(paths)}


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config):
    """The README's plain `pytest` runs in parallel: one worker more than the machine has cores
    (three on the CI machine), whole files per worker (`--dist loadfile`, so that a
    module's expensive fixture, such as the served demo, is set up once). Developers keep the
    serial run with `-n 0` or `-p no:xdist`; an explicit `-n N` still chooses its own count.

    Done here rather than in addopts, because `-n` in addopts is an unknown option once
    `-p no:xdist` is given. This hook runs before xdist's own (both try first; a conftest is
    registered after the plugin), while the options can still be changed."""
    if not config.pluginmanager.hasplugin("xdist") or hasattr(config, "workerinput"):
        return
    option = config.option
    if option.numprocesses is None and not option.tx and not option.collectonly and not option.usepdb:
        # One worker more than the machine has cores: a worker waits part of its time on a browser, a
        # process it started or PostgreSQL (CI's SQLite run on two cores used 995 s of CPU in 585 s,
        # 85 % of both cores, with two workers), and the third fills those waits.
        option.numprocesses = (os.cpu_count() or 1) + 1
    if option.numprocesses and option.dist == "no":
        option.dist = "loadfile"
    if (option.numprocesses or option.tx) and not option.testrunuid:
        # The run's id, which xdist gives its workers, known to the controller too: it names the
        # template database that the workers copy on PostgreSQL (django_db_setup below).
        import uuid

        option.testrunuid = uuid.uuid4().hex
    # The order of the work is the collection's (pytest_collection_modifyitems below), not xdist's
    # "most tests first", which left the few slow demo modules to the end, on one worker.
    option.loadscopereorder = False


def pytest_xdist_make_scheduler(config, log):
    """`--dist loadfile`, except that the files of each shared-demo group are one unit of work."""
    if config.option.dist != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class SharedDemoScheduling(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            return _GROUP_OF.get(path, path)

    return SharedDemoScheduling(config, log)


def pytest_collection_modifyitems(session, config, items):
    """The shared-demo groups first (their files in the groups' order), then the other files, most
    tests first (what xdist's own reordering did); inside a file, the tests keep their order."""
    counts: dict[str, int] = {}
    for item in items:
        counts[item.nodeid.split("::", 1)[0]] = counts.get(item.nodeid.split("::", 1)[0], 0) + 1
    groups = list(SHARED_DEMO_GROUPS)

    def key(item):
        path = item.nodeid.split("::", 1)[0]
        if path in _GROUP_OF:
            return (0, groups.index(_GROUP_OF[path]), _RANK_OF[path], "")
        return (1, -counts[path], 0, path)

    items.sort(key=key)  # stable: a file's tests keep their order
    _skip_on_postgresql_what_reaches_no_database(items)


# Fixtures through which a test reaches the database (pytest-django refuses it any other way).
_DB_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences", "django_db_serialized_rollback"}
# A module that starts processes or reads DATABASE_URL may reach PostgreSQL without those fixtures.
_OUTSIDE_ACCESS = ("DATABASE_URL", "subprocess", "sys.executable")


def _skip_on_postgresql_what_reaches_no_database(items) -> None:
    """The README's `pytest` runs on SQLite and again on PostgreSQL (.ci/run). A test without the
    database mark or a database fixture cannot query either (pytest-django blocks it), so its second
    run would repeat the first: the law as code, the documents, the Merkle vectors, the verifier. On
    PostgreSQL those are skipped, unless their module starts processes or reads DATABASE_URL (the
    backups, the commands). Browser tests, tests marked `engine_independent` and the modules of
    SQLITE_ONLY_DEMO_GROUP are skipped there too."""
    import os

    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        return
    skip = pytest.mark.skip(reason="reaches no database: run on SQLite only, where it already ran")
    same = pytest.mark.skip(reason="the same on both engines: run on SQLite only, where it already ran")
    demo = pytest.mark.skip(reason="the demo of 2026-06-15: run on SQLite only (SQLITE_ONLY_DEMO_GROUP)")
    sources: dict[str, bool] = {}
    for item in items:
        if _GROUP_OF.get(item.nodeid.split("::", 1)[0]) == SQLITE_ONLY_DEMO_GROUP:
            item.add_marker(demo)
            continue
        # A browser test checks what the browser is given and does (layout at phone size, scripts,
        # dialogs, focus); the server code it drives is tested through Django's client on both
        # engines, every page of every demo role included (tests/web/test_crawl_client.py).
        # A test marked `engine_independent` checks what no engine changes: it runs its own processes
        # on its own SQLite data folder (backups), checks a past migration's data code (the schema
        # operations of every migration run on both engines whenever a test database is made), or
        # checks the verifier's reading of archives (the export itself is tested on both engines), or
        # checks who may open which page (tests/test_authorization.py's GET matrix).
        if "e2e" in item.keywords or item.get_closest_marker("engine_independent") is not None:
            item.add_marker(same)
            continue
        if item.get_closest_marker("django_db") is not None or _DB_FIXTURES & set(getattr(item, "fixturenames", ())):
            continue
        path = str(item.path)
        if path not in sources:
            text = item.path.read_text(encoding="utf-8") if item.path.suffix == ".py" else ""
            sources[path] = any(word in text for word in _OUTSIDE_ACCESS)
        if not sources[path]:
            item.add_marker(skip)


@pytest.hookimpl(hookwrapper=True, trylast=True)
def pytest_runtest_teardown(item, nextitem):
    """After a test's own teardown (its module's savepoint included), the shared demo is rolled back
    unless the next test wants the same day."""
    yield
    from tests.shared_demo import HOLDER

    if HOLDER.loaded is None:
        return
    marker = nextitem.get_closest_marker("shared_demo") if nextitem is not None else None
    if marker is None or marker.kwargs.get("day") != HOLDER.loaded.day:
        HOLDER.release()


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """With `--durations` (CI's), the slowest files too: the time of their tests' setup, call and
    teardown added up, which is what xdist hands to a worker as one unit (`--dist loadfile`) and what the
    20 slowest tests do not show (a file of many quick tests)."""
    if not config.option.durations:
        return
    by_file: dict[str, float] = {}
    for reports in terminalreporter.stats.values():
        for report in reports:
            if getattr(report, "when", None) in ("setup", "call", "teardown"):
                path = report.nodeid.split("::", 1)[0]
                by_file[path] = by_file.get(path, 0.0) + report.duration
    if not by_file:
        return
    terminalreporter.write_sep("=", f"slowest 20 files (of {len(by_file)}; {sum(by_file.values()):.0f} s of tests in all)")
    for path, seconds in sorted(by_file.items(), key=lambda item: -item[1])[:20]:
        terminalreporter.write_line(f"{seconds:8.1f}s {path}")


def pytest_configure(config):
    config.addinivalue_line("markers", "shared_demo(day): the module shares one load of the demo county "
                                       "on that day with the next modules (tests/shared_demo.py)")
    from django.conf import settings

    # On PostgreSQL a test's commits (migrations while the test database is made, transactional tests,
    # live servers) need not wait for the WAL to reach the disk: a test database never outlives a crash.
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("postgresql"):
        options = database.setdefault("OPTIONS", {})
        options["options"] = (options.get("options", "") + " -c synchronous_commit=off").strip()
    # Hashing passwords properly takes ~0.3 s each; tests create hundreds of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Documents' Word copies in the step's own transaction, as before they could follow it: the tests
    # of the background path (tests/cases/test_document_copies.py) set "background" themselves.
    settings.SANXIANG_DOCUMENT_COPIES = "in_step"


def _postgresql_template_name(config) -> str | None:
    """Under xdist on PostgreSQL, the database that the first worker migrates and every worker clones."""
    from django.conf import settings

    workerinput = getattr(config, "workerinput", None)
    uid = workerinput["testrunuid"] if workerinput is not None else getattr(config.option, "testrunuid", None)
    if uid is None or not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return None
    # Within PostgreSQL's 63 bytes whatever the database's name, with a worker's "_gw12" after it.
    return f"{TEMPLATE_PREFIX}{settings.DATABASES['default']['NAME'][:20]}_{uid[:12]}"


TEMPLATE_PREFIX = "test_template_"


def _postgresql_admin():
    import psycopg
    from django.conf import settings

    database = settings.DATABASES["default"]
    return psycopg.connect(dbname="postgres", host=database.get("HOST") or None, port=database.get("PORT") or None,
                           user=database.get("USER") or None, password=database.get("PASSWORD") or None,
                           autocommit=True)


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker, django_db_use_migrations, django_db_keepdb,
                    django_db_createdb, django_db_modify_db_settings):
    """On PostgreSQL under xdist, the test database is migrated once, by the first worker to get there,
    into a template that each worker copies (`CREATE DATABASE ... TEMPLATE`, as Django's own parallel
    runner does), where each worker migrated its own: the ~130 migrations cost ~15 s of CPU in the
    worker and more in the server, three times per CI run. Elsewhere (SQLite, one process), pytest-django's
    own setup. The template is dropped by the controller at the end (pytest_sessionfinish)."""
    template = _postgresql_template_name(request.config)
    if template is None or django_db_keepdb or not django_db_use_migrations:
        from pytest_django.fixtures import django_db_setup as plain

        yield from plain._get_wrapped_function()(request, django_test_environment, django_db_blocker, django_db_use_migrations,
                                     django_db_keepdb, django_db_createdb, django_db_modify_db_settings)
        return
    import fcntl
    import tempfile
    from pathlib import Path

    from django.conf import settings
    from django.db import connection

    worker = request.config.workerinput["workerid"]
    lock_path = Path(tempfile.gettempdir()) / f"{template}.lock"
    with django_db_blocker.unblock(), open(lock_path, "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one worker at a time: the migration, then each copy
        try:
            lock.seek(0)
            if lock.read() != "ready":
                connection.settings_dict.setdefault("TEST", {})["NAME"] = template
                connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
                lock.seek(0)
                lock.truncate()
                lock.write("ready")
                lock.flush()
            else:
                connection.settings_dict["NAME"] = template
            connection.creation.clone_test_db(suffix=worker, verbosity=0)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
        own = connection.creation.get_test_db_clone_settings(worker)["NAME"]
        settings.DATABASES["default"]["NAME"] = own
        connection.settings_dict["NAME"] = own
        connection.close()
    yield
    with django_db_blocker.unblock():
        connection.close()
        with connection.creation._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{own}" WITH (FORCE)')


def pytest_sessionfinish(session, exitstatus):
    """The controller drops the template the workers copied their test database from."""
    if hasattr(session.config, "workerinput"):
        return
    template = _postgresql_template_name(session.config)
    if template is None:
        return
    import tempfile
    from pathlib import Path

    with _postgresql_admin() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
    (Path(tempfile.gettempdir()) / f"{template}.lock").unlink(missing_ok=True)


def pytest_sessionstart(session):
    """The controller drops the templates, and the workers' copies, that a run killed before its end
    left on the server: nobody connected to them, and their lock file gone or untouched for an hour (a
    run going on beside this one keeps its own), and those lock files."""
    if hasattr(session.config, "workerinput") or _postgresql_template_name(session.config) is None:
        return
    import re
    import tempfile
    import time
    from pathlib import Path

    def lock_of(name: str) -> Path:
        return Path(tempfile.gettempdir()) / f"{re.sub(r'_gw[0-9]+$', '', name)}.lock"

    def stale(name: str) -> bool:
        lock = lock_of(name)
        return not lock.exists() or time.time() - lock.stat().st_mtime > 3600

    with _postgresql_admin() as admin:
        left = [name for (name,) in admin.execute(
            "SELECT datname FROM pg_database WHERE starts_with(datname, %s) AND datname NOT IN "
            "(SELECT datname FROM pg_stat_activity WHERE datname IS NOT NULL)", [TEMPLATE_PREFIX]) if stale(name)]
        for name in left:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    for name in left:
        lock_of(name).unlink(missing_ok=True)


@pytest.fixture(scope="session")
def browser():
    """pytest-playwright's session-wide browser (behind its `page` and `context` fixtures) leaves an
    event loop marked running in the worker's thread, and every database test that the worker
    runs after it fails: browser tests take tests/e2e's `chromium_page` or `browser_page`."""
    pytest.fail("use the chromium_page or browser_page fixture (tests/e2e/conftest.py), not pytest-playwright's page")


# Tables the flush keeps: what post_migrate would write back at once (the same rows).
_FLUSH_KEPT = {"django_content_type", "auth_permission", "django_migrations"}


@pytest.fixture(scope="session", autouse=True)
def _postgresql_flush_by_delete(django_db_setup, django_db_blocker):
    """Between transactional tests (live servers, threads) Django empties every table with one TRUNCATE
    of all of them, then writes the content types and permissions back. On PostgreSQL the TRUNCATE
    takes an exclusive lock on every table (waiting for a live server's idle connection) and new files
    for each; the tests' tables hold a few rows. So the tests delete the rows instead, with the
    replication role that skips triggers (the ledger's append-only ones, and the foreign keys' checks,
    as TRUNCATE does), and keep the content types and permissions. Tests only: an installation never
    flushes its database."""
    from django.db import connection

    if connection.vendor != "postgresql":
        yield
        return

    ops = connection.ops
    original = ops.sql_flush

    def sql_flush(style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences:
            return original(style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        kept = [t for t in tables if t not in _FLUSH_KEPT]
        return ["SET LOCAL session_replication_role = replica",
                *(f"DELETE FROM {ops.quote_name(t)}" for t in kept)]

    ops.sql_flush = sql_flush
    yield
    ops.sql_flush = original


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, settings):
    """Each test gets its own data folder, so nothing leaks into ./var."""
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir()
    settings.MEDIA_ROOT = settings.DATA_DIR / "files"
    return settings.DATA_DIR
