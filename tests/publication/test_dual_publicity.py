"""The “双公示” export: real published decisions, exported in all three formats and read back,
validate against the §5 field list (required fields, lengths, credit codes, dates, 万元); bad rows
are reported; only decisions published and decided in the range leave; every download is
recorded; an agency exports its own decisions only."""

import csv
import datetime as dt
import io
import itertools
import json

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from sanxiang.access.models import AccessAction, AccessLogEntry
from sanxiang.accounts.models import Role
from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from sanxiang.procedure.dual_publicity import dual_publicity_codes, dual_publicity_row_problems
from sanxiang.publication.dual_publicity import (
    dual_publicity_csv,
    dual_publicity_file,
    dual_publicity_json,
    dual_publicity_rows,
    dual_publicity_xlsx,
)
from sanxiang.publication.models import PublicAgency, Publication, PublicationStatus
from tests.factories import agency_make, credit_code, user_make

pytestmark = pytest.mark.django_db

D = dt.date
START, END = D(2026, 3, 1), D(2026, 3, 31)
_serial = itertools.count(1)
COMPANY_CODE = "91350100M000100Y43"
BAD_CODE = "91350100M000100Y44"


def public_agency_for(agency) -> PublicAgency:
    return PublicAgency.objects.create(source_id=agency.pk, name=agency.name, kind="行政机关", refreshed_at=timezone.now())


def publication_make(*, agency: PublicAgency, credit: str, **fields) -> Publication:
    n = next(_serial)
    values = {
        "agency": agency,
        "agency_name": agency.name,
        "agency_credit_code": credit,
        "decision_kind": "penalty",
        "number": f"乌市监处罚〔2026〕{n}号",
        "title": f"经营过期食品案{n}",
        "party_name": "乌审旗草原味道餐饮有限公司",
        "party_kind": "法人及非法人组织",
        "party_credit_code": COMPANY_CODE,
        "legal_representative": "巴特尔",
        "violation_type": "经营超过保质期的食品",
        "facts": "经查，当事人于2026年3月2日经营超过保质期的食品。",
        "basis": "《中华人民共和国食品安全法》第一百二十四条",
        "kinds": ["warning", "fine"],
        "kinds_label": "警告、罚款",
        "content": "警告，罚款人民币5000元。",
        "fine_fen": 500_000,
        "decided_on": D(2026, 3, 10),
        "published_on": D(2026, 3, 12),
        "display_until": D(2027, 3, 12),
    }
    return Publication.objects.create(**(values | fields))


def public_agency_spare(source_id: int) -> PublicAgency:
    return PublicAgency.objects.create(source_id=source_id, name="已撤销的执法主体", kind="行政机关",
                                       refreshed_at=timezone.now())


@pytest.fixture
def world():
    own, other = agency_make(name="乌审旗市场监督管理局"), agency_make(name="乌审旗交通运输局")
    # A registry agency's id and its public agency's differ, so that a test catches one taken for the
    # other: a spare public agency (of no registry agency) first, two where one would keep them equal.
    spare = public_agency_spare(-1)
    if spare.pk + 1 == own.pk:
        public_agency_spare(-2)
    own_public, other_public = public_agency_for(own), public_agency_for(other)
    assert own_public.pk != own.pk and other_public.pk != other.pk
    p = {
        "company": publication_make(
            agency=own_public, credit=own.credit_code, kinds=["fine", "confiscate_gains", "suspend_permit"],
            kinds_label="罚款、没收违法所得、暂扣许可证件", fine_fen=1_234_567, confiscation_fen=200_050,
            licence="食品经营许可证 JY11506260001234", decided_on=START,
        ),
        "person": publication_make(
            agency=own_public, credit=own.credit_code, party_name="张三", party_kind="自然人", party_credit_code="",
            legal_representative="", kinds=["warning"], kinds_label="警告", fine_fen=0, content="警告。",
            decided_on=D(2026, 3, 15),
        ),
        "shop": publication_make(
            agency=own_public, credit=own.credit_code, party_name="乌审旗小李烟酒店", party_kind="个体工商户",
            party_credit_code=credit_code(prefix="92150626"), legal_representative="李四", decided_on=END,
        ),
        "withdrawn": publication_make(
            agency=own_public, credit=own.credit_code, status=PublicationStatus.WITHDRAWN, withdrawn_on=D(2026, 3, 20),
            withdrawal_statement="决定已被撤销",
        ),
        "expired": publication_make(agency=own_public, credit=own.credit_code, status=PublicationStatus.EXPIRED),
        "before": publication_make(agency=own_public, credit=own.credit_code, decided_on=D(2026, 2, 28)),
        "after": publication_make(agency=own_public, credit=own.credit_code, decided_on=D(2026, 4, 1)),
        "permit": publication_make(
            agency=own_public, credit=own.credit_code, decision_kind="permit", title="准予行政许可决定书",
            number="乌市监许〔2026〕3号", kinds=[], kinds_label="", fine_fen=0, violation_type="",
            content="准予食品经营许可", licence="食品经营许可证",
        ),
        "other": publication_make(agency=other_public, credit=other.credit_code, party_name="他局当事人有限公司"),
    }
    return {"own": own, "other": other, "own_public": own_public, "other_public": other_public, "p": p}


def parse_csv(content: bytes) -> list[dict[str, str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def parse_xlsx(content: bytes, sheet: str) -> list[dict[str, str]]:
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    rows = list(workbook[sheet].iter_rows(values_only=True))
    header = list(rows[0])
    return [{code: ("" if value is None else value) for code, value in zip(header, row, strict=True)} for row in rows[1:]]


def parse_json(content: bytes) -> list[dict[str, str]]:
    document = json.loads(content.decode("utf-8"))
    assert document["fields"] == dual_publicity_codes(document["layout"])
    return document["rows"]


PARSERS = {
    "csv": lambda content, sheet: parse_csv(content),
    "xlsx": parse_xlsx,
    "json": lambda content, sheet: parse_json(content),
}


def test_published_decisions_of_the_range_only(world):
    rows = dual_publicity_rows(agency_ids=None, start=START, end=END, layout="CF")
    numbers = {r["CF_WSH"] for r in rows}
    p = world["p"]
    assert numbers == {p[k].number for k in ("company", "person", "shop", "other")}
    assert [r["CF_JDRQ"] for r in rows] == sorted(r["CF_JDRQ"] for r in rows)
    own = dual_publicity_rows(agency_ids=[world["own_public"].pk], start=START, end=END, layout="CF")
    assert {r["CF_WSH"] for r in own} == {p[k].number for k in ("company", "person", "shop")}
    one_day = dual_publicity_rows(agency_ids=None, start=END, end=END, layout="CF")
    assert [r["CF_WSH"] for r in one_day] == [p["shop"].number]
    permits = dual_publicity_rows(agency_ids=None, start=START, end=END, layout="XK")
    assert [r["XK_WSH"] for r in permits] == [p["permit"].number]


def test_values_of_a_row(world):
    rows = {r["CF_WSH"]: r for r in dual_publicity_rows(agency_ids=None, start=START, end=END, layout="CF")}
    p, own = world["p"], world["own"]
    company = rows[p["company"].number]
    assert list(company) == dual_publicity_codes("CF")
    # 1 万元 = 1,000,000 fen: 12,345.67 元 and 2,000.50 元.
    assert company["CF_NR_FK"] == "1.234567" and company["CF_NR_WFFF"] == "0.200050"
    assert company["CF_CFLB"] == "罚款、没收违法所得、暂扣许可证件"
    assert company["CF_NR_ZKDX"] == "食品经营许可证 JY11506260001234"
    assert company["CF_JDRQ"] == "2026-03-01" and company["CF_GSJZQ"] == "2027-03-12"
    assert company["CF_CFJG"] == company["CF_SJLY"] == own.name
    assert company["CF_CFJGDM"] == company["CF_SJLYDM"] == own.credit_code
    assert company["CF_XDR_SHXYM"] == COMPANY_CODE and company["CF_FRDB"] == "巴特尔"
    person = rows[p["person"].number]
    assert person["CF_XDR_LB"] == "自然人" and person["CF_NR_FK"] == "" and person["CF_XDR_SHXYM"] == ""
    # Never an ID number: the public model does not hold one.
    assert all(r["CF_XDR_ZJHM"] == "" and r["CF_FR_ZJHM"] == "" for r in rows.values())
    permit = dual_publicity_rows(agency_ids=None, start=START, end=END, layout="XK")[0]
    assert permit["XK_XKWS"] == "准予行政许可决定书" and permit["XK_XKLB"] == "其他" and permit["XK_ZT"] == "1"
    assert permit["XK_XKJGDM"] == permit["XK_LYDWDM"] == own.credit_code


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "json"])
@pytest.mark.parametrize("layout", ["CF", "XK"])
def test_every_exported_row_validates_against_the_field_list(world, file_format, layout):
    rows = dual_publicity_rows(agency_ids=None, start=START, end=END, layout=layout)
    assert rows
    content = dual_publicity_file(rows, layout=layout, file_format=file_format)
    parsed = PARSERS[file_format](content, {"CF": "行政处罚", "XK": "行政许可"}[layout])
    assert parsed == rows  # nothing lost or changed on the way: every value is text
    for row in parsed:
        assert list(row) == dual_publicity_codes(layout)
        assert dual_publicity_row_problems(row, layout=layout) == [], row


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "json"])
def test_bad_rows_are_reported_after_the_round_trip(world, file_format):
    own_public = world["own_public"]
    wrong_code = publication_make(
        agency=own_public, credit=world["own"].credit_code, party_credit_code=BAD_CODE, decided_on=D(2026, 5, 1)
    )
    no_facts = publication_make(agency=own_public, credit=world["own"].credit_code, facts="", decided_on=D(2026, 5, 2))
    rows = dual_publicity_rows(agency_ids=[own_public.pk], start=D(2026, 5, 1), end=D(2026, 5, 31), layout="CF")
    # The model caps 文号 at 80 characters; a file edited by hand (or another system) can be longer.
    long_number = dict(rows[0]) | {"CF_WSH": "乌市监处罚" + "〔2026〕" * 30 + "1号"}
    rows.append(long_number)
    parsed = PARSERS[file_format](dual_publicity_file(rows, layout="CF", file_format=file_format), "行政处罚")
    found = [{(p.field, p.code) for p in dual_publicity_row_problems(row, layout="CF")} for row in parsed]
    assert parsed[0]["CF_WSH"] == wrong_code.number and found[0] == {("CF_XDR_SHXYM", "credit_code.check")}
    assert parsed[1]["CF_WSH"] == no_facts.number and found[1] == {("CF_SY", "dual_publicity.required")}
    assert ("CF_WSH", "dual_publicity.length") in found[2]


def test_excel_keeps_formula_like_text_as_text_and_codes_are_the_header(world):
    rows = dual_publicity_rows(agency_ids=None, start=START, end=END, layout="CF")
    rows[0] = rows[0] | {"BZ": "=1+1"}
    workbook = load_workbook(io.BytesIO(dual_publicity_xlsx(rows, layout="CF")))
    sheet = workbook["行政处罚"]
    assert sheet["A1"].value == "CF_XDR_MC" and sheet.cell(2, 30).value == "=1+1" and sheet.cell(2, 30).data_type == "s"
    assert "说明" in workbook.sheetnames
    assert dual_publicity_csv([], layout="XK").decode("utf-8-sig").startswith("XK_XDR_MC,")
    assert json.loads(dual_publicity_json([], layout="XK"))["rows"] == []


# --- the page -------------------------------------------------------------------------------------


def url(**params) -> str:
    from urllib.parse import urlencode

    return f"{reverse('publication:dual_publicity')}?{urlencode(params)}" if params else reverse("publication:dual_publicity")


def test_anonymous_users_are_sent_to_login(client):
    response = client.get(url())
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "json"])
def test_an_agency_downloads_its_own_decisions_and_the_download_is_recorded(client, world, file_format):
    user = user_make(role=Role.OFFICER, agency=world["own"])
    client.force_login(user)
    assert client.get(url()).status_code == 200
    response = client.get(url(layout="CF", start="2026-03-01", end="2026-03-31", format=file_format,
                              agency=world["own_public"].pk, action="download"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"] and response["Cache-Control"] == "no-store"
    rows = PARSERS[file_format](response.content, "行政处罚")
    assert {r["CF_WSH"] for r in rows} == {world["p"][k].number for k in ("company", "person", "shop")}
    assert all(dual_publicity_row_problems(r, layout="CF") == [] for r in rows)
    entry = AccessLogEntry.objects.get(object_kind="publication.dual_publicity")
    assert entry.action == AccessAction.EXPORT and entry.user == user and entry.agency_id == world["own"].pk
    assert entry.object_id == "CF:2026-03-01:2026-03-31"
    ledger = Entry.objects.get(seq=entry.ledger_seq)
    assert ledger.kind == EventKind.ACCESS and b'"rows":3' in bytes(ledger.body)


def test_an_agency_cannot_export_another_agencys_decisions(client, world):
    client.force_login(user_make(role=Role.AGENCY_HEAD, agency=world["own"]))
    forged = client.get(url(layout="CF", start="2026-03-01", end="2026-03-31", format="csv",
                            agency=world["other_public"].pk, action="download"))
    assert forged.status_code == 400
    all_agencies = client.get(url(layout="CF", start="2026-03-01", end="2026-03-31", format="csv", action="download"))
    assert all_agencies.status_code == 400  # "all" is not offered to an agency
    assert not AccessLogEntry.objects.filter(object_kind="publication.dual_publicity").exists()


def test_a_supervisor_exports_every_agency_and_checks_the_data(client, world):
    bureau = agency_make(name="乌审旗司法局", is_judicial_bureau=True)
    client.force_login(user_make(role=Role.SUPERVISOR, agency=bureau))
    response = client.get(url(layout="CF", start="2026-03-01", end="2026-03-31", format="csv", action="download"))
    assert response.status_code == 200
    assert len(parse_csv(response.content)) == 4
    publication_make(agency=world["other_public"], credit=BAD_CODE, decided_on=D(2026, 3, 20))
    check = client.get(url(layout="CF", start="2026-03-01", end="2026-03-31", format="csv", action="check"))
    page = check.content.decode()
    assert check.status_code == 200 and 'data-testid="dual-publicity-problems"' in page
    assert "CF_CFJGDM" in page and "CF_SJLYDM" in page and "第18位校验码" in page
    # Checking sends nothing, so it is not an export.
    assert AccessLogEntry.objects.filter(object_kind="publication.dual_publicity").count() == 1


def test_a_supervisor_exports_every_agency_of_their_county_only(client, world):
    """"全部执法主体" for a supervisor is every agency of their county: another county's decisions are
    neither offered nor exported."""
    elsewhere = agency_make(name="乙旗市场监督管理局", region_code="150627", parent_government="乙旗人民政府")
    publication_make(agency=public_agency_for(elsewhere), credit=elsewhere.credit_code, party_name="乙旗当事人有限公司")
    client.force_login(user_make(role=Role.SUPERVISOR, agency=agency_make(name="乌审旗司法局", is_judicial_bureau=True)))
    assert "乙旗市场监督管理局" not in client.get(url()).content.decode()
    response = client.get(url(layout="CF", start="2026-03-01", end="2026-03-31", format="csv", action="download"))
    rows = parse_csv(response.content)
    assert len(rows) == 4 and "乙旗当事人有限公司" not in response.content.decode("utf-8-sig")


def test_the_form_refuses_a_reversed_or_too_long_range(client, world):
    client.force_login(user_make(role=Role.SYSTEM_ADMIN))
    assert client.get(url(layout="CF", start="2026-03-31", end="2026-03-01", format="csv")).status_code == 400
    assert client.get(url(layout="CF", start="2025-01-01", end="2026-03-01", format="csv")).status_code == 400
    assert client.get(url(layout="XK", start="2026-03-10", format="json", action="check")).status_code == 200
