import os
from collections.abc import Callable, Iterable

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.settings")


class HeadWithoutBody:
    """Answer HEAD with the headers that GET would give (Content-Length included) and no body.

    Django leaves the removal of a HEAD response's body to the server; its development server and
    test client do it, waitress does not: it sent the page (or the whole file, through
    wsgi.file_wrapper) after the headers, and on a kept-alive connection the client read those
    bytes as the start of the next response (a tus client's HEAD before resuming, for one). Here,
    once for every view, static file and streamed export: the response is built as for GET, then
    closed unread (closing releases a file and fires Django's request_finished)."""

    def __init__(self, application: Callable):
        self.application = application

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "HEAD":
            return self.application(environ, start_response)

        started = []

        def start_response_without_body(status, headers, exc_info=None):
            started.append(status)
            start_response(status, headers, exc_info)
            return lambda data: None  # the legacy write() callable: nothing is sent for HEAD

        body = self.application(environ, start_response_without_body)
        try:
            if not started:
                # PEP 3333 lets an application call start_response at its first chunk.
                for _ in body:
                    if started:
                        break
        finally:
            close = getattr(body, "close", None)
            if close is not None:
                close()
        return []


application = HeadWithoutBody(get_wsgi_application())
