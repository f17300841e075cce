"""The system checks run before a command that serves no request.

Django runs every system check before a management command. The URL checks import the whole URL
configuration: the API's ~230 operations and their ~2,000 schema classes, about 3 s of CPU on a
2-core machine (`sanxiang verify` took 4.2 s of CPU on a small data folder, 1.1 s without them), paid
by every `sanxiang backup`, `restore`, `verify`, `checkpoint` and job an operator or cron starts. A
command that serves no page runs the checks of every tag but `urls` (models, settings, templates,
security, ...). Django runs a check registered without a tag only when every check runs: here the
login lockout's settings (axes) and the authentication middleware, both about serving requests.
`sanxiang serve`, `sanxiang demo` and `sanxiang check` run every check, and so does the test suite
(tests/test_checks.py, which names the checks the other commands leave out)."""

from django.core.checks import Tags

WITHOUT_URLS: list[str] = [
    value for name, value in vars(Tags).items() if not name.startswith("_") and isinstance(value, str) and value != Tags.urls
]
