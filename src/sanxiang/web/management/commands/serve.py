from django.core.management.base import BaseCommand


def serve_forever(*, host: str, port: int, stdout, threads: int = 8) -> None:
    """Serve with waitress: a production WSGI server in pure Python that runs the same on the
    Linux servers and the Windows desktops county offices have."""
    from waitress import serve

    from sanxiang.wsgi import application

    stdout.write(f"\nSanxiang 正在 http://{host}:{port}/ 提供服务（Ctrl+C 停止）")
    serve(application, host=host, port=port, threads=threads, ident="sanxiang", clear_untrusted_proxy_headers=True)


class Command(BaseCommand):
    help = "以生产级 WSGI 服务器（waitress）提供服务 (Serve with the production WSGI server)"

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args, **options):
        serve_forever(host=options["host"], port=options["port"], stdout=self.stdout, threads=options["threads"])
