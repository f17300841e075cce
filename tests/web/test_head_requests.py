"""HEAD under waitress (issue 10, item 7): the headers of GET, Content-Length included, and not one
byte of body, so that the next response on a kept-alive connection is read intact (a tus client
sends HEAD before it resumes an upload). Django's test client removes the body itself, so only a
real server shows the defect: waitress on 127.0.0.1, an ephemeral port, in a thread."""

import http.client
import threading

import pytest
import waitress

from sanxiang.wsgi import HeadWithoutBody, application
from tests.factories import agency_make
from tests.ledger.helpers import ledger_purge


@pytest.fixture
def server(transactional_db):
    server = waitress.create_server(application, host="127.0.0.1", port=0, threads=2, ident="sanxiang")

    def run():
        try:
            server.run()
        except OSError:  # the listening socket closed under select() by the teardown
            pass

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield server.effective_port
    finally:
        server.close()
        thread.join(timeout=5)
        # Transactional tests leave ledger rows, which the append-only triggers keep from the flush.
        ledger_purge()


@pytest.mark.parametrize("path", ["/", "/static/web/site.css"])
def test_head_then_get_on_one_kept_alive_connection(server, path):
    agency_make(name="乌审旗市场监督管理局")  # something on the portal's home page
    connection = http.client.HTTPConnection("127.0.0.1", server, timeout=10)
    try:
        connection.request("HEAD", path)
        head = connection.getresponse()
        assert head.status == 200 and head.read() == b""
        assert not head.will_close  # the connection is kept alive...
        sock = connection.sock

        connection.request("GET", path)
        get = connection.getresponse()
        body = get.read()
        assert connection.sock is sock or connection.sock is None  # ...and reused, not reopened
        assert get.status == 200 and len(body) > 0
        assert head.headers["Content-Length"] == get.headers["Content-Length"] == str(len(body))
        assert head.headers["Content-Type"] == get.headers["Content-Type"]

        # A second round on the same connection: nothing was left over from the first HEAD.
        connection.request("HEAD", path)
        again = connection.getresponse()
        assert again.status == 200 and again.read() == b""
        connection.request("GET", path)
        assert connection.getresponse().read() == body
    finally:
        connection.close()


def test_a_streamed_or_file_body_is_closed_unread_for_head():
    events = []

    class Body:
        def __iter__(self):
            events.append("read")
            yield b"chunk"

        def close(self):
            events.append("closed")

    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/csv"), ("Content-Length", "5")])
        return Body()

    seen = []
    wrapped = HeadWithoutBody(app)
    assert list(wrapped({"REQUEST_METHOD": "HEAD"}, lambda status, headers, exc_info=None: seen.append(headers))) == []
    assert events == ["closed"] and ("Content-Length", "5") in seen[0]
    events.clear()
    assert b"".join(wrapped({"REQUEST_METHOD": "GET"}, lambda *args: None)) == b"chunk"


def test_every_public_page_answers_head_as_it_answers_get(client, db):
    """HEAD is a safe method (RFC 9110 §9.3.2): a page that answers GET answers HEAD with the same
    status and headers. The portal's and the feeds' views used `require_GET`, which answered 405."""
    agency_make(name="乌审旗市场监督管理局")
    paths = ["/", "/decisions/", "/agencies/", "/catalogues/", "/annual/", "/decisions/notice/", "/ledger/checkpoint",
             "/decisions/feed.rss", "/decisions/feed.atom", "/decisions/feed.json"]
    answered = {}
    for path in paths:
        get = client.get(path)
        if get.status_code == 404:
            continue
        head = client.head(path)
        answered[path] = (get.status_code, head.status_code)
        assert head.status_code == get.status_code, path
        assert head.content == b"", path
    assert len(answered) >= 5 and all(status == 200 for status, _ in answered.values()), answered
