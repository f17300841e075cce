"""检查频次 (issue 17, item 7): per agency and year, the enterprises inspected once, twice, three times
or more, counting only the inspections that count in the annual statistics (a specific object and
a complete record: procedure.annual_counting.inspection_counts, stored as counts_in_statistics);
each figure opens its enterprises and their inspections; the page costs the same queries whatever
the number of inspections. The bands are a platform statistic (INSPECTION_FREQUENCY_SOURCE)."""

import datetime as dt

import pytest
from django.urls import reverse

from sanxiang.accounts.models import Role
from sanxiang.inspection.models import Inspection, InspectionTarget
from sanxiang.procedure.annual_counting import INSPECTION_FREQUENCY_SOURCE, inspection_frequency_band
from tests.factories import agency_make, credit_code, user_make
from tests.querycount import queries_without_ledger_writes
from tests.web.crawl import page_read

pytestmark = pytest.mark.django_db
YEAR = dt.date.today().year
URL = "/staff/inspection/frequency/"


def test_the_bands_are_once_twice_and_three_or_more():
    assert [inspection_frequency_band(n) for n in (1, 2, 3, 4, 12)] == [1, 2, 3, 3, 3]
    with pytest.raises(ValueError):
        inspection_frequency_band(0)
    assert INSPECTION_FREQUENCY_SOURCE.startswith("平台统计口径")  # a platform statistic, not law


def _target(agency, name):
    return InspectionTarget.objects.create(agency=agency, name=name, credit_code=credit_code(prefix="91150626"))


def _inspected(agency, target, times, *, counts=True, year=YEAR):
    # The flag is the engine's (set when the result is sent: tests/inspection/test_inspection_services.py).
    for n in range(times):
        on = dt.date(year, 1 + n, 10)
        Inspection.objects.create(agency=agency, target=target, source="random", planned_from=on, planned_to=on,
                                  started_on=on, counts_in_statistics=counts, state="closed", result_outcome="pass")


def _world(scale: int = 1, agencies=None):
    agency, other = agencies or (agency_make(name="乌审旗市场监督管理局"), agency_make(name="乌审旗应急管理局"))
    start = 0 if agencies is None else 1  # names of a second call differ from the first's
    for n in range(start, start + scale):
        _inspected(agency, _target(agency, f"一次商贸{n}"), 1)
        _inspected(agency, _target(agency, f"两次商贸{n}"), 2)
        _inspected(agency, _target(agency, f"多次商贸{n}"), 4)
        _inspected(agency, _target(agency, f"无记录商贸{n}"), 2, counts=False)  # no complete record: not counted
        _inspected(agency, _target(agency, f"去年商贸{n}"), 1, year=YEAR - 1)  # another year
        _inspected(other, _target(other, f"应急检查{n}"), 2)
    return agency, other


def test_each_agency_counts_its_enterprises_per_band_and_each_figure_opens_its_records(client):
    agency, _other = _world()
    client.force_login(user_make(role=Role.AGENCY_HEAD, agency=agency))
    html = client.get(URL, {"year": YEAR}).content.decode()
    for band, expected in ((1, 1), (2, 1), (3, 1)):
        assert f'data-testid="frequency-{agency.pk}-{band}" href="?year={YEAR}&times={band}#records">{expected}<' in html
    assert "乌审旗应急管理局" not in html  # an agency's staff see their own agency only

    records = client.get(URL, {"year": YEAR, "times": 3}).content.decode().split('data-testid="frequency-records"')[1]
    assert "多次商贸0" in records and "计入统计的检查4次" in records
    assert "一次商贸0" not in records and "无记录商贸0" not in records
    inspection = Inspection.objects.filter(target__name="多次商贸0").first()
    assert reverse("inspection:detail", args=[inspection.pk]) in records  # the head opens each inspection
    twice = client.get(URL, {"year": YEAR, "times": 2}).content.decode().split('data-testid="frequency-records"')[1]
    assert "两次商贸0" in twice and "无记录商贸0" not in twice
    last_year = client.get(URL, {"year": YEAR - 1, "times": 1}).content.decode()
    assert "去年商贸0" in last_year.split('data-testid="frequency-records"')[1]


def test_the_county_reads_every_agency_and_the_page_costs_the_same_whatever_the_inspections(client):
    bureau = agency_make(name="乌审旗司法局", is_judicial_bureau=True)
    client.force_login(user_make(role=Role.SUPERVISOR, agency=bureau))
    agency, other = _world()
    html = client.get(URL, {"year": YEAR}).content.decode()
    assert f'data-testid="frequency-{other.pk}-2" href="?year={YEAR}&agency={other.pk}&times=2#records">1<' in html
    assert f'data-testid="frequency-{agency.pk}-1" href="?year={YEAR}&agency={agency.pk}&times=1#records">1<' in html
    # a supervisor reads the list and opens each inspection's page (read only, issue 17)
    records = client.get(URL, {"year": YEAR, "agency": other.pk, "times": 2}).content.decode()
    assert page_read(records)[0] == []  # Chinese only: no English word or internal code on the page
    inspection = Inspection.objects.filter(agency=other, target__name="应急检查0").first()
    assert "应急检查0" in records and reverse("inspection:detail", args=[inspection.pk]) in records

    def cost():
        counts = []
        for query in ({"year": YEAR}, {"year": YEAR, "agency": agency.pk, "times": 3}):
            with queries_without_ledger_writes() as queries:
                assert client.get(URL, query).status_code == 200
            counts.append(queries.count)
        return counts

    small = cost()
    _world(scale=4, agencies=(agency, other))
    assert cost() == small


def test_odd_input_is_answered_and_another_agency_is_refused(client):
    agency, other = _world()
    client.force_login(user_make(role=Role.OFFICER, agency=other))
    assert client.get(URL, {"year": "x", "times": "9", "agency": "y"}).status_code == 200
    html = client.get(URL, {"agency": agency.pk}).content.decode()  # ignored: an officer reads their own agency
    assert "乌审旗市场监督管理局" not in html


def test_an_id_beyond_the_databases_integer_is_no_filter_and_outcomes_wait_for_publication(client):
    from sanxiang.procedure.inspection.rules import OUTCOMES

    _agency, other = _world()
    bureau = agency_make(name="乌审旗司法局", is_judicial_bureau=True)
    client.force_login(user_make(role=Role.SUPERVISOR, agency=bureau))
    for odd in ("99999999999999999999", "１２", "²", "-1"):
        assert client.get(URL, {"year": YEAR, "agency": odd, "times": "1"}).status_code == 200, odd

    def records() -> str:
        page = client.get(URL, {"year": YEAR, "agency": other.pk, "times": 2}).content.decode()
        return page.split('data-testid="frequency-records"')[1]

    # Before its result is published, an inspection's outcome is for its agency's head and
    # administrator and the county's supervisors (as its own page is); the agency's officer
    # reads the date and the source only.
    assert "应急检查0" in records() and OUTCOMES["pass"] in records()
    client.force_login(user_make(role=Role.OFFICER, agency=other))
    assert "应急检查0" in records() and OUTCOMES["pass"] not in records()
    Inspection.objects.filter(agency=other).update(published_on=dt.date(YEAR, 6, 1))
    assert OUTCOMES["pass"] in records()
