"""Issue 19: the “双公示” export and the annual data (年度行政执法数据) through the API, compared with
their pages for the same user: the check and the file (recorded as the page's download), the
figures, the county table, the narrative and the publication with the page's refusals, a year the
page does not offer refused with 422, and the records behind the figures bounded and walked."""

import json

import pytest
from django.urls import reverse

from sanxiang.access.models import AccessLogEntry
from sanxiang.accounts.models import Role
from sanxiang.cases.models import Case
from sanxiang.ledger.models import Entry
from sanxiang.procedure.annual_counting import NARRATIVE_SECTIONS
from sanxiang.publication import annual_selectors
from sanxiang.publication.models import AnnualNarrative, AnnualReport
from tests.api.support import assert_safe_download, bearer
from tests.factories import agency_make, user_make
from tests.publication.test_annual import YEAR, act, case_with, public_agency_for
from tests.publication.test_annual import bureau as bureau  # the fixture
from tests.publication.test_dual_publicity import BAD_CODE, D, parse_csv, publication_make
from tests.publication.test_dual_publicity import world as world  # the fixture
from tests.supervision.support import read_grant_give
from tests.web.crawl import page_read

pytestmark = pytest.mark.django_db

MARCH = {"layout": "CF", "start": "2026-03-01", "end": "2026-03-31"}
# The problems of a row whose agency's credit code is malformed (CF_CFJGDM and CF_SJLYDM).
PROBLEMS_OF_BAD_CODE = 2


def post(client, url: str, body: dict, headers: dict):
    return client.post(url, data=json.dumps(body), content_type="application/json", **headers)


def page_context(client, user, name: str, params: dict):
    client.force_login(user)
    response = client.get(reverse(name), params)
    client.logout()
    assert response.status_code == 200
    return response.context


def judicial_supervisor():
    return user_make(role=Role.SUPERVISOR, agency=agency_make(name="乌审旗司法局", is_judicial_bureau=True))


# --- 双公示 ------------------------------------------------------------------------------------------


def test_the_check_answers_what_the_page_shows(client, world):
    publication_make(agency=world["other_public"], credit=BAD_CODE, decided_on=D(2026, 3, 20))
    supervisor = judicial_supervisor()
    api = client.get("/api/publication/dual-publicity", MARCH, **bearer(supervisor))
    assert api.status_code == 200
    body = api.json()
    page = page_context(client, supervisor, "publication:dual_publicity", MARCH | {"format": "csv", "action": "check"})
    assert (body["row_count"], body["problem_count"], body["problem_rows"]) == (
        page["row_count"], page["problem_count"], page["problem_rows"]) == (5, PROBLEMS_OF_BAD_CODE, 1)
    assert [(p["row"], p["number"], p["field"], p["field_name"], p["message"], p["legal_basis"]) for p in body["problems"]] == [
        (p.row, p.number, p.field, p.field_name, p.message, p.basis) for p in page["problems"]]
    assert {"CF_CFJGDM", "CF_SJLYDM"} <= {p["field"] for p in body["problems"]}
    # An agency's users check their own agency's rows; checking sends nothing and records nothing.
    own = client.get("/api/publication/dual-publicity", MARCH, **bearer(user_make(role=Role.OFFICER, agency=world["own"])))
    assert own.json()["row_count"] == 3 and own.json()["problems"] == []
    # The agency checked is named though none was asked for: the registry's id (never the public agency's).
    assert world["own"].pk != world["own_public"].pk and own.json()["agency_id"] == world["own"].pk
    assert body["agency_id"] is None  # the whole county
    assert not AccessLogEntry.objects.filter(object_kind="publication.dual_publicity").exists()


def test_the_file_is_the_pages_download_and_is_recorded_as_it(client, world):
    officer = user_make(role=Role.OFFICER, agency=world["own"])
    params = MARCH | {"format": "csv", "agency": world["own"].pk}
    answer = client.get("/api/publication/dual-publicity/file", params, **bearer(officer))
    assert answer.status_code == 200
    assert_safe_download(answer)
    client.force_login(officer)
    page = client.get(reverse("publication:dual_publicity"), params | {"agency": world["own_public"].pk, "action": "download"})
    assert answer.content == page.content and answer["Content-Type"] == page["Content-Type"]
    # The same name as the page's: in Chinese (filename*) and in ASCII (filename=) for who reads only that.
    assert answer["Content-Disposition"] == page["Content-Disposition"]
    assert 'filename="sanxiang-dual-publicity-cf-2026-03-01_2026-03-31.csv"' in answer["Content-Disposition"]
    assert {r["CF_WSH"] for r in parse_csv(answer.content)} == {world["p"][k].number for k in ("company", "person", "shop")}
    api_entry, page_entry = AccessLogEntry.objects.filter(object_kind="publication.dual_publicity").order_by("pk")
    fields = ("action", "user_id", "agency_id", "object_id", "object_label")
    assert [getattr(api_entry, f) for f in fields] == [getattr(page_entry, f) for f in fields]
    assert api_entry.agency_id == world["own"].pk and b'"rows":3' in bytes(Entry.objects.get(seq=api_entry.ledger_seq).body)
    xlsx = client.get("/api/publication/dual-publicity/file", params | {"format": "xlsx"}, **bearer(officer))
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")


def test_the_export_refuses_another_agency_and_a_bad_range(client, world):
    head = bearer(user_make(role=Role.AGENCY_HEAD, agency=world["own"]))
    other = MARCH | {"agency": world["other"].pk}
    assert client.get("/api/publication/dual-publicity", other, **head).status_code == 404
    assert client.get("/api/publication/dual-publicity/file", other, **head).status_code == 404
    elsewhere = agency_make(name="乙旗市场监督管理局", region_code="150627", parent_government="乙旗人民政府")
    public_agency_for(elsewhere)
    supervisor = bearer(judicial_supervisor())
    assert client.get("/api/publication/dual-publicity", MARCH | {"agency": elsewhere.pk}, **supervisor).status_code == 404
    whole_county = client.get("/api/publication/dual-publicity/file", MARCH, **supervisor)
    assert len(parse_csv(whole_county.content)) == 4
    reversed_range = client.get("/api/publication/dual-publicity", MARCH | {"start": "2026-04-01"}, **head)
    assert reversed_range.status_code == 422 and [v["field"] for v in reversed_range.json()["violations"]] == ["end"]
    too_long = client.get("/api/publication/dual-publicity", MARCH | {"start": "2025-01-01"}, **head)
    assert too_long.status_code == 422 and [v["field"] for v in too_long.json()["violations"]] == ["end"]
    assert client.get("/api/publication/dual-publicity", MARCH | {"layout": "ZZ"}, **head).status_code == 422
    assert AccessLogEntry.objects.filter(object_kind="publication.dual_publicity").count() == 1


# --- 年度行政执法数据 ---------------------------------------------------------------------------------


def test_the_figures_are_the_pages(client, bureau):
    head = user_make(role=Role.AGENCY_HEAD, agency=bureau)
    body = client.get("/api/publication/annual", {"year": YEAR}, **bearer(head)).json()
    page = page_context(client, head, "publication:annual", {"year": YEAR})
    agency = body["agency"]
    assert body["year"] == YEAR and body["county"] is False and body["county_table"] is None and body["missing"] is None
    assert agency["agency_id"] == bureau.pk and agency["can_publish"] is True and agency["published_at"] is None
    assert [(c["key"], c["value"], c["published"]) for c in agency["categories"]] == [
        (r["key"], r["value"], r["published"]) for r in page["rows"]]
    assert {c["key"]: c["value"] for c in agency["categories"]}["penalty"] == 2
    assert [(line["key"], line["value"]) for line in agency["penalty_lines"]] == [
        (line["key"], line["value"]) for line in page["penalty_lines"]]
    assert [(line["key"], line["value"]) for line in agency["coercion_lines"]] == [
        (line["key"], line["value"]) for line in page["coercion_lines"]]
    assert agency["penalty_total"] == page["report"]["penalty_table"].total == 2
    assert agency["inspection"]["total"] == page["report"]["inspection"].total
    assert agency["notes"] == page["report"]["notes"] and agency["narrative"] is None
    records = {g["key"]: g for g in agency["records"]}
    assert records["penalty"]["count"] == len(page["penalty_records"]) == 2 and records["penalty"]["next"] is None
    assert {r["case_id"] for r in records["penalty"]["items"]} == {p["record"].case_id for p in page["penalty_records"]}
    # An agency's users read their own agency only: another is 404, a year not offered 422 naming it.
    other = agency_make(name="乌审旗交通运输局")
    assert client.get("/api/publication/annual", {"agency": other.pk}, **bearer(head)).status_code == 404
    assert client.get("/api/publication/annual", {"agency": bureau.pk}, **bearer(head)).json()["year"] == YEAR
    for year in (YEAR + 1, YEAR - 5, 1900):
        refused = client.get("/api/publication/annual", {"year": year}, **bearer(head))
        assert refused.status_code == 422 and [v["field"] for v in refused.json()["violations"]] == ["year"]


def test_a_supervisor_reads_the_county_table_and_an_agency_of_the_county_only(client, bureau):
    supervisor = judicial_supervisor()
    body = client.get("/api/publication/annual", {"year": YEAR}, **bearer(supervisor)).json()
    page = page_context(client, supervisor, "publication:annual", {"year": YEAR})
    assert body["county"] is True and body["agency"] is None
    lines = {line["agency_id"]: line for line in body["county_table"]["lines"]}
    assert [(row["line"].agency_id, row["line"].table.total, row["submitted"], row["published"])
            for row in page["county_lines"]] == [
        (line["agency_id"], line["penalty_total"], line["submitted"], line["published"]) for line in lines.values()]
    assert lines[bureau.pk]["penalty_total"] == 2 and body["county_table"]["total"] == page["county_total"].total
    assert [m["agency_id"] for m in body["missing"]["agencies"]] == [m.agency_id for m in page["missing"]]
    detail = client.get("/api/publication/annual", {"year": YEAR, "agency": bureau.pk}, **bearer(supervisor)).json()
    assert detail["agency"]["agency_id"] == bureau.pk and detail["agency"]["can_publish"] is False
    elsewhere = agency_make(name="乙旗市场监督管理局", region_code="150627", parent_government="乙旗人民政府")
    assert client.get("/api/publication/annual", {"agency": elsewhere.pk}, **bearer(supervisor)).status_code == 404


def test_the_narrative_and_the_publication_as_the_page_refuses_and_takes_them(client, bureau):
    head = bearer(user_make(role=Role.AGENCY_HEAD, agency=bureau))
    sections = {key: f"{label}：本年度情况良好。" for key, label in NARRATIVE_SECTIONS.items()}
    officer = bearer(user_make(role=Role.OFFICER, agency=bureau))
    assert post(client, "/api/publication/annual/narrative", {"year": YEAR, "sections": sections}, officer).status_code == 403
    supervisor = bearer(judicial_supervisor())
    assert post(client, "/api/publication/annual/publish", {"year": YEAR, "agency": bureau.pk}, supervisor).status_code == 403
    assert post(client, "/api/publication/annual/publish", {"year": YEAR}, supervisor).status_code == 403
    unknown = post(client, "/api/publication/annual/narrative", {"year": YEAR, "sections": sections | {"x": "y"}}, head)
    assert unknown.status_code == 422 and "sections.x" in {v["field"] for v in unknown.json()["violations"]}
    late = post(client, "/api/publication/annual/narrative", {"year": YEAR + 1, "sections": sections}, head)
    assert late.status_code == 422 and [v["field"] for v in late.json()["violations"]] == ["year"]
    empty = post(client, "/api/publication/annual/narrative", {"year": YEAR, "sections": {"basic": "有内容"}}, head)
    assert empty.status_code == 409
    assert {v["field"] for v in empty.json()["violations"]} == set(NARRATIVE_SECTIONS) - {"basic"}
    assert not AnnualNarrative.objects.exists()

    taken = post(client, "/api/publication/annual/narrative", {"year": YEAR, "sections": sections}, head)
    assert taken.status_code == 200
    narrative = taken.json()["agency"]["narrative"]
    assert {s["key"]: s["text"] for s in narrative["sections"]} == sections and narrative["republish_needed"] is False

    # Without the public agency row the year cannot be published: 409 with the service's reason.
    refused = post(client, "/api/publication/annual/publish", {"year": YEAR}, head)
    assert refused.status_code == 409 and refused.json()["violations"] and not AnnualReport.objects.exists()
    public_agency_for(bureau)
    published = post(client, "/api/publication/annual/publish", {"year": YEAR}, head)
    assert published.status_code == 200 and published.json()["agency"]["published_at"] is not None
    report = AnnualReport.objects.get(year=YEAR)
    assert report.counts["penalty"] == 2 and report.narrative == sections
    categories = {c["key"]: c for c in published.json()["agency"]["categories"]}
    assert categories["penalty"]["published"] == 2 and published.json()["agency"]["published_penalty_total"] == 2


def test_the_records_behind_the_figures_are_bounded_and_walked(client, bureau, monkeypatch):
    for month in (2, 3, 4):
        case_with(bureau, decided_on=D(YEAR, month, 1), acts=(act("inspection", D(YEAR, month, 1)),))
    monkeypatch.setattr(annual_selectors, "RECORDS_SHOWN", 2)
    head = user_make(role=Role.AGENCY_HEAD, agency=bureau)
    body = client.get("/api/publication/annual", {"year": YEAR}, **bearer(head)).json()
    penalty = {g["key"]: g for g in body["agency"]["records"]}["penalty"]
    assert penalty["count"] == 5 and len(penalty["items"]) == 2 and penalty["next"]
    # `next` gives the rest, after the last record listed: the first two are not listed again.
    seen, url = [(r["case_id"], r["on"]) for r in penalty["items"]], penalty["next"]
    rest = 0
    while url:
        page = client.get(url, **bearer(head)).json()
        assert page["count"] == 5
        seen += [(r["case_id"], r["on"]) for r in page["items"]]
        rest += len(page["items"])
        url = page["next"]
    assert rest == 3 and len(seen) == len(set(seen)) == 5
    # The page says how many there are and opens the rest, a page at a time.
    client.force_login(head)
    html = client.get(reverse("publication:annual"), {"year": YEAR}).content.decode()
    assert 'data-testid="annual-penalty-records-more"' in html and "共5件" in html
    rest = client.get(reverse("publication:annual_records"), {"year": YEAR, "group": "penalty", "page": 3})
    assert rest.status_code == 200 and len(rest.context["records"]) == 1 and "第3页，共3页" in rest.content.decode()
    assert page_read(rest.content.decode())[0] == [] and page_read(html)[0] == []  # no English, no internal code
    assert client.get(reverse("publication:annual_records"), {"year": YEAR}).status_code == 302
    supervisor = bearer(judicial_supervisor())
    no_agency = client.get("/api/publication/annual/records", {"group": "penalty"}, **supervisor)
    assert no_agency.status_code == 422 and [v["field"] for v in no_agency.json()["violations"]] == ["agency"]


def test_an_agency_not_on_the_portal_exports_nothing_and_records_nothing(client, world):
    # Its page's form offers no agency (400); the API answers 409 and writes no access log nor ledger entry.
    lone = agency_make(name="乌审旗林业和草原局")
    officer = user_make(role=Role.OFFICER, agency=lone)
    token = bearer(officer)
    entries = Entry.objects.count()
    for url in ("/api/publication/dual-publicity", "/api/publication/dual-publicity/file"):
        answer = client.get(url, MARCH | {"format": "csv"}, **token)
        assert answer.status_code == 409 and [v["field"] for v in answer.json()["violations"]] == ["agency"]
    assert Entry.objects.count() == entries
    client.force_login(officer)
    assert client.get(reverse("publication:dual_publicity"), MARCH | {"format": "csv", "action": "download"}).status_code == 400
    assert not AccessLogEntry.objects.filter(object_kind="publication.dual_publicity").exists()


def test_a_supervisor_sees_the_title_of_a_case_only_under_a_read_grant(client, bureau):
    supervisor = judicial_supervisor()
    query = {"year": YEAR, "agency": bureau.pk}
    body = client.get("/api/publication/annual", query, **bearer(supervisor)).json()
    items = {g["key"]: g for g in body["agency"]["records"]}["penalty"]["items"]
    assert items and all(r["case_title"] == "" and r["title_withheld"] for r in items)
    listed = client.get("/api/publication/annual/records", query | {"group": "penalty"}, **bearer(supervisor)).json()
    assert listed["items"] and all(r["case_title"] == "" and r["title_withheld"] for r in listed["items"])
    granted = Case.objects.get(pk=items[0]["case_id"])
    assert client.get(f"/api/cases/{granted.pk}", **bearer(supervisor)).status_code == 403  # 需经调阅
    client.force_login(supervisor)
    for name, params in (("publication:annual", query), ("publication:annual_records", query | {"group": "penalty"})):
        html = client.get(reverse(name), params).content.decode()
        assert "测试案件" not in html and 'data-testid="title-withheld"' in html
    # Under a read grant (调阅) the title of that case is shown, and only that one.
    read_grant_give(case=granted, user=supervisor)
    listed = client.get("/api/publication/annual/records", query | {"group": "penalty"}, **bearer(supervisor)).json()
    assert {(r["case_id"], r["case_title"], r["title_withheld"]) for r in listed["items"]} == {
        (r["case_id"], "测试案件" if r["case_id"] == granted.pk else "", r["case_id"] != granted.pk) for r in listed["items"]}
    html = client.get(reverse("publication:annual_records"), query | {"group": "penalty"}).content.decode()
    assert html.count("测试案件") == 1
    # The agency's own users read every title.
    head = bearer(user_make(role=Role.AGENCY_HEAD, agency=bureau))
    own = client.get("/api/publication/annual/records", {"year": YEAR, "group": "penalty"}, **head).json()
    assert all(r["case_title"] == "测试案件" and not r["title_withheld"] for r in own["items"])


def test_a_records_cursor_serves_its_own_group_agency_and_year_only(client, bureau, monkeypatch):
    monkeypatch.setattr(annual_selectors, "RECORDS_SHOWN", 1)
    supervisor = bearer(judicial_supervisor())
    query = {"year": YEAR, "agency": bureau.pk, "group": "penalty", "limit": 1}
    cursor = client.get("/api/publication/annual/records", query, **supervisor).json()["next_cursor"]
    assert cursor and client.get("/api/publication/annual/records", query | {"cursor": cursor}, **supervisor).status_code == 200
    other = agency_make(name="乌审旗交通运输局")
    for changed in ({"group": "decision"}, {"group": "inspection"}, {"year": YEAR - 1}, {"agency": other.pk}):
        refused = client.get("/api/publication/annual/records", query | changed | {"cursor": cursor}, **supervisor)
        assert refused.status_code == 422 and [v["field"] for v in refused.json()["violations"]] == ["cursor"], changed


def test_a_narrative_read_before_another_submission_is_refused_with_412(client, bureau):
    head = bearer(user_make(role=Role.AGENCY_HEAD, agency=bureau))
    sections = {key: f"{label}：本年度情况良好。" for key, label in NARRATIVE_SECTIONS.items()}
    read = client.get("/api/publication/annual", {"year": YEAR}, **head)
    before = read["ETag"]
    first = post(client, "/api/publication/annual/narrative", {"year": YEAR, "sections": sections}, head | {"HTTP_IF_MATCH": before})
    assert first.status_code == 200 and first["ETag"] != before
    # A second writer who read before the first submission: 412, the text submitted stays.
    changed = sections | {"basic": "另一人的基本情况。"}
    stale = post(client, "/api/publication/annual/narrative", {"year": YEAR, "sections": changed}, head | {"HTTP_IF_MATCH": before})
    assert stale.status_code == 412 and [v["field"] for v in stale.json()["violations"]] == ["If-Match"]
    assert AnnualNarrative.objects.get().sections == sections
    assert client.get("/api/publication/annual", {"year": YEAR}, **head)["ETag"] == first["ETag"]
    weak = post(client, "/api/publication/annual/narrative", {"year": YEAR, "sections": changed}, head | {"HTTP_IF_MATCH": f"W/{first['ETag']}"})
    assert weak.status_code == 412
    current = post(client, "/api/publication/annual/narrative", {"year": YEAR, "sections": changed}, head | {"HTTP_IF_MATCH": first["ETag"]})
    assert current.status_code == 200 and AnnualNarrative.objects.get().sections == changed
    # Without If-Match the submission is taken, as for the reports.
    assert post(client, "/api/publication/annual/narrative", {"year": YEAR, "sections": sections}, head).status_code == 200
