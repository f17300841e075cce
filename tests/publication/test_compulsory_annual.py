"""年度行政执法数据 of 行政强制, counted from the compulsory cases (国办发〔2018〕118号; the Guangdong
template: 0 where the agency has the power and did nothing, no figure where it has none): 查封、扣押、
冻结 on the day taken, 强制执行决定 and 代履行决定 on the day made; the category is the sum of its rows.

The powers are read from the agency's 行政强制 matters (their names) and from the execution power it
declared when registering an enforcement case — a platform reading, stated in the report's notes.
"""

import datetime as dt
import itertools
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sanxiang.ledger.events import EventKind
from sanxiang.ledger.models import Entry
from sanxiang.publication.annual import annual_report_generate, annual_report_publish
from sanxiang.publication.registry_sync import public_registry_refresh
from sanxiang.registry import services as registry
from tests.cases.support import world_make
from tests.cases.test_enforcement_cases import execution_data, own_case
from tests.factories import agency_make
from tests.publication.test_compulsory_publication import D, emergency, frozen, measure_case, perform, seized

pytestmark = pytest.mark.django_db

YEAR = 2026
LAST_YEAR = dt.date.today().year - 1  # a finished year: the only kind that can be published
_codes = itertools.count(1)


def matter(agency, name: str, kind: str = "coercion") -> None:
    registry.matter_create(actor=None, agency=agency, code=f"QZ{next(_codes):05d}", name=name, kind=kind,
                           legal_bases=[{"law": "《中华人民共和国食品安全法》", "article": "第一百一十条"}])


@pytest.fixture
def w():
    world = world_make()
    matter(world.agency, "对违法经营的食品实施行政处罚", kind="penalty")
    matter(world.agency, "查封、扣押与违法生产经营有关的食品、工具、设备和场所")
    return world


def coercion_of(report: dict) -> dict:
    return report["coercion_rows"]


def test_a_year_of_measures_and_executions_is_counted_row_by_row(w):
    seized(w)  # 扣押, taken 03-02
    refused = emergency(w)  # 扣押 taken in an emergency; the head refused it: still taken, still counted
    refused = perform(refused, "coercion_disapprove_emergency", D(2026, 3, 2), w.head,
                      decided_at=dt.datetime(2026, 3, 2, 15, 0), opinion="不同意")
    perform(refused, "coercion_release", D(2026, 3, 2), w.head, ground="other", returned=True)
    declined = measure_case(w)
    declined = perform(declined, "coercion_propose", D(2026, 3, 2), w.officer,
                       reason="疑似过期", bases=["《中华人民共和国食品安全法》第一百一十条第四项"], items=["纯牛奶，1箱"])
    perform(declined, "coercion_decline", D(2026, 3, 2), w.head, reason="证据不足")  # never taken: not counted
    frozen(w)  # 冻结: no 冻结 matter in the catalogue, counted all the same and named as a gap
    execution = own_case(w, "demolition", power="own")  # registered declaring the power to execute
    perform(execution, "decide_execution", D(2026, 3, 13), w.head, **execution_data())

    report = annual_report_generate(agency=w.agency, year=YEAR)
    assert coercion_of(report) == {
        "seal_up": 0,  # 查封: the matter names it, none taken
        "seizure": 2,
        "freeze": 1,
        "execution": 1,
        "court_application": 0,  # always a power with a 行政强制 matter (an agency without execution applies)
        "substitute": 0,  # 代履行 follows the execution power
    }
    assert report["counts"]["coercion"] == 4 and report["counts"]["penalty"] == 0
    assert [line["label"] for line in report["coercion_lines"]] == [
        "查封", "扣押", "冻结", "本机关强制执行", "申请人民法院强制执行", "代履行"
    ]
    notes = "\n".join(report["notes"])
    assert "按本机关权责清单认定本机关没有冻结的职权，但本年度有1件，已如实填列" in notes
    assert "先行登记保存" in notes and "本平台尚未记录" not in notes
    assert "行政强制分项的职权按本机关权责清单中行政强制事项的名称认定" in notes
    assert next(r for r in report["rows"] if r["key"] == "coercion")["recorded"] is True

    # Another year: nothing done, 0 where the power is held, "—" (None) where it is not.
    other = annual_report_generate(agency=w.agency, year=YEAR - 1)
    assert coercion_of(other) == {"seal_up": 0, "seizure": 0, "freeze": None, "execution": 0,
                                  "court_application": 0, "substitute": 0}
    assert other["counts"]["coercion"] == 0


def test_without_a_coercion_matter_there_is_no_figure_and_with_a_generic_one_seal_up_and_seizure():
    agency = agency_make(name="乌审旗文化旅游局")
    matter(agency, "对违法经营的娱乐场所实施行政处罚", kind="penalty")
    report = annual_report_generate(agency=agency, year=YEAR)
    assert set(coercion_of(report).values()) == {None} and report["counts"]["coercion"] is None

    generic = agency_make(name="乌审旗应急管理局")
    matter(generic, "对安全生产违法行为采取的行政强制")
    matter(generic, "冻结存款、汇款")
    matter(generic, "代履行")
    rows = coercion_of(annual_report_generate(agency=generic, year=YEAR))
    # A matter naming 冻结 gives only that measure; 代履行 by name, but no execution power.
    assert rows == {"seal_up": None, "seizure": None, "freeze": 0, "execution": None, "court_application": 0,
                    "substitute": 0}


def test_counting_takes_the_same_queries_however_many_cases_there_are(w):
    seized(w)
    with CaptureQueriesContext(connection) as one:
        annual_report_generate(agency=w.agency, year=YEAR)
    seized(w)
    frozen(w)
    with CaptureQueriesContext(connection) as three:
        report = annual_report_generate(agency=w.agency, year=YEAR)
    assert coercion_of(report)["seizure"] == 2 and coercion_of(report)["freeze"] == 1
    assert len(three.captured_queries) == len(one.captured_queries)


def test_the_rows_are_published_with_the_report_and_in_the_ledger(w, client):
    public_registry_refresh(agency_id=w.agency.pk)
    report = annual_report_publish(actor=w.head, agency=w.agency, year=LAST_YEAR)
    assert report.coercion_rows == {"seal_up": 0, "seizure": 0, "freeze": None, "execution": None,
                                    "court_application": 0, "substitute": None}
    assert report.counts["coercion"] == 0
    entry = Entry.objects.filter(kind=EventKind.ANNUAL_REPORT_PUBLISHED, agency_id=w.agency.pk).get()
    payload = json.loads(bytes(entry.body))["payload"]
    assert payload["coercion_rows"] == report.coercion_rows and payload["replaced_coercion_rows"] is None

    client.force_login(w.head)
    html = client.get(reverse("publication:annual"), {"year": LAST_YEAR}).content.decode()
    assert 'data-testid="annual-coercion-rows"' in html
    assert 'data-testid="annual-coercion-seizure">0<' in html and 'data-testid="annual-coercion-freeze">—<' in html
    assert "申请人民法院强制执行" in html
