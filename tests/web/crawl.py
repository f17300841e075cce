"""What the crawls of the staff pages share (tests/web/test_crawl_client.py with Django's test
client, tests/e2e/test_crawl.py in Chromium at both sizes): which links are followed, how many of
each kind, and which words in a page's text are internal codes or English (issue 13 item 6).

A page's words are its text nodes, its <title> and the placeholders and labels of its controls,
without <script>/<style> and without elements marked translate="no" (data that is not the
platform's language: user names, file names, digests)."""

import re
from collections import Counter
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urldefrag, urljoin, urlsplit

# Where staff pages live; the public portal has its own tests (and owner).
STAFF_PREFIXES = ("/staff/", "/accounts/")
SKIP_PREFIXES = ("/admin/", "/accounts/logout/", "/i18n/", "/api/", "/ledger/")
DOWNLOAD = re.compile(r"\.(pdf|docx?|xlsx?|csv|zip|json|txt|jpe?g|png|mp4|mp3|ofd)$|/(download|export|raw|file)/?$", re.I)
DOWNLOAD_QUERY = {"format", "export", "download"}

# Words that are not English on a Chinese page: file formats, units, and "IP" (GB/T 22239 writes
# IP地址 too).
ALLOWED_WORDS = {
    "pdf", "word", "excel", "csv", "zip", "ofd", "jpg", "jpeg", "png", "mp4", "docx", "xlsx", "xls", "json", "ip",
    "kb", "mb", "gb", "km", "kg", "mm", "cm", "ml", "kw", "kwh",
    # A receiving system's address for event deliveries is asked for as "以 https:// 开头".
    "https", "post",
}
# A token of ASCII letters (and _ or -) without a digit: a word. Tokens with digits are numbers,
# 文号, codes of the registry (统一社会信用代码) or digests, all data.
TOKEN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_\-.@/:]*")
URLISH = re.compile(r"^(https?://|/|www\.)|@|\.[a-z]{2,4}$", re.I)

MAX_PER_PATTERN = 2


def url_pattern(url: str) -> str:
    """Numbers in the path collapsed, the query's names kept (not its values): /staff/cases/12/
    and /staff/cases/13/ are one pattern, ?status=open and ?status=closed another."""
    parts = urlsplit(url)
    path = re.sub(r"\d+", "N", parts.path)
    names = sorted({name for name, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return path + ("?" + "&".join(names) if names else "")


def is_followed(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme not in ("", "http", "https") or (parts.netloc not in ("", "testserver") and not parts.netloc.startswith("127.0.0.1")):
        return False
    path = parts.path
    if path.startswith(SKIP_PREFIXES) or not path.startswith(STAFF_PREFIXES) or DOWNLOAD.search(path):
        return False
    names = {name for name, _ in parse_qsl(parts.query, keep_blank_values=True)}
    return not names & DOWNLOAD_QUERY


class Frontier:
    """The links still to visit, breadth first, at most MAX_PER_PATTERN of each pattern and
    `cap` pages in all."""

    def __init__(self, start: str, *, cap: int):
        self.cap = cap
        self.queue = [start]
        self.seen = {start}
        self.patterns = Counter({url_pattern(start): 1})
        self.visited = 0

    def add(self, base: str, hrefs) -> None:
        for href in hrefs:
            url = urldefrag(urljoin(base, href)).url
            parts = urlsplit(url)
            path = parts.path + ("?" + parts.query if parts.query else "")
            if path in self.seen or not is_followed(url):
                continue
            pattern = url_pattern(path)
            if self.patterns[pattern] >= MAX_PER_PATTERN:
                continue
            self.seen.add(path)
            self.patterns[pattern] += 1
            self.queue.append(path)

    def __iter__(self):
        while self.queue and self.visited < self.cap:
            self.visited += 1
            yield self.queue.pop(0)


class _PageText(HTMLParser):
    SKIPPED = {"script", "style", "template", "svg"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.links: list[str] = []
        self.stack: list[tuple[str, bool]] = []  # (tag, whether its text is skipped)

    def _skipping(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href") and "download" not in attrs:
            self.links.append(attrs["href"])
        skip = self._skipping() or tag in self.SKIPPED or attrs.get("translate") == "no" or "hidden" in attrs
        if not skip:
            for name in ("placeholder", "aria-label", "title", "alt"):
                if attrs.get(name):
                    self.texts.append(attrs[name])
            if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
                self.texts.append(attrs["value"])
        if tag not in self.VOID:
            self.stack.append((tag, skip))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        if not self._skipping() and data.strip():
            self.texts.append(data)


def page_read(html: str) -> tuple[list[str], list[str]]:
    """The page's words that are English or internal codes, and the hrefs of its links."""
    parser = _PageText()
    parser.feed(html)
    return english_words(" ".join(parser.texts)), parser.links


def english_words(text: str) -> list[str]:
    found = []
    for token in TOKEN.findall(text):
        token = token.strip(".-/:")
        if not token or any(ch.isdigit() for ch in token) or URLISH.search(token):
            continue
        if sum(ch.isalpha() for ch in token) < 2:
            continue
        if token.lower() in ALLOWED_WORDS:
            continue
        found.append(token)
    return sorted(set(found))
