"""Security headers and transport (issue 10, item 8): a Content-Security-Policy without inline
script or style on portal and staff pages, and templates that need none; Referrer-Policy; HSTS
and the proxy's X-Forwarded-Proto only when configured, from the environment through `sanxiang
serve` (waitress) to the response."""

import http.client
import json
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import waitress
from django.core.wsgi import get_wsgi_application
from django.urls import reverse

import sanxiang
from sanxiang.accounts.models import Role
from sanxiang.web.management.commands.serve import serve_options
from sanxiang.wsgi import HeadWithoutBody
from tests.factories import agency_make, user_make
from tests.ledger.helpers import ledger_purge

SRC = Path(sanxiang.__file__).resolve().parent


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.fixture
def staff_client(client, db):
    client.force_login(user_make(role=Role.OFFICER, agency=agency_make()))
    return client


@pytest.mark.django_db
def test_portal_and_staff_pages_carry_the_policy_and_referrer_policy(client, staff_client):
    from django.test import Client

    portal = Client().get(reverse("portal:home"))
    staff = staff_client.get(reverse("web:home"))
    for response in (portal, staff):
        assert response.status_code == 200
        directives = policy(response)
        assert directives["script-src"] == ["'self'"] and directives["style-src"] == ["'self'"]
        assert not any("unsafe" in value for values in directives.values() for value in values)
        assert directives["object-src"] == ["'none'"] and directives["frame-ancestors"] == ["'none'"]
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Content-Type-Options"] == "nosniff"
        # Not configured: no HSTS, even on a request that arrived over HTTPS.
        assert "Strict-Transport-Security" not in response
    assert "Strict-Transport-Security" not in Client().get(reverse("portal:home"), secure=True)


# Every template, every script: nothing inline for the policy to block ---------------------------

INLINE = {
    "inline <script>": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE),
    "event handler attribute": re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
    "<style> block": re.compile(r"<style\b", re.IGNORECASE),
    "style attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
}


def test_no_template_needs_inline_script_or_style():
    found = [
        f"{path.relative_to(SRC)}: {what}"
        for path in sorted(SRC.rglob("templates/**/*.html"))
        for what, pattern in INLINE.items()
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_every_stylesheet_and_script_a_template_names_exists():
    named = {
        name
        for path in SRC.rglob("templates/**/*.html")
        for name in re.findall(r"""{% static ['"]([^'"]+\.(?:css|js))['"] %}""", path.read_text(encoding="utf-8"))
    }
    assert "web/site.js" in named and "cases/case.css" in named
    missing = [name for name in named if not any((app / "static" / name).exists() for app in SRC.iterdir() if app.is_dir())]
    assert missing == []


# HSTS and the proxy, from the environment ---------------------------------------------------------


def settings_under(env: dict[str, str], tmp_path) -> dict:
    """The transport settings that `sanxiang.settings` computes from `env`, in a fresh interpreter."""
    code = (
        "import json, sanxiang.settings as s; print(json.dumps({k: getattr(s, k, None) for k in "
        "('SECURE_PROXY_SSL_HEADER', 'SECURE_HSTS_SECONDS', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', "
        "'SANXIANG_BEHIND_HTTPS_PROXY', 'SANXIANG_TRUSTED_PROXY')}))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SANXIANG_")}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True,
        env=clean | {"SANXIANG_DATA_DIR": str(tmp_path / "absent"), "PYTHONPATH": str(SRC.parent)} | env,
    )
    return json.loads(result.stdout)


def test_hsts_and_the_proxy_header_only_when_configured(tmp_path):
    plain = settings_under({}, tmp_path)
    assert plain["SECURE_PROXY_SSL_HEADER"] is None and plain["SECURE_HSTS_SECONDS"] == 0
    assert plain["SESSION_COOKIE_SECURE"] is False

    proxied = settings_under({"SANXIANG_BEHIND_HTTPS_PROXY": "1"}, tmp_path)
    assert proxied["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert proxied["SECURE_HSTS_SECONDS"] == 31_536_000
    assert proxied["SESSION_COOKIE_SECURE"] is True and proxied["CSRF_COOKIE_SECURE"] is True
    assert proxied["SANXIANG_TRUSTED_PROXY"] == "127.0.0.1"

    chosen = settings_under({"SANXIANG_BEHIND_HTTPS_PROXY": "1", "SANXIANG_HSTS_SECONDS": "600"}, tmp_path)
    assert chosen["SECURE_HSTS_SECONDS"] == 600


def _get(port: int, path: str, headers: dict[str, str]) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


@pytest.fixture
def serve(transactional_db):
    """`sanxiang serve`'s waitress, with the settings of the test, on an ephemeral port."""
    servers = []

    def start() -> int:
        server = waitress.create_server(HeadWithoutBody(get_wsgi_application()), host="127.0.0.1", port=0,
                                        **serve_options(threads=2))

        def run():
            try:
                server.run()
            except OSError:  # the listening socket closed under select() by the teardown
                pass

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        servers.append((server, thread))
        return server.effective_port

    yield start
    for server, thread in servers:
        server.close()
        thread.join(timeout=5)
    ledger_purge()


def test_behind_the_proxy_https_is_recognised_and_hsts_sent(serve, settings):
    settings.SANXIANG_BEHIND_HTTPS_PROXY = True
    settings.SANXIANG_TRUSTED_PROXY = "127.0.0.1"
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 31_536_000
    port = serve()
    over_https = _get(port, "/", {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"})
    assert over_https.status == 200
    assert over_https.headers["Strict-Transport-Security"] == "max-age=31536000"
    assert "Content-Security-Policy" in over_https.headers
    # Plain HTTP from the proxy: no HSTS (browsers ignore it there, and it would be a lie).
    assert "Strict-Transport-Security" not in _get(port, "/", {}).headers


def test_without_the_proxy_setting_a_forged_forwarded_proto_is_dropped(serve, settings):
    # Even with Django told to trust the header, waitress removes it when no proxy is configured.
    settings.SANXIANG_BEHIND_HTTPS_PROXY = False
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 31_536_000
    port = serve()
    forged = _get(port, "/", {"X-Forwarded-Proto": "https"})
    assert forged.status == 200 and "Strict-Transport-Security" not in forged.headers
