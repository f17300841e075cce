from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from sanxiang.ledger import keys
from sanxiang.privatefiles import data_dir_ensure, secret_key_read_or_create

# What waitress takes from the reverse proxy, and only from the proxy's own address: the scheme
# (so that Django knows the request came over HTTPS) and the client's address (so that the access
# log and the login throttle see the citizen or officer, not the proxy).
PROXY_HEADERS = "x-forwarded-proto x-forwarded-for"


def serve_options(*, threads: int = 8) -> dict[str, Any]:
    """waitress's options. Proxy headers are removed from every request, unless it comes from
    SANXIANG_TRUSTED_PROXY while SANXIANG_BEHIND_HTTPS_PROXY is on (README, "Behind a reverse
    proxy (HTTPS)")."""
    options: dict[str, Any] = {"threads": threads, "ident": "sanxiang", "clear_untrusted_proxy_headers": True}
    if settings.SANXIANG_BEHIND_HTTPS_PROXY:
        options |= {
            "trusted_proxy": settings.SANXIANG_TRUSTED_PROXY,
            "trusted_proxy_headers": PROXY_HEADERS,
            "trusted_proxy_count": 1,
        }
    return options


def data_folder_prepare() -> None:
    """Create the data folder owner-only (0700), or tighten an existing one, and keep the secret
    key in it (0600) unless SANXIANG_SECRET_KEY gives one: the settings, read before the folder
    existed, may hold a throw-away key that would log everyone out at the next start."""
    data_dir_ensure(settings.DATA_DIR)
    if settings.SECRET_KEY.startswith("sanxiang-insecure-"):
        settings.SECRET_KEY = secret_key_read_or_create(settings.DATA_DIR, create=True)
    # The ledger's signing key too: requests only read it (GET /ledger/key answers 503 without it).
    keys.signing_key_ensure()


def serve_forever(*, host: str, port: int, stdout, threads: int = 8) -> None:
    """Serve with waitress: a production WSGI server in pure Python that runs the same on the
    Linux servers and the Windows desktops county offices have."""
    from waitress import serve

    from sanxiang.jobs.runner import job_runner_start
    from sanxiang.jobs.schedule import schedule_runner_start
    from sanxiang.wsgi import application

    # The scheduled work (take-downs, alerts, reminders, expired sessions, ...) runs in the
    # background, at most once per period across servers; SANXIANG_SCHEDULE=off leaves it to cron.
    if settings.SANXIANG_SCHEDULE:
        schedule_runner_start(poll=settings.SANXIANG_SCHEDULE_POLL_SECONDS)
    # Background work (documents' Word copies) runs inside the server by itself; with several
    # servers each runs its own runner and SKIP LOCKED gives every job to one of them.
    job_runner_start(poll=settings.SANXIANG_JOBS_POLL_SECONDS)
    # Events for other systems (signed webhooks); SANXIANG_DELIVER=off leaves them to `sanxiang deliver`.
    if settings.SANXIANG_DELIVER:
        from sanxiang.outbox.runner import delivery_runner_start

        delivery_runner_start(poll=settings.SANXIANG_DELIVER_POLL_SECONDS)
    stdout.write(f"\nSanxiang 正在 http://{host}:{port}/ 提供服务（Ctrl+C 停止）")
    serve(application, host=host, port=port, **serve_options(threads=threads))


class Command(BaseCommand):
    help = "以生产级 WSGI 服务器（waitress）提供服务 (Serve with the production WSGI server)"

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args, **options):
        data_folder_prepare()
        serve_forever(host=options["host"], port=options["port"], stdout=self.stdout, threads=options["threads"])
