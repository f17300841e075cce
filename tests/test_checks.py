"""Django's system checks, the URL checks included, pass; and which commands skip the URL checks
(sanxiang.command_checks): those that serve no request, never `serve` nor `demo`."""

import importlib

from django.core.checks import Tags
from django.core.checks.registry import registry
from django.core.management import call_command, get_commands

from sanxiang.command_checks import WITHOUT_URLS

SERVING = {"serve", "demo"}


def test_every_system_check_passes_the_urls_included():
    call_command("check", fail_level="WARNING")  # raises SystemCheckError on any error or warning
    call_command("check", tags=[Tags.urls], fail_level="WARNING")


def test_only_commands_that_serve_nothing_skip_the_url_checks():
    ours = {name: app for name, app in get_commands().items() if app.startswith("sanxiang.")}
    assert {"verify", "backup", "restore", "checkpoint", "serve", "demo"} <= set(ours)
    skipping = set()
    for name, app in ours.items():
        command = importlib.import_module(f"{app}.management.commands.{name}").Command
        checks = command.requires_system_checks
        if checks == "__all__":
            continue
        assert Tags.urls not in checks, name
        skipping.add(name)
        if name != "workdays":  # needs no database nor settings beyond the calendar's
            assert checks == WITHOUT_URLS, name
    assert not skipping & SERVING
    assert {"verify", "backup", "restore", "checkpoint", "deliver", "tick"} <= skipping


def test_a_command_that_serves_nothing_leaves_out_only_the_url_checks_and_two_about_requests():
    """A check added later without a tag, or with only `urls`, is skipped by backup, verify and the
    jobs: this names each such check, so that adding one is a decision (sanxiang.command_checks)."""
    left_out = {f"{check.__module__}.{check.__name__}" for check in registry.registered_checks
                if not set(getattr(check, "tags", ())) & set(WITHOUT_URLS)}
    assert left_out == {
        "django.core.checks.urls.check_url_config",
        "django.core.checks.urls.check_url_namespaces_unique",
        "django.core.checks.urls.check_url_settings",
        "django.core.checks.urls.check_custom_error_handlers",
        "axes.checks.axes_conf_check",  # the login lockout's settings: serving requests
        "django.contrib.auth.checks.check_middleware",  # the authentication middleware: serving requests
    }

