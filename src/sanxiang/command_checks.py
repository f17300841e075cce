"""The system checks run before a command that serves no request.

Django runs every system check before a management command. The URL checks import the whole URL
configuration: the API's ~230 operations and their ~2,000 schema classes, about 3 s of CPU on a
2-core machine (`sanxiang verify` took 4.2 s of CPU on a small data folder, 1.1 s without them), paid
by every `sanxiang backup`, `restore`, `verify`, `checkpoint` and job an operator or cron starts. A
command that serves no page checks everything else (models, settings, templates, security, ...);
`sanxiang serve`, `sanxiang demo` and `sanxiang check` still check the URLs, and so does every test
run (tests/test_checks.py)."""

from django.core.checks import Tags

WITHOUT_URLS: list[str] = [
    value for name, value in vars(Tags).items() if not name.startswith("_") and isinstance(value, str) and value != Tags.urls
]
