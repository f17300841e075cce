"""Helpers for tests that read rendered pages."""

import re
from pathlib import Path


def linked_css(html: str) -> str:
    """The text of every stylesheet that `html` links from this site's static files (page styles
    live in files: the Content-Security-Policy allows no <style> block)."""
    from django.conf import settings
    from django.contrib.staticfiles import finders

    texts = []
    for href in re.findall(r'<link rel="stylesheet" href="([^"]+)"', html):
        name = href.removeprefix("/" + settings.STATIC_URL.strip("/") + "/")
        found = finders.find(name)
        assert found, f"stylesheet {href} not found"
        texts.append(Path(found).read_text(encoding="utf-8"))
    return "\n".join(texts)
