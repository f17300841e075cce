"""Issue 19: a matter's 裁量基准 through the API as its page shows and changes them: the versions read
in words by who reads the matter (another agency's or county's: 404), a version added as the rows
of the Excel template (each wrong row named, nothing saved; a version number taken: 409), the Excel
file imported whole or not at all, the template downloaded; only the agency's administrator (or a
system administrator) adds them. With the CSRF checks on."""

import io
import json

import pytest
from openpyxl import Workbook, load_workbook

from sanxiang.accounts.models import Role
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry as LedgerEntry
from sanxiang.procedure.discretion import EXAMPLE_PUNISHED_BY, EXAMPLE_VIOLATED
from sanxiang.registry.discretion_excel import COLUMNS
from sanxiang.registry.models import DiscretionBenchmark, Matter
from tests.api.query_bounds import queries_of
from tests.api.support import assert_safe_download, bearer
from tests.factories import agency_make, user_make

pytestmark = pytest.mark.django_db


def send(client, url: str, auth: dict, body: dict, **headers):
    return client.post(url, data=json.dumps(body), content_type="application/json", **auth, **headers)


def fields_of(answer) -> list:
    return [v["field"] for v in answer.json()["violations"]]


@pytest.fixture
def county():
    agency, other = agency_make(name="乌审旗市场监督管理局"), agency_make(name="乌审旗交通运输局")
    far = agency_make(name="杭锦旗市场监督管理局", region_code="150625")
    bureau = agency_make(name="乌审旗司法局", is_judicial_bureau=True)
    matter = Matter.objects.create(agency=agency, code="SC-001", name="对未按规定公示营业执照的处罚", kind="penalty",
                                   legal_bases=[{"law": "《无证无照经营查处办法》", "article": ""}])
    return {
        "agency": agency, "matter": matter, "url": f"/api/registry/matters/{matter.pk}/discretion",
        "admin": bearer(user_make(role=Role.AGENCY_ADMIN, agency=agency)),
        "head": bearer(user_make(role=Role.AGENCY_HEAD, agency=agency)),
        "officer": bearer(user_make(role=Role.OFFICER, agency=agency)),
        "supervisor": bearer(user_make(role=Role.SUPERVISOR, agency=bureau)),
        "other_admin": bearer(user_make(role=Role.AGENCY_ADMIN, agency=other)),
        "far_admin": bearer(user_make(role=Role.AGENCY_ADMIN, agency=far)),
    }


ROWS = [
    {"code": "1", "violation": "未按规定公示营业执照", "violated": EXAMPLE_VIOLATED, "punished_by": EXAMPLE_PUNISHED_BY,
     "model": "range", "min_yuan": 1000, "max_yuan": 5000, "level": "heavier", "conditions": "同类违法次数>=1"},
    {"code": "1", "level": "lighter", "conditions": "及时改正"},
    {"code": "1", "level": "ordinary"},
    {"code": "1", "level": "first_offence", "conditions": "危害后果：否", "lookback_months": 24},
]
VERSION = {"version": "1", "effective_from": "2025-01-01", "source": "乌审旗市场监督管理局行政处罚裁量基准（乌市监〔2025〕1号）"}


def test_a_version_is_added_by_the_administrator_and_read_in_words_by_who_reads_the_matter(client, county):
    url = county["url"]
    for refused in ("head", "officer", "supervisor"):
        assert send(client, url, county[refused], VERSION | {"rows": ROWS}).status_code == 403, refused
    for stranger in ("other_admin", "far_admin"):
        assert send(client, url, county[stranger], VERSION | {"rows": ROWS}).status_code == 404, stranger
    created = send(client, url, county["admin"], VERSION | {"rows": ROWS})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["version"] == "1" and body["matter_id"] == county["matter"].pk and body["effective_to"] is None
    (entry,) = body["entries"]
    assert [t["level"] for t in entry["tiers"]] == ["从重处罚", "从轻处罚", "一般处罚"]
    assert entry["tiers"][1]["conditions"] == "及时改正" and entry["model"] == "幅度"
    assert entry["no_penalty"][0]["kind"] == "首违不罚" and entry["no_penalty"][0]["lookback_months"] == 24
    assert LedgerEntry.objects.filter(kind=EventKind.DISCRETION_BENCHMARK_ADDED).count() == 1

    one_version = queries_of(client, url, county["officer"])
    send(client, url, county["admin"], VERSION | {"version": "2", "effective_from": "2026-01-01", "rows": ROWS})
    assert queries_of(client, url, county["officer"]) == one_version  # the same for two versions
    for reader in ("officer", "supervisor", "head"):
        listed = client.get(url, **county[reader])
        assert [v["version"] for v in listed.json()["items"]] == ["2", "1"], reader  # the newest first
        assert listed.json()["items"][1]["content_sha256"] == body["content_sha256"]
    for stranger in ("other_admin", "far_admin"):
        assert client.get(url, **county[stranger]).status_code == 404, stranger

    # The same version number again: 409 (a change is a new version), nothing added.
    again = send(client, url, county["admin"], VERSION | {"rows": ROWS})
    assert again.status_code == 409 and [v["code"] for v in again.json()["violations"]] == ["discretion.version_exists"]
    assert DiscretionBenchmark.objects.count() == 2


def test_wrong_rows_are_422_each_named_and_nothing_is_saved(client, county):
    rows = [ROWS[0] | {"model": None, "violation": ""}, {"code": "1", "level": "ordinary", "conditions": "违法所得<=1e999元"},
            {"code": "2", "level": "heavier"}]
    refused = send(client, county["url"], county["admin"], VERSION | {"rows": rows})
    assert refused.status_code == 422, refused.content
    named = set(fields_of(refused))
    assert {"rows.0.violation", "rows.2.violation"} <= named, named  # the rows' indexes, as pydantic's below
    assert any(v["message"].startswith("第3行") for v in refused.json()["violations"])
    assert DiscretionBenchmark.objects.count() == 0
    # The fields' own forms: a level that is none, an amount below zero, a date that is no date.
    malformed = send(client, county["url"], county["admin"], VERSION | {
        "effective_from": "2025-02-30", "rows": [ROWS[0] | {"level": "lenient", "min_yuan": -1, "max_yuan": "NaN"}]})
    assert malformed.status_code == 422
    assert {"effective_from", "rows.0.level", "rows.0.min_yuan", "rows.0.max_yuan"} <= set(fields_of(malformed))
    assert all(v["message"].isascii() is False for v in malformed.json()["violations"])  # in Chinese
    # Tiers out of the statutory range: refused by the benchmark's own rules, 422.
    wide = send(client, county["url"], county["admin"], VERSION | {
        "rows": [ROWS[0] | {"tier_min_yuan": 100, "tier_max_yuan": 9000}, *ROWS[1:]]})
    assert wide.status_code == 422 and DiscretionBenchmark.objects.count() == 0, wide.content


def _sheet(rows: list[dict]) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.title = "裁量基准"
    sheet.append([header for _, header in COLUMNS])
    for row in rows:
        sheet.append([row.get(name, "") for name, _ in COLUMNS])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "裁量基准.xlsx"
    return out


SHEET_ROWS = [
    {"matter": "SC-001", "version": "2", "effective_from": "2026-01-01", "source": "乌市监〔2026〕1号", "code": "1",
     "violation": "未按规定公示营业执照", "violated": EXAMPLE_VIOLATED, "punished_by": EXAMPLE_PUNISHED_BY, "model": "幅度",
     "min_yuan": 1000, "max_yuan": 5000, "level": "从轻处罚", "conditions": "及时改正"},
    {"code": "1", "level": "一般处罚"},
]


def test_the_excel_file_is_imported_whole_or_not_at_all_and_the_template_downloads(client, county):
    template = client.get("/api/registry/discretion-template", **county["officer"])
    assert template.status_code == 200 and "attachment" in template["Content-Disposition"]
    assert_safe_download(template)
    assert load_workbook(io.BytesIO(template.content)).active["A1"].value == "事项编码"
    imports = county["url"] + "/imports"
    bad = _sheet([SHEET_ROWS[0] | {"model": "按日"}, SHEET_ROWS[1], {"code": "1", "level": "从宽"}])  # rows 2-4
    refused = client.post(imports, {"file": bad}, **county["admin"])
    assert refused.status_code == 422, refused.content
    assert {"rows.2.model", "rows.4.level"} <= set(fields_of(refused)), fields_of(refused)
    assert DiscretionBenchmark.objects.count() == 0
    good = _sheet(SHEET_ROWS)
    assert client.post(imports, {"file": good}, **county["officer"]).status_code == 403
    good.seek(0)
    assert client.post(imports, {"file": good}, **county["other_admin"]).status_code == 404
    good.seek(0)
    imported = client.post(imports, {"file": good}, **county["admin"], HTTP_IDEMPOTENCY_KEY="discretion-1")
    assert imported.status_code == 200, imported.content
    assert imported.json() == {"rows": 2, "versions": ["SC-001 第2版"]}
    good.seek(0)
    replay = client.post(imports, {"file": good}, **county["admin"], HTTP_IDEMPOTENCY_KEY="discretion-1")
    assert replay.status_code == 200 and replay.json() == imported.json()
    assert DiscretionBenchmark.objects.count() == 1
    junk = io.BytesIO(b"PK not really")
    junk.name = "x.xlsx"
    unreadable = client.post(imports, {"file": junk}, **county["admin"])
    assert unreadable.status_code == 422 and fields_of(unreadable) == ["file"]


def test_a_replayed_idempotency_key_adds_the_version_once(client, county):
    first = send(client, county["url"], county["admin"], VERSION | {"rows": ROWS}, HTTP_IDEMPOTENCY_KEY="v1")
    again = send(client, county["url"], county["admin"], VERSION | {"rows": ROWS}, HTTP_IDEMPOTENCY_KEY="v1")
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert DiscretionBenchmark.objects.count() == 1


def test_an_unreadable_import_and_an_empty_version_are_told_without_a_stray_colon(client, county):
    junk = io.BytesIO(b"not a workbook")
    junk.name = "x.xlsx"
    refused = client.post(f"{county['url']}/imports", {"file": junk}, **county["admin"])
    assert refused.status_code == 422 and fields_of(refused) == ["file"], refused.content
    empty = send(client, county["url"], county["admin"], VERSION | {"rows": []})
    assert empty.status_code == 422, empty.content
    messages = [v["message"] for v in refused.json()["violations"] + empty.json()["violations"]]
    assert messages and all(m and not m.startswith("：") for m in messages), messages
    assert "项数不足" in messages  # pydantic's English message for an empty list, in Chinese
