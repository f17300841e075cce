"""The leak test (issue 6 acceptance): decided cases whose structured and free-text fields
carry random, valid ID numbers, mobile numbers, addresses, bank card numbers and third parties'
names go through the publication pipeline (draft → redaction → approval); then an HTTP client
crawls every public page and feed of the site, following links from the home page. None of those
values may appear anywhere; the punished parties' own names must.

The cases are written directly rather than walked through the procedure (which the case tests
do): what is tested here is everything from the decision to the public page.

The suite runs 100 cases (five pages of the decision list, so the crawl follows the pagination);
the 1,000-case run of the acceptance is benchmarks/portal_leak.py, which runs this same test with
SANXIANG_LEAK_CASES=1000.
"""

import datetime as dt
import os
import random
import re
from collections import deque
from urllib.parse import urldefrag, urljoin, urlparse

import pytest
from django.test import Client

from sanxiang.cases.facts import facts_dump
from sanxiang.cases.models import Case
from sanxiang.cases.selectors import case_snapshot_build
from sanxiang.procedure.identifiers import id_number_check_character
from sanxiang.procedure.penalty.texts import DecisionTexts, Findings, Inquiry, PenaltyTexts, ServiceTexts
from sanxiang.publication.models import Publication, PublicationDraft
from sanxiang.publication.services import publication_approve, publication_draft_create
from sanxiang.registry import services as registry
from tests.cases.support import world_make
from tests.factories import credit_code

pytestmark = pytest.mark.django_db
CASES = int(os.environ.get("SANXIANG_LEAK_CASES", "100"))
# Published today, so that every decision is within its display period while the site is crawled.
PUBLISHED = dt.date.today()
DECIDED = PUBLISHED - dt.timedelta(days=2)
# Disjoint pools: a punished person's name must never coincide with a third party's.
PARTY_SURNAMES, PARTY_GIVEN = "赵钱孙李周吴郑王冯陈", "建国卫东志强秀英桂兰海燕"
THIRD_SURNAMES, THIRD_GIVEN = "褚卫蒋沈韩杨朱秦尤许", "翊琰瑾璇珩琮玥瑄"
PLACES = ("嘎鲁图镇", "乌审召镇", "图克镇", "无定河镇", "苏力德苏木")
ROADS = ("团结路", "萨拉乌苏大街", "鄂托克路", "乌审路", "统万路", "草原街")
CRAWL_EXCLUDED = ("/staff/", "/accounts/", "/admin/", "/api/", "/i18n/", "/static/")


def luhn_completed(digits: str) -> str:
    total = 0
    for i, d in enumerate(reversed(digits)):
        n = int(d)
        if i % 2 == 0:
            n *= 2
            n -= 9 if n > 9 else 0
        total += n
    return digits + str((10 - total % 10) % 10)


class Secrets:
    """Random, valid personal values, and every one of them remembered."""

    def __init__(self, seed: int):
        self.random = random.Random(seed)
        self.values: set[str] = set()

    def keep(self, value: str) -> str:
        self.values.add(value)
        return value

    def id_number(self) -> str:
        r = self.random
        birth = dt.date(1960, 1, 1) + dt.timedelta(days=r.randrange(0, 14000))
        first17 = f"150626{birth:%Y%m%d}{r.randrange(0, 1000):03d}"
        return self.keep(first17 + id_number_check_character(first17))

    def mobile(self) -> str:
        r = self.random
        return self.keep(f"1{r.choice('3456789')}{r.randrange(0, 10**9):09d}")

    def address(self) -> str:
        r = self.random
        return self.keep(f"内蒙古自治区鄂尔多斯市乌审旗{r.choice(PLACES)}{r.choice(ROADS)}{r.randrange(1, 400)}号{r.randrange(1, 30)}栋{r.randrange(101, 2400)}室")

    def bank_card(self) -> str:
        r = self.random
        return self.keep(luhn_completed("62" + "".join(r.choice("0123456789") for _ in range(r.choice((13, 14, 16))))))

    def third_party(self) -> str:
        r = self.random
        return self.keep(r.choice(THIRD_SURNAMES) + r.choice(THIRD_GIVEN) + r.choice(THIRD_GIVEN))


def case_make(w, secrets: Secrets, n: int, officers) -> tuple[Case, str]:
    """A decided case with personal data everywhere a real one has it; returns the case and the
    punished party's name."""
    r = secrets.random
    natural = n % 2 == 0
    if natural:
        name = r.choice(PARTY_SURNAMES) + r.choice(PARTY_GIVEN) + r.choice(PARTY_GIVEN)
        party = registry.party_create(actor=None, agency=w.agency, kind="natural_person", name=name,
                                      id_type="resident_id_card", id_number=secrets.id_number(),
                                      phone=secrets.mobile(), address=secrets.address())
    else:
        name = f"乌审旗{r.choice(PLACES)}第{n}号商贸有限公司"
        party = registry.party_create(actor=None, agency=w.agency, kind="legal_person", name=name,
                                      credit_code=credit_code(prefix="91150626"), address="乌审旗嘎鲁图镇团结路12号",
                                      legal_representative="巴特尔", phone=secrets.mobile())
    witness, customer = secrets.third_party(), secrets.third_party()
    facts = (
        f"经查，当事人于2026年2月在经营场所销售过期食品。证人{witness}（身份证号{secrets.id_number()}，"
        f"联系电话{secrets.mobile()}，住{secrets.address()}）证实；顾客{customer}通过银行卡{secrets.bank_card()}支付货款，"
        f"其手机号码{secrets.mobile()}。"
    )
    case = Case.objects.create(
        agency=w.agency, number=f"乌市监立〔2026〕{n + 1}号", title=f"涉嫌销售过期食品案（{n + 1}）",
        party=party, state="decided", enforcement_field="市场监管", act_date=dt.date(2026, 2, 20),
        facts={"decided_on": DECIDED.isoformat(), "opened_on": "2026-03-02",
               "decision": {"outcome": "penalty", "penalty": {"kinds": ["fine"], "fine_fen": 300000, "confiscation_fen": 0},
                            "number": f"乌市监罚决〔2026〕{n + 1}号"}},
        details={"texts": facts_dump(PenaltyTexts(
            findings=Findings(facts=facts, bases=("《中华人民共和国食品安全法》第一百二十四条第一款",)),
            decision=DecisionTexts(outcome="penalty", reasoning=f"{witness}的证言与现场检查笔录一致。",
                                   bases=("《中华人民共和国食品安全法》第一百二十四条第一款",)),
            decision_number=f"乌市监罚决〔2026〕{n + 1}号",
            inquiries=(Inquiry(interviewee=witness),),
            service=ServiceTexts(signed_by=customer),
        ))},
    )
    case.officers.set(officers)
    return case, name


def crawl(client: Client) -> dict[str, str]:
    """Every public page reachable from the home page (and the feeds), by URL."""
    seen: dict[str, str] = {}
    queue = deque(["/", "/decisions/feed.rss", "/decisions/feed.atom", "/decisions/feed.json", "/ledger/checkpoint"])
    while queue:
        url = queue.popleft()
        if url in seen:
            continue
        response = client.get(url)
        if response.status_code != 200:
            seen[url] = ""
            continue
        if response.streaming:
            body = b"".join(response.streaming_content).decode("utf-8", "replace")
        else:
            body = response.content.decode("utf-8", "replace")
        seen[url] = body
        for href in re.findall(r"""(?:href|src)=["']([^"']+)["']""", body):
            href = urldefrag(urljoin(url, href.replace("&amp;", "&")))[0]
            parsed = urlparse(href)
            if parsed.netloc and parsed.netloc not in ("testserver", "localhost"):
                continue
            path = parsed.path + (f"?{parsed.query}" if parsed.query else "")
            if path.startswith(CRAWL_EXCLUDED) or path in seen:
                continue
            queue.append(path)
    return seen


@pytest.fixture
def w():
    return world_make()


def test_no_personal_value_reaches_any_public_page_or_feed(w):
    secrets = Secrets(seed=20261126)
    officers = [w.zhang, w.li]
    names = []
    for n in range(CASES):
        case, name = case_make(w, secrets, n, officers)
        names.append(name)
        draft = publication_draft_create(case=case, snapshot=case_snapshot_build(case), on=DECIDED, actor=w.officer)
        publication_approve(actor=w.head, draft=draft, on=PUBLISHED)
    assert Publication.objects.count() == CASES
    assert PublicationDraft.objects.filter(status="published").count() == CASES

    pages = crawl(Client())
    detail_pages = [u for u in pages if re.fullmatch(r"/decisions/\d+/", u)]
    assert len(detail_pages) == CASES, f"the crawl reached {len(detail_pages)} of {CASES} decisions"
    text = "\n".join(pages.values())
    leaked = sorted(v for v in secrets.values if v in text)
    assert leaked == [], f"{len(leaked)} personal values on public pages, e.g. {leaked[:5]}"
    # The punished parties themselves are named (谁违法，公示谁).
    missing = [n for n in names if n not in text]
    assert missing == []
    print(f"\ncrawled {len(pages)} public URLs, {len(text) / 1e6:.1f} MB; {len(secrets.values)} personal values, none found")
